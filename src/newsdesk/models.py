"""Plain dataclasses the stages hand to each other (never ORM rows)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from newsdesk import agencies


@dataclass(slots=True)
class Record:
    """One item as a source or a seed-system file gives it, validated but not cleaned.

    ``uuid`` is md5 of the link (the seed system's identity); ``content_hash``
    fingerprints every input field so that an unchanged re-import costs no cleaning.
    """

    uuid: str
    link: str
    title: str
    description: str
    source: str
    published: datetime | None
    external_id: str | None = None
    image: str | None = None
    author: str | None = None
    language: str | None = None
    kind: int = 1
    kind_raw: str | None = None
    importance: int = 0  # what the source says: 0 normal, 1 important, 2 top (IMPORTANCE)
    content_hash: str = ""
    origin: str = ""  # where it came from, for error messages: "file.json record 12"
    zone: tzinfo | None = None  # the source's time zone: which day is today for a dateline
    event: tuple[str, int] | None = None  # a calendar release: (country code, stars) of its event
    context: datetime | None = None  # undated: when it was around (its file's last dated item)


@dataclass(slots=True)
class Article:
    """A cleaned article, as the store keeps it and the publishers read it."""

    uuid: str
    link: str
    source: str
    title: str
    raw_html: str
    html: str
    markdown: str
    text: str
    summary: str
    published: datetime  # when undated (``dated`` false): the first sighting, for sorting only
    external_id: str | None = None
    image: str | None = None
    author: str | None = None
    language: str | None = None
    kind: int = 1
    kind_raw: str | None = None
    importance: int = 0  # 0 normal, 1 important, 2 top, as the source marked it
    content_hash: str = ""
    first_seen: datetime | None = None
    updated: datetime | None = None
    tags: list[str] = field(default_factory=list)
    tickers: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # newsdesk.enrich.sections: 1–3, best first
    cluster: str | None = None
    minhash: bytes | None = None  # near-duplicate signature (newsdesk.minhash)
    mentions: list[str] = field(default_factory=list)  # what links it across languages (enrich.mentions)
    headline: list[str] = field(default_factory=list)  # the names of those its title names (enrich.mentions)
    enriched: int = 0  # newsdesk.enrich.VERSION that filled language, tickers, tags, minhash
    tokens: tuple[str, str] | None = None  # space-separated search tokens of title and body (made by enrich)
    dated: bool = True  # false: no source gave a publication time
    dateline: bool = False  # the date is the day the text's dateline names (the source gave none)
    event: tuple[str, int] | None = None  # a calendar release (kind 3): its event's country and stars; not stored


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One entry of an economic calendar: a data release (``kind`` "data": actual,
    forecast, previous, revised values with their unit) or an event ("event": a meeting,
    a speech). ``scheduled`` is None when the time is not known yet."""

    source: str
    event_id: str
    name: str
    country: str  # as the source names it (美国)
    country_code: str  # US, CN, EU, UK … ("" when unknown)
    stars: int  # importance, 0–5
    scheduled: datetime | None
    link: str
    kind: str = "data"
    actual: str = ""
    forecast: str = ""
    previous: str = ""
    revised: str = ""
    unit: str = ""
    period: str = ""

    def as_json(self) -> dict[str, object]:
        values = {f: getattr(self, f) for f in self.__dataclass_fields__}
        return {**values, "scheduled": self.scheduled.isoformat() if self.scheduled else None}


# What ``ArticleFilter.lang`` may be given: zh, zh-CN, en-GB (BCP 47 language and subtags).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def canonical_language(tag: str) -> str:
    """A language tag in its usual case: ``zh-cn`` → ``zh-CN``, ``ZH-HANT-tw`` → ``zh-Hant-TW``."""
    parts = tag.split("-")
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    return "-".join(fixed)


def in_language(language: str | None, wanted: str) -> bool:
    """Whether ``language`` is ``wanted`` or one of its regional forms (``zh`` takes
    ``zh-HK``), in any case."""
    lang, want = (language or "").lower(), wanted.lower()
    return lang == want or lang.startswith(want + "-")


@dataclass(slots=True)
class ArticleFilter:
    """Which articles a search or a listing may return (``None``: no restriction).

    ``lang`` matches a language and its regional forms (``zh`` matches ``zh-HK``);
    ``since``/``until`` bound the publication time (inclusive, aware datetimes).
    """

    source: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ticker: str | None = None
    tag: str | None = None
    importance: int = 0  # at least this importance (0: any)
    section: str | None = None  # one of newsdesk.enrich.sections.SECTIONS

    @property
    def lang_pattern(self) -> str:
        """LIKE pattern for the regional forms of ``lang`` (``zh`` → ``zh-%``), wildcards removed."""
        return (self.lang or "").replace("%", "").replace("_", "") + "-%"

    def matches(self, article: Article) -> bool:
        """Whether ``article`` passes, as the store's listing conditions decide it."""
        return (
            (not self.source or article.source == self.source)
            and (not self.lang or in_language(article.language, self.lang))
            and (not self.since or article.published >= self.since)
            and (not self.until or article.published <= self.until)
            and (not self.ticker or self.ticker.upper() in article.tickers)
            and (not self.tag or self.tag in article.tags)
            and (not self.section or self.section in article.sections)
            and article.importance >= self.importance
        )


@dataclass(slots=True)
class SourceHealth:
    """How a source has been doing, as the store keeps it (``newsdesk sources``).

    ``state``: ``ok``; ``failing`` (its last run raised: timeout, HTTP error, bad
    document...); ``drifted`` (its last run worked but broke the source's contract:
    too few items, missing fields, dates that do not parse).
    """

    name: str
    state: str = "ok"
    last_run: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0  # consecutive failed (or drifted) runs
    new_items: int = 0  # of the last run
    seen_items: int = 0
    latency_ms: int | None = None
    validators: dict[str, str] | None = None
    last_good: dict[str, object] | None = None
    bad_sample: dict[str, object] | None = None
    alerted: str | None = None
    enabled: bool | None = None  # set by an admin; None: as the catalog says
    rejected: dict[str, int] | None = None  # items the last run rejected, by reason

    def as_json(self) -> dict[str, object]:
        """The public part (``newsdesk sources --json``, ``/api/sources``)."""
        return {
            "state": self.state,
            "last_run": self.last_run.isoformat() if self.last_run else None,
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "last_error": self.last_error,
            "failures": self.failures,
            "new_items": self.new_items,
            "seen_items": self.seen_items,
            "latency_ms": self.latency_ms,
            "rejected": dict(self.rejected or {}),
        }


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A saved filter whose new matches are pushed to the user (``newsdesk watch``).

    An article matches when it names one of ``tickers`` or matches ``query`` (the
    search language; either suffices when both are given), or — with neither — is in
    one of ``sections``; and comes from one of ``sources``, in one of ``languages``, of
    one of ``kinds``, in one of ``sections`` where those are given. With ``calendar``
    (countries) or ``stars`` it matches economic calendar releases of those countries and
    of at least that importance (alone: every such release).
    ``notify`` holds Apprise URLs, or ``${NAME}`` for a URL kept in the environment.
    In ``breaking`` mode a matching story alerts only once ``outlets`` outlets have
    carried it within ``minutes``.
    """

    name: str
    tickers: tuple[str, ...] = ()
    query: str | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    kinds: tuple[int, ...] = ()
    notify: tuple[str, ...] = ()
    mode: str = "instant"  # or "digest": every ``every`` minutes, or daily ``at`` HH:MM; or "breaking"
    every: int = 60
    at: str | None = None
    quiet: str | None = None  # "22:00-07:00": nothing sent inside, held to the end
    zone: str = "Asia/Shanghai"
    enabled: bool = True
    public: bool = False  # its page and feeds are served (/watch/NAME/)
    origin: str = "database"  # or the settings file that defines it
    per_hour: int = 0  # at most this many sends an hour (0: no limit); more wait and go together
    outlets: int = 3  # breaking: a matching story alerts once this many outlets carry it within ``minutes``
    minutes: int = 30
    important_only: bool = False  # only items their source marked important
    brief: tuple[str, ...] = ()  # "morning", "close": the day's briefs of its stories, sent at their times
    sections: tuple[str, ...] = ()  # newsdesk.enrich.sections keys
    calendar: tuple[str, ...] = ()  # calendar releases of these countries (codes: US, CN, EU …)
    stars: int = 0  # calendar releases of at least this importance

    def as_json(self) -> dict[str, object]:
        """The definition, with notification URLs masked (they hold tokens)."""
        return {
            "name": self.name,
            "tickers": list(self.tickers),
            "query": self.query,
            "sources": list(self.sources),
            "languages": list(self.languages),
            "kinds": list(self.kinds),
            "notify": [mask_url(u) for u in self.notify],
            "mode": self.mode,
            "every": self.every,
            "at": self.at,
            "quiet": self.quiet,
            "zone": self.zone,
            "enabled": self.enabled,
            "public": self.public,
            "per_hour": self.per_hour,
            "outlets": self.outlets,
            "minutes": self.minutes,
            "important_only": self.important_only,
            "brief": list(self.brief),
            "sections": list(self.sections),
            "calendar": list(self.calendar),
            "stars": self.stars,
            "origin": self.origin,
        }


def mask_url(url: str) -> str:
    """A notification URL safe to show: ``${NAME}`` as it is, anything after the scheme hidden."""
    if url.startswith("${"):
        return url
    scheme, found, _ = url.partition("://")
    return f"{scheme}://…" if found else "…"


TAG_KINDS = ("ticker", "topic", "agency", "source", "section")


def tag_kinds(article: Article) -> list[tuple[str, str]]:
    """``(tag, kind)`` rows for ``article_tags``: kind is one of :data:`TAG_KINDS`."""
    tickers = set(article.tickers)
    kinds = []
    for tag in article.tags:
        if tag in tickers:
            kind = "ticker"
        elif agencies.canonical(tag) == tag:
            kind = "agency"
        else:
            kind = "source" if tag == article.source else "topic"
        kinds.append((tag[:200], kind))
    kinds += [(section, "section") for section in article.sections]  # a topic of the same word gives way
    return list(dict(kinds).items())


@dataclass(frozen=True, slots=True)
class Preferences:
    """A reader's muted words and sources — their articles are hidden from the reader's
    apps, unread counts and (``reader.js``) lists — and highlighted words, whose articles
    lists mark. Words match titles and summaries case-insensitively, as substrings
    (Chinese has no spaces to split on; the store's ``apps._mentions``)."""

    muted_words: tuple[str, ...] = ()
    muted_sources: tuple[str, ...] = ()
    highlighted: tuple[str, ...] = ()
