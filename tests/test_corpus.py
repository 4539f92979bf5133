"""The whole dev corpus (../shared; skipped when absent) on both backends."""

import json

import pytest

from tests.conftest import newsdesk

pytestmark = pytest.mark.slow
DISTINCT_LINKS = 13_765  # 13,773 records; 8 links appear twice with different records


def test_corpus_imports_and_reimports_as_duplicates(corpus, db_url):
    first = newsdesk("import", str(corpus), "--json", db=db_url)
    assert first.returncode == 0, first.stderr[-2000:]
    counts = json.loads(first.stdout)
    assert counts == {"new": DISTINCT_LINKS, "updated": 8, "duplicate": 0, "rejected": 0, "reasons": {}}
    again = json.loads(newsdesk("import", str(corpus), "--json", db=db_url, check=True).stdout)
    assert again == {"new": 0, "updated": 0, "duplicate": 13_773, "rejected": 0, "reasons": {}}
