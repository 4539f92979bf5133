import json

import pytest

from newsdesk.errors import ParseError
from newsdesk.sources.files import find_files, read_records
from newsdesk.sources.records import BAD_BYTES
from tests.conftest import record, write_data


def records_of(path):
    return [r for _, r in read_records(path)]


def test_data_files_json_arrays_and_json_lines(tmp_path):
    write_data(tmp_path / "a" / "list.json", [record(1), record(2)])
    (tmp_path / "b.json").write_text(json.dumps([record(3)]))
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(record(n)) for n in (4, 5)) + "\n\n")
    found = list(find_files([tmp_path]))
    assert [f.path.name for f in found] == ["list.json", "b.json", "c.jsonl"]
    assert found[0].default_source == "a"
    assert [r["id"] for f in found for r in records_of(f.path)] == [1, 2, 3, 4, 5]


def test_missing_path_is_reported(tmp_path):
    (problem,) = find_files([tmp_path / "nope"])
    assert isinstance(problem, ParseError) and "nope" in str(problem)


def test_corrupt_json_keeps_the_records_before_it(tmp_path):
    good = json.dumps({"data": [record(1), record(2)]})
    path = tmp_path / "broken.json"
    path.write_text(good[: good.index('"id": 2') + 20])
    seen = []
    with pytest.raises(ParseError, match=r"broken.json: corrupt JSON after record 0"):
        for _, item in read_records(path):
            seen.append(item)
    assert [r["id"] for r in seen] == [1]


@pytest.mark.parametrize("text", ["", "   ", "42", '"text"'])
def test_not_a_record_file(tmp_path, text):
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(ParseError, match="odd.json"):
        list(read_records(path))


def test_invalid_utf8_marks_only_its_record(tmp_path):
    body = json.dumps({"data": [record(1), record(2, title="XXXX"), record(3)]}).encode()
    path = tmp_path / "bytes.json"
    path.write_bytes(body.replace(b"XXXX", b"ab\xff\xfe"))
    titles = [r["title"] for r in records_of(path)]
    assert BAD_BYTES in titles[1]
    assert BAD_BYTES not in titles[0] + titles[2]


def test_a_corrupt_json_line_is_one_bad_record(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(json.dumps(record(1)).encode() + b"\n{broken\n" + json.dumps(record(3)).encode() + b"\n")
    items = records_of(path)
    assert items[0]["id"] == 1 and items[2]["id"] == 3
    assert isinstance(items[1], ParseError) and "line 2" in str(items[1])


def test_multibyte_characters_across_read_chunks(tmp_path):
    title = "中" * 70_000  # spans several 64 KiB chunks, cutting characters in half
    path = write_data(tmp_path / "big.json", [record(1, title=title)])
    assert records_of(path)[0]["title"] == title
