"""The whole dev corpus (../shared; skipped when absent) on both backends."""

import json

import pytest

from tests.conftest import newsdesk

pytestmark = pytest.mark.slow
DISTINCT_LINKS = 13_765  # 13,773 records; 8 links appear twice with different records


FIRST = {"new": DISTINCT_LINKS, "updated": 8, "duplicate": 0, "rejected": 0, "reasons": {}}
AGAIN = {"new": 0, "updated": 0, "duplicate": 13_773, "rejected": 0, "reasons": {}}


@pytest.mark.xdist_group("corpus")  # one worker imports the corpus once for the tests that read it
def test_corpus_imports_and_reimports_as_duplicates_on_sqlite(corpus, corpus_db):
    db, counts = corpus_db  # the session's import, which the other corpus tests read
    assert counts == FIRST
    assert json.loads(newsdesk("import", str(corpus), "--json", db=db, check=True).stdout) == AGAIN


def test_corpus_imports_and_reimports_as_duplicates_on_postgresql(corpus, pg_url):
    first = newsdesk("import", str(corpus), "--json", db=pg_url)
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout) == FIRST
    assert json.loads(newsdesk("import", str(corpus), "--json", db=pg_url, check=True).stdout) == AGAIN
