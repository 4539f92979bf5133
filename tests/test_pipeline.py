"""Import from files into a real database: batching, rejection, updates, idempotency."""

import gc
import json

from newsdesk import heap
from newsdesk.config import Settings
from newsdesk.models import Record
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.ingest import _batches
from newsdesk.sources.records import link_uuid
from newsdesk.store import Store
from tests.conftest import noise, record, write_data

SMALL_BATCHES = Settings(import_batch_size=3)


def run(db_url, *paths, settings=SMALL_BATCHES):
    errors = []
    with Store(db_url) as store:
        report = import_paths(store, list(paths), settings, on_error=lambda e: errors.append(str(e)))
        return report, errors, store.count()


def test_import_then_reimport(db_url, tmp_path):
    write_data(tmp_path / "news" / "data" / "site" / "list.json", [record(n) for n in range(10)])
    report, errors, count = run(db_url, tmp_path)
    assert report.counts() == {"new": 10, "updated": 0, "duplicate": 0, "rejected": 0} and count == 10
    report, errors, count = run(db_url, tmp_path)
    assert report.counts() == {"new": 0, "updated": 0, "duplicate": 10, "rejected": 0} and count == 10
    assert not errors


def test_changed_record_is_an_update_and_an_old_version_is_not(db_url, tmp_path):
    first = write_data(tmp_path / "a.json", [record(1), record(2)])
    second = write_data(tmp_path / "b.json", [record(1, description="<p>修订后的正文</p>")])
    assert run(db_url, first)[0].new == 2
    report, _, count = run(db_url, second)
    assert (report.updated, count) == (1, 2)
    report, _, _ = run(db_url, first, second)  # replaying history changes nothing
    assert report.counts() == {"new": 0, "updated": 0, "duplicate": 3, "rejected": 0}
    with Store(db_url) as store:
        assert store.get(_uuid(1)).markdown == "修订后的正文"


def test_bad_records_are_reported_and_the_rest_lands(db_url, tmp_path):
    bomb = "<blockquote>" * 10_000 + "x" + "</blockquote>" * 10_000
    records = [
        record(1),
        "not an object",
        record(3, link=None),
        record(4, pub_date="31/31/2025"),
        record(5, description=bomb),
        record(6, description="<p>" + "字" * 7_000_000 + "</p>"),  # ~21 MB of UTF-8
        record(7),
    ]
    path = write_data(tmp_path / "mixed.json", records)
    (tmp_path / "corrupt.json").write_text('{"data": [' + json.dumps(record(8)) + ", {oops")
    utf8 = json.dumps({"data": [record(9, title="XXXX"), record(10)]}).encode().replace(b"XXXX", b"\xc3\x28bad")
    (tmp_path / "utf8.json").write_bytes(utf8)
    report, errors, count = run(db_url, tmp_path)
    # Kept: the undated record 4 and the title with undecodable bytes (record 9).
    assert (report.new, report.rejected, report.bad_files, count) == (6, 4, 1, 6)
    assert report.reasons == {"not an object": 1, "no link": 1, "body too complex": 1, "body too large": 1}
    joined = "\n".join(errors)
    for index, reason in [(1, "not an object"), (2, "no link"), (4, "elements deep"), (5, "MB")]:
        assert any(f"{path} record {index}" in e and reason in e for e in errors), (index, reason, joined)
    with Store(db_url) as store:
        undated = store.get(link_uuid(record(4)["link"]))
        assert undated is not None and not undated.dated and undated.published == undated.first_seen
    assert "corrupt.json: corrupt JSON after record 0" in joined


def test_same_link_twice_in_one_batch(db_url, tmp_path):
    path = write_data(tmp_path / "dup.json", [record(1), record(1, title="更新的标题")])
    report, _, count = run(db_url, path)
    assert (report.new, report.updated, count) == (1, 1, 1)
    assert run(db_url, path)[0].duplicate == 2


def _uuid(n):
    from newsdesk.sources.records import link_uuid

    return link_uuid(record(n)["link"])


def test_a_valid_version_after_a_rejected_one_in_the_previous_batch_is_stored(sqlite_url, tmp_path):
    # Batches overlap (the next is looked up before the previous is written): the
    # rejected first version must not make the second one an "update" of nothing.
    bomb = "<blockquote>" * 10_000 + "x" + "</blockquote>" * 10_000  # rejected while cleaning
    records = [record(1), record(2, description=bomb), record(3), record(2, title="第二版 second version")]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    with Store(sqlite_url) as store:
        report = import_paths(store, [tmp_path / "data"], Settings(import_batch_size=2, import_workers=1))
        assert report.counts() == {"new": 3, "updated": 0, "duplicate": 0, "rejected": 1}
        assert store.get(link_uuid(records[3]["link"])).title == "第二版 second version"


def test_a_batch_ends_at_its_count_of_records_or_of_body_characters(sqlite_url, tmp_path):
    """Long records make short batches: what a batch holds in memory stays bounded."""
    sizes = [10, 10, 10, 10, 500, 10, 10, 10]
    records = [
        Record(
            uuid=f"{n:032x}", link=f"https://x.test/{n}", title="t", description="x" * size, source="s", published=None
        )
        for n, size in enumerate(sizes)
    ]
    settings = Settings(import_batch_size=3, import_batch_chars=100)
    assert [len(batch) for batch in _batches(records, settings)] == [3, 2, 3]
    assert [len(batch) for batch in _batches(records, Settings(import_batch_size=3))] == [3, 3, 2]
    # the same import either way
    write_data(tmp_path / "long.json", [record(n, description="<p>" + "长" * (40 * n) + "</p>") for n in range(12)])
    report, errors, count = run(sqlite_url, tmp_path, settings=settings)
    assert report.counts() == {"new": 12, "updated": 0, "duplicate": 0, "rejected": 0} and count == 12 and not errors


def test_a_long_import_sets_its_heap_aside_and_leaves_nothing_frozen(sqlite_url, tmp_path, monkeypatch):
    frozen_during: list[int] = []
    real = heap.set_aside

    def watched() -> None:
        real()
        frozen_during.append(gc.get_freeze_count())

    monkeypatch.setattr(heap, "set_aside", watched)
    store = Store(sqlite_url)
    data = [record(n, title=f"Item {n}", description=f"<p>Body {n} {noise(n, 12)}</p>") for n in range(700)]
    report = import_paths(store, [write_data(tmp_path / "a.json", data)], Settings(import_batch_size=300))
    assert report.new == 700
    assert len(frozen_during) == 1 and frozen_during[0] > 0, "frozen once, after the first full batch"
    assert gc.get_freeze_count() == 0, "what was frozen is the collector's again when the import ends"
