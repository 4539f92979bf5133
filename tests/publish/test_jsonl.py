import io
import json
from dataclasses import replace

from newsdesk.config import Settings
from newsdesk.publish.jsonl import FIELDS, export_jsonl
from tests.conftest import article


def test_one_object_per_line_with_every_field():
    out = io.StringIO()
    count = export_jsonl([article(1), replace(article(2), title="第二\n行")], out, Settings())
    lines = out.getvalue().splitlines()
    assert count == 2 and len(lines) == 2
    first = json.loads(lines[0])
    assert tuple(first) == (*FIELDS, "story")  # the story it belongs to, after the stored fields
    assert first["published"] == "2025-02-07T16:37:50+08:00"
    assert (first["tags"], first["tickers"], first["cluster"]) == ([], [], None)
    assert json.loads(lines[1])["title"] == "第二\n行"
