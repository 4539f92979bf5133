"""List sizes: read from the trigger-kept ``list_counts`` on SQLite, counted on
PostgreSQL; on both the same as counting the stored rows, through inserts, updates
that move an article to another source or language, changed tags and a prune."""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.models import ArticleFilter, tag_kinds
from newsdesk.store import Store, retention
from tests.conftest import article

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LANGUAGES = ("en", "zh-CN", "zh-TW", "zh", "en-US", None)


def _made(n: int):
    lang = LANGUAGES[n % len(LANGUAGES)]
    tickers = ["NVDA"] if n % 3 == 0 else ["TSLA", "NVDA"] if n % 5 == 0 else []
    return article(
        n,
        source=("wsj", "jin10", "cnyes")[n % 3],
        language=lang,
        tickers=tickers,
        tags=tickers + (["黄金"] if n % 4 == 0 else ["gold"] if n % 7 == 0 else []),
        published=T0 - timedelta(days=n),
    )


def _truth(store: Store) -> tuple[list[tuple[ArticleFilter, int]], Counter[str], Counter[str], Counter[str]]:
    """What counting every stored article in Python gives."""
    stored = list(store.iter_articles(bodies=False))
    sources = Counter(a.source for a in stored)
    languages = Counter(a.language for a in stored if a.language)
    tags = Counter(tag for a in stored for tag, _ in tag_kinds(a))
    filters = [ArticleFilter(), *[ArticleFilter(source=s) for s in ("wsj", "jin10", "cnyes", "none")]]
    filters += [ArticleFilter(lang=lang) for lang in ("en", "zh", "zh-cn", "fr")]
    filters += [ArticleFilter(ticker=t) for t in ("NVDA", "nvda", "TSLA", "AAPL")]
    filters += [ArticleFilter(tag=t) for t in ("黄金", "gold", "NVDA", "nothing")]
    filters += [ArticleFilter(lang="zh", ticker="NVDA"), ArticleFilter(source="wsj", since=T0 - timedelta(days=20))]
    return [(where, sum(map(where.matches, stored))) for where in filters], sources, languages, tags


def _check(store: Store) -> None:
    wanted, sources, languages, tags = _truth(store)
    assert [(where, store.count_where(where)) for where, _ in wanted] == wanted
    assert all(n for _, n in wanted[:3])  # the lists are not empty
    assert store.count() == sum(sources.values())
    assert {name: n for name, n, _ in store.source_counts()} == dict(sources)
    assert dict(store.language_counts()) == dict(languages)
    assert dict(store.tag_counts(limit=1000)) == dict(tags)
    (top, n), *_ = store.tag_counts("ticker", limit=1)
    assert n == tags[top] == max(tags[ticker] for ticker in ("NVDA", "TSLA", "AAPL"))


def test_list_sizes_stay_the_counted_ones_through_writes_moves_and_a_prune(db_url):
    with Store(db_url) as store:
        made = [_made(n) for n in range(60)]
        store.save(made, [], T0)
        _check(store)
        moved = [
            replace(a, source="wsj", language="en", tickers=["AAPL"], tags=["AAPL"], content_hash="moved")
            for a in made[:12]
        ]
        store.save([], moved, T0)  # an update changes source, language and tags
        _check(store)
        assert store.count_where(ArticleFilter(ticker="AAPL")) == 12
        store.prune(retention.Cutoffs(before=T0 - timedelta(days=30)))
        _check(store)
        assert store.count() == 31


def test_a_database_made_before_the_counts_has_them_filled_on_migration(sqlite_url):
    with Store(sqlite_url) as store:
        store.save([_made(n) for n in range(40)], [], T0)
        with store.engine.begin() as conn:  # as before migration 0014
            for name in [r[0] for r in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type='trigger'"))]:
                conn.execute(sa.text(f"DROP TRIGGER {name}"))
            conn.execute(sa.text("DROP TABLE list_counts"))
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0013'"))
    with Store(sqlite_url) as store:
        _check(store)
        store.save([_made(n) for n in range(40, 50)], [], T0)  # the triggers are back
        _check(store)
        assert store.count() == 50
