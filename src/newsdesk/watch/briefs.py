"""Briefs: the top stories of a trading session, each in a headline per language and
one sentence from its own text — what a trader reads at the open and at the close.

Two editions a day, at the times of the settings ``briefs.morning`` and ``briefs.close``
in a zone (the site's, or a watchlist's): the **morning** brief of a day holds what was
published from the previous day's close to that morning, the **close** brief what was
published from the morning to the close. Its stories are ranked as the top stories are
(:mod:`newsdesk.stories`) at the end of the period, over that period's articles; a
brief for a filter (language, source, ticker, tag, importance) or for a watchlist keeps
the stories one of whose articles passes it. Each story gets, for each language it was
reported in, one sentence of the article that gave its headline, chosen by
:func:`newsdesk.enrich.sentences.best` — the sentences that article's source repeats in
its other recent articles (promotions, disclaimers) are passed over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from newsdesk import stories
from newsdesk.config import Settings
from newsdesk.enrich import sentences
from newsdesk.errors import QueryError
from newsdesk.models import Article, ArticleFilter, Watchlist
from newsdesk.search import MAX_LIMIT, search
from newsdesk.store import Store
from newsdesk.stories import Story
from newsdesk.watch.matcher import passes
from newsdesk.watch.schedule import parse_clock

__all__ = [
    "EDITIONS", "KEY", "MAX_ARTICLES", "NAMES", "Brief", "Period", "Reads", "for_watchlist", "latest", "make",
    "message", "period", "queue", "recent",
]  # fmt: skip

EDITIONS = ("morning", "close")
MAX_ARTICLES = 20_000  # articles of one period read at the most (newest first)
KEY = "brief:"  # a watchlist's brief in the outbox: an alert whose story is "brief:EDITION:DAY"
STALE = timedelta(hours=6)  # a brief not sent this long after its period ended is not sent any more
_SOURCE_SAMPLE = 8  # other articles of a source read to find the sentences it repeats
NAMES = {"morning": "早报 Morning brief", "close": "收盘 Market-close brief"}


@dataclass(frozen=True, slots=True)
class Period:
    edition: str  # "morning" or "close"
    day: date  # the day of the edition, in ``zone``
    start: datetime  # aware; the period is [start, end)
    end: datetime
    zone: str

    @property
    def title(self) -> str:
        return f"{NAMES[self.edition]} · {self.day.isoformat()}"


@dataclass(slots=True)
class Entry:
    """One story of a brief: the story, and a sentence for each of its languages."""

    story: Story
    sentences: dict[str, str] = field(default_factory=dict)
    link: str = ""  # the first article's address


@dataclass(slots=True)
class Brief:
    period: Period
    entries: list[Entry]
    articles: int  # articles published in the period (of those read)

    def text(self) -> str:
        """The brief as plain text: each story's headlines, sentences and outlets, numbered."""
        lines = []
        for n, item in enumerate(self.entries, 1):
            story = item.story
            heads = " / ".join(story.headlines[lang] for lang in story.languages)
            said = " ".join(item.sentences[lang] for lang in story.languages if lang in item.sentences)
            outlets = f"{len(story.outlets)} outlets" if len(story.outlets) > 1 else story.outlets[0]
            lines.append(f"{n}. {heads} ({outlets})" + (f"\n{said}" if said else "") + f"\n{item.link}")
        return "\n\n".join(lines) or "No stories in this period."

    def as_json(self) -> dict[str, object]:
        zone = ZoneInfo(self.period.zone)
        return {
            "edition": self.period.edition,
            "day": self.period.day.isoformat(),
            "title": self.period.title,
            "from": self.period.start.astimezone(zone).isoformat(),
            "until": self.period.end.astimezone(zone).isoformat(),
            "articles": self.articles,
            "stories": [
                {
                    "id": e.story.id,
                    "headlines": e.story.headlines,
                    "sentences": e.sentences,
                    "outlets": e.story.outlets,
                    "languages": e.story.languages,
                    "first_reported_by": e.story.first_reported_by,
                    "tickers": e.story.tickers,
                    "importance": e.story.importance,
                    "articles": e.story.articles,
                    "score": e.story.score,
                    "link": e.link,
                }
                for e in self.entries
            ],
        }


def period(edition: str, day: date, zone: str, settings: Settings) -> Period:
    """The period of ``edition`` on ``day`` in ``zone`` (ValueError for an unknown edition)."""
    if edition not in EDITIONS:
        raise ValueError(f"{edition!r} is not a brief: morning or close")
    tz, morning, close = ZoneInfo(zone), parse_clock(settings.briefs_morning), parse_clock(settings.briefs_close)
    if edition == "morning":  # from the previous day's close
        start, end = datetime.combine(day - timedelta(days=1), close, tz), datetime.combine(day, morning, tz)
    else:
        start, end = datetime.combine(day, morning, tz), datetime.combine(day, close, tz)
    return Period(edition, day, start.astimezone(UTC), end.astimezone(UTC), zone)


