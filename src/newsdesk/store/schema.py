"""Table definitions the store queries with (SQLAlchemy Core).

The migrations in ``migrations/versions`` are the history that creates them; a
change here goes with a new migration.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    PostgreSQL keeps ``timestamptz``; SQLite has no zones, so UTC is stored naive.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("external_id", sa.String(200)),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("raw_html", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("markdown", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("image", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("language", sa.String(20)),
    sa.Column("kind", sa.Integer, nullable=False),
    sa.Column("kind_raw", sa.String(200)),
    sa.Column("importance", sa.SmallInteger, nullable=False, server_default="0"),  # 0 normal, 1 important, 2 top
    sa.Column("published", UTCDateTime, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
    sa.Column("content_hash", sa.String(32), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("tickers", sa.JSON, nullable=False),
    sa.Column("sections", sa.JSON, nullable=False, server_default="[]"),  # enrich.sections (0022)
    sa.Column("cluster", sa.String(64)),
    # Version of the enrichment and search index this row was built with; rows
    # below ENRICHED_VERSION are what ``newsdesk reindex`` works through.
    sa.Column("enriched", sa.Integer, nullable=False, server_default="0"),
    # False when no source gave a publication time: ``published`` then holds the
    # first sighting, for sorting, and pages say "first seen" (migration 0004).
    sa.Column("dated", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("dateline", sa.Boolean, nullable=False, server_default=sa.false()),  # dated by its text (0022)
    sa.Index("ix_articles_published_uuid", "published", "uuid"),  # covers a page's uuids (0005)
    sa.Index("ix_articles_source_published_uuid", "source", "published", "uuid"),  # a list's pages (0012)
    sa.Index("ix_articles_enriched", "enriched"),
    sa.Index("ix_articles_cluster", "cluster"),
    sa.Index("ix_articles_first_seen", "first_seen"),  # the live stream (migration 0005)
    sa.Index("ix_articles_updated", "updated"),  # the web cache's "articles changed" check (0005)
    sa.Index("ix_articles_language_published_uuid", "language", "published", "uuid"),  # language lists (0012)
    # The "important only" timeline: the few marked articles, in date order (0016).
    sa.Index(
        "ix_articles_important",
        "published",
        "uuid",
        sqlite_where=sa.text("importance > 0"),
        postgresql_where=sa.text("importance > 0"),
    ),
)

# Every record version ever imported for an article: a version seen before is a
# duplicate (not an update), so re-importing old files never rolls an article back.
article_versions = sa.Table(
    "article_versions",
    metadata,
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("content_hash", sa.String(32), primary_key=True),
)

# Tags of an article, one row each, for tag pages and ``search --tag/--ticker``.
# kind: one of models.TAG_KINDS (ticker, topic, agency, source); articles.tags keeps the ordered list.
article_tags = sa.Table(
    "article_tags",
    metadata,
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("tag", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("published", UTCDateTime),  # the article's, so that a tag's newest are an index range (0007)
    sa.Index("ix_article_tags_tag_published", "tag", "published", "uuid"),
    sa.Index("ix_article_tags_kind_tag", "kind", "tag"),  # tag counts of a kind read the index only (0005)
    sqlite_with_rowid=False,  # the primary key is the table (0010)
)

# MinHash signatures and their LSH band keys: the persistent near-duplicate index.
article_signatures = sa.Table(
    "article_signatures",
    metadata,
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
)

cluster_keys = sa.Table(
    "cluster_keys",
    metadata,
    sa.Column("key", sa.BigInteger, primary_key=True),
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Index("ix_cluster_keys_uuid", "uuid"),
    sqlite_with_rowid=False,  # the primary key is the table (0010)
)

# What an article names that a report in another language would name too
# (newsdesk.enrich.mentions), hashed: the index cross-lingual stories are linked by.
story_keys = sa.Table(
    "story_keys",
    metadata,
    sa.Column("key", sa.BigInteger, primary_key=True),
    sa.Column("published", UTCDateTime, primary_key=True),
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("title", sa.Boolean, nullable=False, server_default=sa.true()),  # the article's title names it
    sa.Index("ix_story_keys_uuid", "uuid"),
    sqlite_with_rowid=False,  # the primary key, in window order, is the table
)

# How many articles named each story key in each six hours: how common a key is near a
# moment, read without counting its story_keys rows (thousands for "Trump").
story_key_counts = sa.Table(
    "story_key_counts",
    metadata,
    sa.Column("key", sa.BigInteger, primary_key=True),
    sa.Column("slot", sa.Integer, primary_key=True),  # hours since the epoch // 6
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Stories merged into others: the old id keeps resolving to the story that took it in.
story_merges = sa.Table(
    "story_merges",
    metadata,
    sa.Column("old", sa.String(64), primary_key=True),
    sa.Column("new", sa.String(64), nullable=False),
    sa.Column("merged", UTCDateTime, nullable=False),
    sa.Index("ix_story_merges_new", "new"),
)

# The search index is not modelled here: SQLite keeps it in the FTS5 table
# ``search_fts``, PostgreSQL in ``search_index`` (a tsvector with a GIN index);
# migration 0002 creates them and ``store/index.py`` reads and writes them.

# Health of each source, one row per source name (``newsdesk sources``, the alert
# webhook, drift detection). ``enabled`` overrides the catalog when set (admin action).
source_health = sa.Table(
    "source_health",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("state", sa.String(10), nullable=False),  # ok, failing, drifted
    sa.Column("last_run", UTCDateTime),
    sa.Column("last_success", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", UTCDateTime),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("new_items", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seen_items", sa.Integer, nullable=False, server_default="0"),
    sa.Column("latency_ms", sa.Integer),
    sa.Column("validators", sa.JSON),  # ETag / Last-Modified of the list URL
    sa.Column("last_good", sa.JSON),  # a sample item of the last healthy run
    sa.Column("bad_sample", sa.JSON),  # what broke the contract
    sa.Column("alerted", sa.String(10)),  # the state the webhook was last told about
    sa.Column("enabled", sa.Boolean),
    sa.Column("rejected", sa.JSON),  # items the last run rejected, by reason ("no article body": 2)
)

# Who is running a source now: one run of a source at a time across the daemon, the
# web app's admin fetch, the CLI and the workers. A row past ``expires`` is a dead
# run's and may be taken over.
source_runs = sa.Table(
    "source_runs",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("expires", UTCDateTime, nullable=False),
)

# Named times: ``pruned``, when a prune last removed articles (part of the store's
# version, which the newest ``updated`` alone does not change when articles go).
marks = sa.Table(
    "marks",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
)

# Watchlists managed with `newsdesk watch` and the admin API (the settings file may
# define more); the definition is what newsdesk.watch.parse_watchlist reads.
watchlists = sa.Table(
    "watchlists",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("definition", sa.JSON, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
    sa.Column("owner", sa.String(40)),  # the user whose it is (0021); none: the admin's
)

# The outbox: one alert per watchlist and story (cluster), written in the transaction
# that stores the article; state queued → sending → sent, or failed after the retries.
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("watchlist", sa.String(80), nullable=False),
    sa.Column("cluster", sa.String(64), nullable=False),
    sa.Column("uuid", sa.String(32), nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_try", UTCDateTime, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("sent", UTCDateTime),
    sa.Column("claimed_by", sa.String(200)),  # the sender process holding a claim (newsdesk.owners)
    sa.UniqueConstraint("watchlist", "cluster", name="uq_alerts_watchlist_cluster"),
    sa.Index("ix_alerts_state_next_try", "state", "next_try"),
)

# SQLite only (0014): how many articles each source, language and tag holds, kept by
# triggers on ``articles`` and ``article_tags``. kind: "source", "language" or "tag."
# and the tag's kind; name: the stored value.
list_counts = sa.Table(
    "list_counts",
    metadata,
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Accounts (0019): users with an argon2id password hash, and the tokens they sign in
# with from apps (kind "app": app passwords) and scripts (kind "api": Bearer tokens),
# kept as SHA-256 digests (see newsdesk.accounts).
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("password", sa.Text, nullable=False),
    sa.Column("admin", sa.Boolean, nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
)
user_tokens = sa.Table(
    "user_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user", sa.String(40), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("last_used", UTCDateTime),
    # An app password's Fever key (md5 of "name:password", what Fever clients send), as its SHA-256 (0021).
    sa.Column("fever", sa.String(64), index=True),
)
# A signed-in browser: the cookie holds a random token, the store its digest, the user,
# the form token (CSRF) of the session and when it ends.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("user", sa.String(40), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("expires", UTCDateTime, nullable=False),
    sa.Column("token_id", sa.Integer),  # a reader app's sign-in: the app password it came from (0021)
)

# Per-user state of an article (0020): read and starred, for the web, the API and apps.
article_states = sa.Table(
    "article_states",
    metadata,
    sa.Column("user", sa.String(40), primary_key=True),
    sa.Column("uuid", sa.String(32), primary_key=True),
    sa.Column("read", sa.Boolean, nullable=False),
    sa.Column("starred", sa.Boolean, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
    sa.Index("ix_article_states_user_starred", "user", "starred"),
    sa.Index("ix_article_states_uuid", "uuid"),  # an article's states go with it (0021)
)
# A reader's preferences (0021): muted words and sources (models.Preferences).
user_prefs = sa.Table(
    "user_prefs",
    metadata,
    sa.Column("user", sa.String(40), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
)
# How many articles of each source each user has read (0021): unread counts without
# reading every state; kept in the transactions that change states or remove articles.
read_counts = sa.Table(
    "read_counts",
    metadata,
    sa.Column("user", sa.String(40), primary_key=True),
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)

# Reader apps (0021). Numbers for articles in arrival order (Google Reader item ids,
# Fever's since_id), for feeds (any source: catalog or subscription) and for categories;
# a feed's category (folder); feeds added by URL, beside the YAML catalog.
article_ids = sa.Table(
    "article_ids",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(32), nullable=False, unique=True),
    sqlite_autoincrement=True,
)
categories = sa.Table(
    "categories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sqlite_autoincrement=True,
)
feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("category", sa.String(100)),
    sqlite_autoincrement=True,
)
subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("site", sa.Text),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("added_by", sa.String(40)),
    sa.Column("created", UTCDateTime, nullable=False),
)
# Economic calendars (0023): releases and events (models.CalendarEvent), one row each,
# updated as their values arrive; ``released``: a release item was made for its actual.
calendar_events = sa.Table(
    "calendar_events",
    metadata,
    sa.Column("source", sa.String(80), primary_key=True),
    sa.Column("event_id", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.String(80), nullable=False),
    sa.Column("country_code", sa.String(8), nullable=False),
    sa.Column("stars", sa.SmallInteger, nullable=False),
    sa.Column("scheduled", UTCDateTime),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("actual", sa.String(80), nullable=False),
    sa.Column("forecast", sa.String(80), nullable=False),
    sa.Column("previous", sa.String(80), nullable=False),
    sa.Column("revised", sa.String(80), nullable=False),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("period", sa.String(80), nullable=False),
    sa.Column("released", sa.Boolean, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
    sa.Index("ix_calendar_events_scheduled", "scheduled"),
)
