"""The store on real SQLite files and the real PostgreSQL (db_url runs each test on both)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsdesk.config import database_url
from newsdesk.enrich import enrich
from newsdesk.errors import StoreError
from newsdesk.store import Store
from newsdesk.store.engine import newest_revision
from tests.conftest import article

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_migrations_create_the_schema_once(db_url):
    Store(db_url).close()
    with Store(db_url) as store:  # opening again migrates nothing and loses nothing
        tables = set(sa.inspect(store.engine).get_table_names())
    assert {"articles", "article_versions", "alembic_version"} <= tables


def test_an_older_database_is_migrated_and_a_current_one_is_left_alone(sqlite_url):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from newsdesk.store.engine import MIGRATIONS, newest_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert newest_revision() == ScriptDirectory.from_config(config).get_current_head()
    with Store(sqlite_url) as store, store.engine.begin() as conn:  # as if the newest migration had not run
        conn.execute(sa.text("DROP INDEX ix_article_tags_tag_published"))
        conn.execute(sa.text("ALTER TABLE article_tags DROP COLUMN published"))
        conn.execute(sa.text("DROP TABLE marks"))
        conn.execute(sa.text("CREATE INDEX ix_article_tags_tag ON article_tags (tag)"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0006'"))
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == newest_revision()
        assert "ix_article_tags_tag_published" in {i["name"] for i in sa.inspect(conn).get_indexes("article_tags")}


def test_cluster_keys_and_tags_move_into_tables_without_rowid_whole(sqlite_url):
    # migration 0010 on a database made before it, after a killed run of it: the same
    # rows, in lean tables, indexed
    tables = {"cluster_keys": '"key", uuid', "article_tags": "uuid, tag, kind, published"}
    with Store(sqlite_url) as store:
        made = [
            article(n, title=f"黄金价格第{n}次创下新高 gold record high", text="金价上涨。" * 20) for n in range(30)
        ]
        store.save([enrich(a) for a in made], [], T0)
        with store.engine.begin() as conn:
            before = {
                name: conn.execute(sa.text(f"SELECT {cols} FROM {name} ORDER BY 1, 2")).all()
                for name, cols in tables.items()
            }
            assert all(len(rows) >= 30 for rows in before.values())
            for name, cols in tables.items():  # as they were: tables with a rowid
                conn.execute(sa.text(f"CREATE TABLE {name}_old AS SELECT {cols} FROM {name}"))
                conn.execute(sa.text(f"DROP TABLE {name}"))
                conn.execute(sa.text(f"ALTER TABLE {name}_old RENAME TO {name}"))
            # as a run of the migration killed after its first steps left it (SQLite runs DDL
            # outside the transaction): the index already gone, an empty new table made
            conn.execute(sa.text("CREATE TABLE cluster_keys_lean (x INTEGER)"))
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0009'"))
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        after = {
            name: conn.execute(sa.text(f"SELECT {cols} FROM {name} ORDER BY 1, 2")).all()
            for name, cols in tables.items()
        }
        made_sql = dict(conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
        indexes = {i["name"] for name in tables for i in sa.inspect(conn).get_indexes(name)}
    assert after == before
    assert all("WITHOUT ROWID" in made_sql[name] for name in tables)
    assert indexes == {"ix_cluster_keys_uuid", "ix_article_tags_tag_published", "ix_article_tags_kind_tag"}


def test_round_trip_keeps_every_field_and_an_aware_utc_date(db_url):
    with Store(db_url) as store:
        store.save([article(1, image="https://i.example.com/1.png", author="作者", language="zh-CN", kind=2)], [], T0)
        got = store.get(f"{1:032x}")
    assert got is not None
    assert got.published == datetime(2025, 2, 7, 8, 37, 50, tzinfo=UTC)
    assert got.published.utcoffset() == timedelta(0)
    assert (got.first_seen, got.updated) == (T0, T0)
    # Not enriched: no tags, and a cluster of its own (named by its uuid).
    assert (got.image, got.author, got.language, got.kind, got.tags, got.tickers, got.cluster) == (
        "https://i.example.com/1.png",
        "作者",
        "zh-CN",
        2,
        [],
        [],
        f"{1:032x}",
    )


def test_saving_twice_never_duplicates(db_url):
    with Store(db_url) as store:
        store.save([article(1), article(2)], [], T0)
        store.save([article(1)], [], T0 + timedelta(hours=1))
        assert store.count() == 2
        assert store.get(f"{1:032x}").first_seen == T0


def test_an_update_replaces_the_body_and_keeps_first_seen(db_url):
    later = T0 + timedelta(days=1)
    with Store(db_url) as store:
        store.save([article(1)], [], T0)
        store.save([], [article(1, html="<p>新</p>", markdown="新", text="新", content_hash="h1b")], later)
        got = store.get(f"{1:032x}")
        assert (got.markdown, got.content_hash, got.first_seen, got.updated) == ("新", "h1b", T0, later)
        assert store.known([f"{1:032x}", f"{9:032x}"]) == {f"{1:032x}": {"h1", "h1b"}}


def test_iteration_is_newest_first_and_streams(db_url):
    with Store(db_url) as store:
        store.save([article(n, published=T0 + timedelta(minutes=n)) for n in range(1, 8)], [], T0)
        assert [a.uuid[-1] for a in store.iter_articles(batch=2)] == list("7654321")


def test_known_handles_more_ids_than_one_query_takes(db_url):
    with Store(db_url) as store:
        store.save([article(n) for n in range(1200)], [], T0)
        assert len(store.known(f"{n:032x}" for n in range(0, 2400))) == 1200


def test_a_tag_page_reads_the_tag_index_in_date_order_with_cursors_and_dates(db_url):
    from datetime import datetime as dt

    from newsdesk.models import ArticleFilter

    with Store(db_url) as store:
        made = [
            article(
                n,
                published=dt(2025, 2, 1 + n % 20, 8, n, tzinfo=UTC),
                tags=["黄金", "GLD"] if n % 2 else ["原油"],
                tickers=["GLD"] if n % 2 else [],
            )
            for n in range(40)
        ]
        store.save(made, [], datetime.now(UTC))
        gold = sorted(
            (a for a in made if a.tags and "黄金" in a.tags), key=lambda a: (a.published, a.uuid), reverse=True
        )
        first = store.page(ArticleFilter(tag="黄金"), 5)
        assert [a.uuid for a in first] == [a.uuid for a in gold[:5]]
        after = (first[-1].published, first[-1].uuid)
        assert [a.uuid for a in store.page(ArticleFilter(tag="黄金"), 5, after)] == [a.uuid for a in gold[5:10]]
        assert [a.uuid for a in store.page(ArticleFilter(tag="黄金"), 5, offset=15)] == [a.uuid for a in gold[15:20]]
        since = ArticleFilter(tag="黄金", since=dt(2025, 2, 15, tzinfo=UTC))
        assert {a.uuid for a in store.page(since, 50)} == {a.uuid for a in gold if a.published >= since.since}
        assert store.page(ArticleFilter(tag="黄金", source="nowhere"), 5) == []  # other filters: the general query
        # counts of a tag page come from the tag index alone, and agree with the lists
        assert store.count_where(ArticleFilter(tag="黄金")) == len(gold) == 20
        assert store.count_where(since) == len([a for a in gold if a.published >= since.since])
        assert store.count_where(ArticleFilter(tag="黄金", until=dt(2025, 2, 10, tzinfo=UTC))) == 8  # days 2–8
        assert store.count_where(ArticleFilter(ticker="gld")) == 20
        assert store.count_where(ArticleFilter(ticker="原油")) == 0  # a topic is no ticker
        assert store.count_where(ArticleFilter(tag="黄金", source="nowhere")) == 0


def test_a_language_page_merges_each_regional_form_newest_first_with_cursors_and_filters(db_url):
    from datetime import datetime as dt

    from newsdesk.models import ArticleFilter, in_language

    forms = ["zh-CN", "zh-TW", "zh-HK", "zh", "zhx", "en", "en-GB", None]
    with Store(db_url) as store:
        made = [
            article(
                n,
                published=dt(2025, 2, 1 + n % 9, 8, n % 7, tzinfo=UTC),
                language=forms[n % len(forms)],
                source=f"wire_{n % 3}",
            )  # fmt: skip
            for n in range(120)
        ]  # several articles share a publication time: the uuid breaks the tie
        store.save(made, [], datetime.now(UTC))
        filters = [ArticleFilter(lang="zh"), ArticleFilter(lang="en", source="wire_1"), ArticleFilter(lang="zh-tw")]
        filters += [ArticleFilter(lang="zh", since=dt(2025, 2, 4, tzinfo=UTC)), ArticleFilter(lang="fr")]
        for where in filters:
            expected = [a.uuid for a in sorted(made, key=lambda a: (a.published, a.uuid), reverse=True)
                        if where.matches(a)]  # fmt: skip
            assert all(in_language(a.language, where.lang or "") for a in made if a.uuid in expected)
            assert [a.uuid for a in store.page(where, 7)] == expected[:7], where
            assert [a.uuid for a in store.page(where, 7, offset=9)] == expected[9:16], where
            seen, after = [], None
            while page := store.page(where, 6, after):
                seen += [a.uuid for a in page]
                after = (page[-1].published, page[-1].uuid)
            assert seen == expected, where
            assert store.count_where(where) == len(expected)


def test_the_search_heads_are_made_again_from_stored_documents_on_migration(pg_url):
    # migration 0008 fills search_heads from each stored doc: the result must be what
    # the import writes (title, then the first HEAD_TOKENS body tokens), the filter
    # columns copied
    from newsdesk.store.index import HEAD_TOKENS

    body = " ".join(f"w{n}" for n in range(HEAD_TOKENS + 50)) + " it's a\\b w3"
    read = "SELECT uuid, source, language, published, head::text FROM search_heads ORDER BY uuid"
    with Store(pg_url) as store:
        made = [article(1, title="O'Neil's a\\b rate", text=body, language="en"), article(2, title="", text="short")]
        store.save(made, [], T0)
        with store.engine.begin() as conn:
            written = conn.execute(sa.text(read)).all()
            assert len(written) == 2 and all(row[-1] for row in written)
            conn.execute(sa.text("DROP TABLE search_heads"))
            conn.execute(sa.text("DROP TABLE marks"))
            conn.execute(sa.text("CREATE INDEX ix_article_tags_tag ON article_tags (tag)"))
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0007'"))
    with Store(pg_url) as store, store.engine.connect() as conn:
        remade = conn.execute(sa.text(read)).all()
        assert "ix_search_heads_head" in {i["name"] for i in sa.inspect(conn).get_indexes("search_heads")}
    assert remade == written
    long_head = remade[0][-1]
    assert "'w0':" in long_head and f"'w{HEAD_TOKENS - 1}':" in long_head and f"'w{HEAD_TOKENS}'" not in long_head


def test_head_of_reads_back_any_token_postgresql_prints(pg_url):
    from newsdesk.store.index import HEAD_TOKENS, head_of, tsvector

    title = ["o'neil", "a\\b", "''", "x"]
    body = [f"t{n % 130}" for n in range(HEAD_TOKENS + 200)] + ["o'neil", "late"]
    with Store(pg_url) as store, store.engine.connect() as conn:

        def text(literal: str) -> str:
            return conn.execute(sa.text("SELECT CAST(:v AS tsvector)::text"), {"v": literal}).scalar_one()

        assert text(head_of(text(tsvector(title, body)))) == text(tsvector(title, body[:HEAD_TOKENS]))
        assert text(head_of(text(tsvector([], body)))) == text(tsvector([], body[:HEAD_TOKENS]))


def test_a_migration_stopped_half_way_leaves_the_database_as_it_was(sqlite_url):
    """A migration is one transaction on SQLite too: 0010 failing at its last steps (a
    view of the user's names the table it replaces) leaves 0009's tables, index and
    revision; without the view it then runs."""
    with Store(sqlite_url) as store:
        store.save([enrich(article(n, title=f"黄金第{n}次创新高", text="金价上涨。" * 20)) for n in range(5)], [], T0)
        with store.engine.begin() as conn:
            conn.execute(sa.text("CREATE INDEX ix_article_tags_tag ON article_tags (tag)"))
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0009'"))
            conn.execute(sa.text("CREATE VIEW my_keys AS SELECT uuid FROM cluster_keys"))
            keys = conn.execute(sa.text('SELECT "key", uuid FROM cluster_keys ORDER BY 1, 2')).all()
    assert keys
    with pytest.raises(StoreError, match="error in view my_keys"):
        Store(sqlite_url)
    engine = sa.create_engine(database_url(sqlite_url))
    with engine.begin() as conn:
        names = set(conn.execute(sa.text("SELECT name FROM sqlite_master")).scalars())
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0009"
        assert {"cluster_keys", "ix_article_tags_tag"} <= names and "cluster_keys_lean" not in names
        assert conn.execute(sa.text('SELECT "key", uuid FROM cluster_keys ORDER BY 1, 2')).all() == keys
        conn.execute(sa.text("DROP VIEW my_keys"))
    engine.dispose()
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == newest_revision()


def test_a_numbered_page_in_the_older_half_is_read_from_the_oldest_end_with_the_same_rows(db_url):
    from datetime import datetime as dt

    from newsdesk.models import ArticleFilter
    from newsdesk.publish.lists import list_pages

    forms = ["zh-CN", "zh", "en", None]
    with Store(db_url) as store:
        made = [
            article(
                n,
                published=dt(2025, 2, 1 + n % 9, 8, n % 5, tzinfo=UTC),
                language=forms[n % 4],
                source=f"wire_{n % 3}",
                tags=(["黄金"] if n % 2 else ["原油"]) + (["GLD"] if n % 3 else []),
                tickers=["GLD"] if n % 3 else [],
            )  # fmt: skip
            for n in range(90)
        ]  # shared publication times: the uuid breaks the tie, in both directions
        store.save(made, [], datetime.now(UTC))
        filters = [ArticleFilter(), ArticleFilter(lang="zh"), ArticleFilter(tag="黄金"), ArticleFilter(ticker="GLD")]
        filters += [ArticleFilter(source="wire_1", lang="zh"), ArticleFilter(tag="原油", source="wire_2")]
        filters += [ArticleFilter(lang="zh", tag="黄金")]
        for where in filters:
            expected = [a.uuid for a in sorted(made, key=lambda a: (a.published, a.uuid), reverse=True)
                        if where.matches(a)]  # fmt: skip
            total = len(expected)
            assert total > 8 and store.count_where(where) == total, where  # the pager's count, too
            for _, start, stop in list_pages(total, 4):  # the front page, then from the oldest
                page = store.page(where, stop - start, offset=start, total=total)
                assert [a.uuid for a in page] == expected[start:stop], (where, start)
            assert store.page(where, 4, offset=total - 2, total=total)[-1].uuid == expected[-1]  # a short last page


def test_a_page_deep_in_a_language_or_source_list_is_read_from_an_index_alone(sqlite_url):
    from sqlalchemy.dialects import sqlite

    from newsdesk.models import ArticleFilter
    from newsdesk.store import listing

    with Store(sqlite_url) as store:
        store.save([article(n, language="en", source=f"wire_{n % 2}") for n in range(40)], [], datetime.now(UTC))
        with store.engine.connect() as conn:
            for where, index in ((ArticleFilter(lang="en"), "language"), (ArticleFilter(source="wire_1"), "source")):
                query = listing.page_query(where, 5, offset=10, languages=listing.languages(conn, "en"))
                sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
                plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
                assert f"COVERING INDEX ix_articles_{index}_published_uuid" in plan, plan


def test_search_rowids_written_by_uuid_are_rewritten_by_time_on_migration(sqlite_url):
    # migration 0011 gives the rows an earlier version wrote (rowid from the uuid) the
    # rowid the store writes now (index.rowid: publication time, then the uuid)
    from newsdesk.store import index

    with Store(sqlite_url) as store:
        made = [article(n, title=f"铜价第{n}次上涨", published=T0 - timedelta(hours=n)) for n in range(12)]
        store.save([enrich(a) for a in made], [], T0)
        with store.engine.begin() as conn:
            for a in made:
                conn.execute(
                    sa.text("UPDATE search_fts SET rowid = :legacy WHERE uuid = :uuid"),
                    {"legacy": index.legacy_rowid(a.uuid), "uuid": a.uuid},
                )
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0010'"))
            conn.execute(sa.text("DROP TABLE search_titles"))  # added later (0013), from the index
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT uuid, rowid FROM search_fts")).all())
        titles = dict(conn.execute(sa.text("SELECT id, title FROM search_titles")).all())
        stored = dict(conn.execute(sa.text("SELECT rowid, title FROM search_fts")).all())
    assert rows == {a.uuid: index.rowid(a.uuid, a.published) for a in made}
    assert sorted(rows, key=rows.__getitem__) == [a.uuid for a in reversed(made)]  # oldest first
    assert titles == stored and len(titles) == 12
