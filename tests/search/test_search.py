"""Search against real SQLite files and the real PostgreSQL, through the import pipeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.errors import QueryError
from newsdesk.models import ArticleFilter
from newsdesk.pipeline import import_paths
from newsdesk.search import count, search
from newsdesk.store import Store
from tests.conftest import newsdesk, record, write_data

ARTICLES = [
    record(
        1,
        title="美联储主席表示不急于降息",
        description="<p>美联储周三维持利率不变，主席称通胀仍然偏高。</p>",
        source="wire_cn",
        pub_date="2025-02-03 10:00:00",
    ),
    record(
        2,
        title="聯準會官員：年內或減息兩次",
        description="<p>多位聯準會官員表示，今年或有兩次減息。</p>",
        source="wire_tw",
        language="zh-TW",
        pub_date="2025-02-04 10:00:00",
    ),
    record(
        3,
        title="Fed officials see two rate cuts this year",
        description="<p>Officials at the Federal Reserve expect rates to fall twice. Crypto traders cheered.</p>",
        source="wire_en",
        language="en",
        pub_date="2025-02-05 10:00:00",
    ),
    record(
        4,
        title="Gold climbs as dollar slips",
        description="<p>Spot gold rose 1% while silver was flat.</p>",
        source="wire_en",
        language="en",
        pub_date="2025-02-06 10:00:00",
    ),
    record(
        5,
        title="Markets wrap",
        description="<p>Stocks rose. Nvidia (NVDA) led chipmakers; the Fed was quiet.</p>",
        source="wire_en",
        language="en",
        pub_date="2025-02-07 10:00:00",
    ),
    record(
        6,
        title="腾讯控股(00700)发布新游戏",
        description="<p>腾讯股价上涨，市场关注游戏业务。</p>",
        source="wire_cn",
        pub_date="2025-02-07 11:00:00",
    ),
]


@pytest.fixture
def store(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", ARTICLES)
    with Store(db_url) as opened:
        import_paths(opened, [tmp_path / "data"], Settings())
        yield opened


def ids(hits) -> list[int]:
    return [int(h.link.rsplit("/", 1)[1]) for h in hits]


def test_chinese_words_and_arbitrary_substrings_match(store):
    assert ids(search(store, "美联储 降息")) == [1]
    assert ids(search(store, "席表示")) == [1]  # crosses the words 主席|表示


def test_simplified_and_traditional_find_each_other(store):
    assert ids(search(store, "联准会")) == [2]
    assert ids(search(store, "聯準會")) == [2]
    assert set(ids(search(store, "減息"))) == {2}  # 减息 in Traditional


def test_english_is_stemmed_and_case_folded(store):
    assert ids(search(store, "RATE cut")) == [3]
    assert ids(search(store, "officials")) == [3]


def test_phrase_exclusion_and_or(store):
    assert ids(search(store, '"rate cuts"')) == [3]
    assert ids(search(store, '"cuts rate"')) == []
    assert ids(search(store, "fed -crypto")) == [5]
    assert set(ids(search(store, "silver OR nvidia"))) == {4, 5}


def test_a_title_match_outranks_a_body_match(store):
    assert ids(search(store, "fed")) == [3, 5]


def test_among_equal_scores_the_newest_come_first_past_any_window(db_url, tmp_path):
    # 150 copies of one story score the same: the best ten are the ten newest, and the
    # pages after them go on by date, however many ties the ranking has to look through
    story = {"title": "Copper output", "description": "<p>Copper output rose.</p>"}
    same = [record(n, **story, pub_date=f"2025-03-01 {n // 60:02d}:{n % 60:02d}:00") for n in range(150)]
    write_data(tmp_path / "ties" / "wire" / "news.json", same)
    with Store(db_url) as opened:
        import_paths(opened, [tmp_path / "ties"], Settings())
        assert ids(search(opened, "copper", limit=10)) == list(range(149, 139, -1))
        assert ids(search(opened, "copper", limit=10, offset=100)) == list(range(49, 39, -1))


def test_a_word_deep_in_a_long_body_is_found_and_ranks_after_one_in_the_lede(db_url, tmp_path):
    # PostgreSQL ranks by the title and the body's first HEAD_TOKENS tokens: a word
    # only further down still matches, below an article that has it in its lede
    # (SQLite's BM25 sees no position: the same words tie, and the newest comes first)
    filler = " ".join(["Shares of the company were little changed in early trading."] * 40)
    deep = record(
        1,
        title="Quarterly results",
        description=f"<p>{filler} Molybdenum output rose.</p>",
        pub_date="2025-03-02 10:00:00",
    )
    lede = record(
        2, title="Mining update", description=f"<p>Molybdenum output rose. {filler}</p>", pub_date="2025-03-01 10:00:00"
    )
    write_data(tmp_path / "deep" / "wire" / "news.json", [deep, lede])
    with Store(db_url) as opened:
        import_paths(opened, [tmp_path / "deep"], Settings())
        assert ids(search(opened, "molybdenum")) == ([1, 2] if opened.dialect == "sqlite" else [2, 1])
        assert ids(search(opened, "molybdenum", limit=1, offset=1)) == ([2] if opened.dialect == "sqlite" else [1])
        assert ids(search(opened, "molybdenum", newest=True)) == [1, 2]
        assert ids(search(opened, "shares -molybdenum")) == []  # excluded however deep the word is


def test_filters(store):
    assert ids(search(store, "fed OR 美联储", where=ArticleFilter(source="wire_cn"))) == [1]
    assert ids(search(store, "fed OR 美联储 OR 聯準會", where=ArticleFilter(lang="zh"))) == [2, 1]
    since = datetime(2025, 2, 5, tzinfo=UTC)
    assert ids(search(store, "fed OR 美联储", where=ArticleFilter(since=since))) == [3, 5]
    until = datetime(2025, 2, 4, tzinfo=UTC)
    assert ids(search(store, "fed OR 美联储", where=ArticleFilter(until=until))) == [1]
    assert ids(search(store, "chipmakers OR fed", where=ArticleFilter(ticker="nvda"))) == [5]
    assert ids(search(store, "腾讯", where=ArticleFilter(ticker="0700.HK"))) == [6]
    assert ids(search(store, "fed", where=ArticleFilter(tag="wire_en"))) == [3, 5]


def test_counts_match_the_hits_and_stop_at_a_limit(store):
    assert count(store, "fed OR 美联储") == len(search(store, "fed OR 美联储")) == 3
    assert count(store, "fed OR 美联储", limit=2) == 2
    assert count(store, "fed OR 美联储", where=ArticleFilter(lang="zh"), limit=2) == 1
    assert count(store, "fed", where=ArticleFilter(source="wire_en"), limit=10) == 2


def test_results_carry_a_highlighted_escaped_snippet(store):
    (hit,) = search(store, "通胀")
    assert "<mark>通胀</mark>" in hit.snippet
    assert set(hit.as_json()) == {
        "uuid",
        "link",
        "title",
        "source",
        "published",
        "score",
        "snippet",
        "story",
        "language",
    }
    (hit,) = search(store, "twice")
    assert "<mark>twice</mark>" in hit.snippet


def test_the_index_follows_an_update_in_the_same_save(store, tmp_path):
    changed = dict(ARTICLES[3], title="Copper climbs as dollar slips")
    write_data(tmp_path / "update" / "wire" / "news.json", [changed])
    report = import_paths(store, [tmp_path / "update"], Settings())
    assert report.updated == 1
    assert ids(search(store, "copper")) == [4]
    assert ids(search(store, '"gold climbs"')) == []


HOSTILE = [
    '"unbalanced',
    "OR",
    "-",
    "a OR",
    "'; DROP TABLE articles; --",
    "NEAR(a b)",
    "title:x",
    "*",
    "^",
    'a" OR "1"="1',
    "🚀",
    "比特币🚀BTC",
    "x" * 10_000,
    "(((",
    "AND",
    "NOT",
    "美联储" * 300,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_give_results_or_a_clear_error(store, text):
    try:
        hits = search(store, text)
    except QueryError as exc:
        assert str(exc).startswith("search:")
    else:
        assert isinstance(hits, list)
    assert store.count() == len(ARTICLES)


def test_cli_search_json(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", ARTICLES)
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    result = newsdesk("search", "美联储", "--json", db=sqlite_url, check=True)
    line = json.loads(result.stdout)
    assert line["query"] == "美联储" and len(line["results"]) == 1
    assert line["results"][0]["link"].endswith("/1")


def test_cli_batch_queries_keep_input_order_and_report_bad_lines(sqlite_url, tmp_path: Path):
    write_data(tmp_path / "data" / "wire" / "news.json", ARTICLES)
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    queries = tmp_path / "queries.txt"
    queries.write_text("gold\n-only\n联准会\n\nfed\n", encoding="utf-8")
    result = newsdesk("search", "--queries", str(queries), "--json", db=sqlite_url)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["gold", "-only", "联准会", "fed"]
    assert "error" in lines[1] and lines[1]["results"] == []
    assert [len(line["results"]) for line in lines] == [1, 0, 1, 2]


def test_cli_single_bad_query_is_a_usage_error(sqlite_url):
    result = newsdesk("search", "--", "-nothing", db=sqlite_url)  # "--": the query starts with "-"
    assert result.returncode == 2
    assert "no words" in result.stderr


def test_cli_table_output_and_filters(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", ARTICLES)
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    result = newsdesk("search", "fed", "--since", "2025-02-06", "--until", "2025-02-07", db=sqlite_url, check=True)
    assert "Markets wrap" in result.stdout and "two rate cuts" not in result.stdout
    bad = newsdesk("search", "fed", "--since", "yesterday", db=sqlite_url)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_a_query_matching_more_than_the_candidates_ranks_its_newest(sqlite_url, tmp_path, monkeypatch):
    from newsdesk.store import searchreads

    monkeypatch.setattr(searchreads, "CANDIDATES", 5)
    older = [record(n, title="Zinc zinc zinc", description="<p>Zinc zinc.</p>", pub_date=f"2025-03-0{n} 10:00")
             for n in (1, 2)]  # fmt: skip  # the best matches, but the oldest
    newer = [record(n, title=f"Metals {n}", description="<p>Zinc rose.</p>", pub_date=f"2025-03-{n:02d} 10:00")
             for n in range(10, 18)]  # fmt: skip
    write_data(tmp_path / "zinc" / "wire" / "news.json", older + newer)
    with Store(sqlite_url) as opened:
        import_paths(opened, [tmp_path / "zinc"], Settings())
        assert sorted(ids(search(opened, "zinc", limit=10))) == [13, 14, 15, 16, 17]  # the newest five
        assert ids(search(opened, "zinc", limit=10, newest=True))[:3] == [17, 16, 15]  # by date: every match
        monkeypatch.setattr(searchreads, "CANDIDATES", 50)
        assert ids(search(opened, "zinc", limit=2)) == [2, 1]  # fewer match: all are ranked


def test_titles_rank_the_matches_the_rarer_word_first_then_the_newest(sqlite_url, tmp_path):
    # Every article matches both words somewhere; the titles decide: both words, then
    # the word fewer of these titles hold (tariff: 2 of 6), then the other (copper: 3
    # of 6), then the matches in the body alone, newest first among equals.
    titles = ["Copper and tariff talks", "Copper rises", "Copper falls", "Tariff news", "Markets", "Markets again"]
    rows = [
        record(n, title=title, description="<p>Copper and a tariff.</p>", pub_date=f"2025-03-0{n} 10:00")
        for n, title in enumerate(titles, start=1)
    ]
    write_data(tmp_path / "titles" / "wire" / "news.json", rows)
    with Store(sqlite_url) as opened:
        import_paths(opened, [tmp_path / "titles"], Settings())
        assert ids(search(opened, "copper tariff", limit=10)) == [1, 4, 3, 2, 6, 5]
        assert ids(search(opened, "copper tariff", limit=2, offset=3)) == [2, 6]
        assert ids(search(opened, "copper OR zinc", limit=3)) == [3, 2, 1]
        # by date, a date filter is a rowid range and still exact to the microsecond
        since = datetime(2025, 3, 3, 10, 0, 0, 1, tzinfo=UTC)
        assert ids(search(opened, "copper", newest=True, where=ArticleFilter(since=since))) == [6, 5, 4]
        until = datetime(2025, 3, 2, 10, 0, tzinfo=UTC)
        assert ids(search(opened, "copper", newest=True, where=ArticleFilter(until=until))) == [2, 1]
        assert ids(search(opened, "copper", where=ArticleFilter(since=since, until=until))) == []


def test_the_index_keeps_one_entry_an_article_when_its_date_changes_or_it_was_indexed_by_uuid(sqlite_url, tmp_path):
    """Rowids follow publication time: an update that moves an article's date, an
    entry written under the earlier scheme (rowid from the uuid), and a prune each
    leave exactly one entry an article, or none."""
    import sqlite3

    from newsdesk.pipeline.prune import prune
    from newsdesk.store import index

    first = [record(n, title=f"Nickel {n}", pub_date="2025-03-01 10:00") for n in range(4)]
    write_data(tmp_path / "one" / "wire" / "news.json", first)
    moved = dict(first[0], pub_date="2025-03-09 10:00", title="Nickel 0b")
    write_data(tmp_path / "two" / "wire" / "news.json", [moved])
    write_data(tmp_path / "three" / "wire" / "news.json", [dict(first[3], title="Nickel 3 again")])
    path = sqlite_url.removeprefix("sqlite:///")

    def entries() -> tuple[int, int, int]:
        with sqlite3.connect(path) as db:
            found = db.execute("SELECT count(*), count(DISTINCT uuid), sum(rowid >= 0) FROM search_fts").fetchone()
            # the titles' table holds the same rowids and titles, whatever moved or went
            titles = "SELECT rowid, title FROM search_fts EXCEPT SELECT id, title FROM search_titles"
            assert db.execute("SELECT count(*) FROM search_titles").fetchone()[0] == found[0]
            assert db.execute(f"SELECT count(*) FROM ({titles})").fetchone()[0] == 0
            return found

    with Store(sqlite_url) as opened:
        import_paths(opened, [tmp_path / "one"], Settings())
        legacy = search(opened, '"nickel 3"')[0].uuid
    with sqlite3.connect(path) as db:  # as an earlier version wrote it
        old_id = db.execute("SELECT rowid FROM search_fts WHERE uuid = ?", (legacy,)).fetchone()[0]
        db.execute("UPDATE search_fts SET rowid = ? WHERE uuid = ?", (index.legacy_rowid(legacy), legacy))
        db.execute("UPDATE search_titles SET id = ? WHERE id = ?", (index.legacy_rowid(legacy), old_id))
    assert entries() == (4, 4, 1)
    with Store(sqlite_url) as opened:
        assert import_paths(opened, [tmp_path / "two"], Settings()).updated == 1  # a later date: a new rowid
        assert entries() == (4, 4, 1) and ids(search(opened, "nickel", limit=10, newest=True))[0] == 0
        assert import_paths(opened, [tmp_path / "three"], Settings()).updated == 1  # the old scheme's entry goes
        assert entries() == (4, 4, 0) and ids(search(opened, "again")) == [3]
        prune(opened, Settings(retention_days=30), [])
        assert entries() == (0, 0, None)
