from zoneinfo import ZoneInfo

import pytest

from newsdesk.errors import RecordError
from newsdesk.sources.records import BAD_BYTES, link_uuid, normalize_kind, parse_record
from tests.conftest import record

TZ = ZoneInfo("Asia/Shanghai")


def parse(raw, **kw):
    return parse_record(raw, "file.json record 3", tz=TZ, **kw)


def test_uuid_is_md5_of_the_link():
    parsed = parse(record(1, link="https://xnews.jin10.com/details/162137"))
    assert parsed.uuid == "550ff102f33039772cd516772ce913da" == link_uuid(parsed.link)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1, (1, None)), (2, (2, None)), ("2", (2, "2")), ("post", (1, "post")), (None, (1, None)), (3.5, (1, "3.5"))],
)
def test_kind_is_normalized_and_the_raw_value_kept(raw, expected):
    assert normalize_kind(raw) == expected


def test_missing_optional_fields_take_defaults():
    raw = {"title": "Only a title", "link": "https://example.com/a", "description": "<p>x</p>"}
    parsed = parse(raw, default_source="capitoltrades")
    assert (parsed.source, parsed.published, parsed.kind, parsed.language) == ("capitoltrades", None, 1, None)


def test_int_ids_become_text():
    assert parse(record(7, id=162137)).external_id == "162137"


@pytest.mark.parametrize(
    ("raw", "message", "reason"),
    [
        ("a string", "not an object", "not an object"),
        ([1, 2], "not an object", "not an object"),
        ({"title": "t"}, "no link", "no link"),
        (record(1, link=""), "no link", "no link"),
        (record(1, link="javascript:alert(1)"), "not an http", "no link"),
        (record(1, title="   ", description="<p> </p>"), "neither a title nor a body", "no title or body"),
        (record(1, title=None, description=None), "neither a title nor a body", "no title or body"),
        (record(1, description="x" * 2000), "description is", "body too large"),
    ],
)
def test_bad_records_are_refused_naming_the_place_and_the_reason(raw, message, reason):
    with pytest.raises(RecordError, match=message) as info:
        parse(raw, max_description_bytes=1000)
    assert "file.json record 3" in str(info.value) and info.value.reason == reason


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        (record(1, title="   "), lambda r: r.title == "" and "第1段正文" in r.description),  # a flash: body, no title
        (record(1, title=42), lambda r: r.title == "42"),
        (record(1, pub_date="not a date"), lambda r: r.published is None),  # undated, not lost
        (record(1, title="bad" + BAD_BYTES), lambda r: r.title == "bad\ufffd"),
        (record(1, id="https://example.com/guid/" + "x" * 300), lambda r: r.external_id.startswith("md5:")),
        (record(1, title="长" * 5000), lambda r: len(r.title) == 1000),
        (record(1, language="a-language-tag-far-too-long"), lambda r: r.language == "a-language-tag-far-t"),
        (
            record(1, pub_date="Fri, 21 Aug 2026 11:00:00 GMT"),
            lambda r: r.published.isoformat() == "2026-08-21T11:00:00+00:00",
        ),
    ],
)
def test_imperfect_records_are_kept(raw, check):
    assert check(parse(raw))


def test_fingerprint_changes_with_any_field():
    assert parse(record(1)).content_hash == parse(record(1)).content_hash
    assert parse(record(1)).content_hash != parse(record(1, description="<p>changed</p>")).content_hash


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("https://img.example.com/a.png", "https://img.example.com/a.png"),
        ("/static/a.png", "https://news.example.com/static/a.png"),
        ("//cdn.example.com/a.png", "https://cdn.example.com/a.png"),
        ("javascript:alert(1)", None),
        ("data:image/png;base64,AAAA", None),
        ("", None),
        (None, None),
    ],
)
def test_image_must_be_http(image, expected):
    assert parse(record(1, image=image)).image == expected