def latest(edition: str, now: datetime, zone: str, settings: Settings) -> Period:
    """The newest period of ``edition`` that has ended at ``now``."""
    today = now.astimezone(ZoneInfo(zone)).date()
    found = period(edition, today, zone, settings)
    return found if found.end <= now else period(edition, today - timedelta(days=1), zone, settings)


def recent(edition: str, now: datetime, zone: str, settings: Settings, count: int) -> list[Period]:
    """The ``count`` newest periods of ``edition`` that have ended at ``now``, newest first."""
    last = latest(edition, now, zone, settings)
    return [period(edition, last.day - timedelta(days=n), zone, settings) for n in range(count)]


class Reads(Protocol):
    """What a brief reads (a :class:`newsdesk.store.Store`; the site build's reader)."""

    def members(
        self,
        group: tuple[str, str],
        limit: int,
        before: tuple[datetime, str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Article]: ...
    def get_many(self, uuids: Iterable[str]) -> Mapping[str, Article]: ...


def make(
    store: Reads,
    when: Period,
    settings: Settings,
    *,
    where: ArticleFilter | None = None,
    keep: Callable[[Article], bool] | None = None,
) -> Brief:
    """The brief of ``when``: its top stories one of whose articles passes ``where``
    (and ``keep``)."""
    window = store.members(("all", ""), MAX_ARTICLES, since=when.start, until=when.end)
    ranked, members = stories.ranked(window, when.end, settings)
    wanted = where or ArticleFilter()
    kept = [s for s in ranked if any(wanted.matches(a) and (keep is None or keep(a)) for a in members[s.id])]
    return Brief(when, [_entry(store, s, members[s.id]) for s in kept[: settings.briefs_stories]], len(window))


def for_watchlist(store: Store, when: Period, settings: Settings, watchlist: Watchlist) -> Brief:
    """The brief of ``when`` of the stories ``watchlist`` matches: by ticker, or found by
    its query among the period's articles (and within its sources, languages, kinds)."""
    found: set[str] = set()
    if watchlist.query:
        bounds = ArticleFilter(since=when.start, until=when.end - timedelta(microseconds=1))
        with contextlib.suppress(QueryError):  # checked when saved; a later grammar may refuse it
            found = {hit.uuid for hit in search(store, watchlist.query, limit=MAX_LIMIT, where=bounds, newest=True)}
    tickers = set(watchlist.tickers)

    def keep(article: Article) -> bool:
        return bool(article.uuid in found or tickers & set(article.tickers)) and passes(watchlist, article)

    return make(store, when, settings, keep=keep)


def _entry(store: Reads, story: Story, members: list[Article]) -> Entry:
    """A story with one sentence per language, from the article that gave its headline."""
    by_title: dict[tuple[str, str], Article] = {}
    for article in sorted(members, key=stories.reported_at):
        by_title.setdefault(((article.language or "und").split("-")[0].lower(), article.title), article)
    givers = [by_title[(lang, title)] for lang, title in story.headlines.items() if (lang, title) in by_title]
    bodies = store.get_many([a.uuid for a in givers])
    said: dict[str, str] = {}
    for lang, title in story.headlines.items():
        giver = by_title.get((lang, title))
        body = bodies.get(giver.uuid) if giver else None
        if giver is None or body is None or not body.text:
            continue
        others = store.members(("source", giver.source), _SOURCE_SAMPLE + 1, until=giver.published)
        texts = store.get_many([o.uuid for o in others if o.uuid != giver.uuid][:_SOURCE_SAMPLE])
        repeated = sentences.repeated([*(a.text for a in texts.values()), body.text])
        sentence = sentences.best(body.text, title, repeated=repeated)
        if sentence:
            said[lang] = sentence
    first = next((a for a in members if a.uuid == story.uuids[0]), members[0])
    return Entry(story, said, first.link)


def queue(store: Store, watchlists: Iterable[Watchlist], now: datetime, settings: Settings) -> int:
    """Queue in the outbox each brief of ``watchlists`` (their ``brief`` editions) whose
    period has ended, in the watchlist's zone, within :data:`STALE` of ``now`` — once:
    a brief already queued is not queued again. Returns how many are new."""
    due = []
    for watchlist in watchlists:
        for edition in watchlist.brief:
            last = latest(edition, now, watchlist.zone, settings)
            if now - last.end <= STALE:
                due.append((watchlist.name, f"{KEY}{edition}:{last.day.isoformat()}"))
    return store.queue_briefs(due, now) if due else 0


def message(store: Store, watchlist: Watchlist, key: str, settings: Settings | None) -> tuple[str, str]:
    """The message (title, body) of the brief queued as ``key`` for ``watchlist``."""
    edition, _, day = key.removeprefix(KEY).partition(":")
    settings = settings or Settings()
    made = for_watchlist(store, period(edition, date.fromisoformat(day), watchlist.zone, settings), settings, watchlist)
    return f"[{watchlist.name}] {made.period.title}", made.text()
