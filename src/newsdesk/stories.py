"""Stories: one event as every outlet carried it, summed up and ranked.

A story today is a near-duplicate cluster (``Article.cluster``: same-language copies
and rewrites, see ``store/clusters.py``); its id is the cluster's. :func:`summarize`
makes a :class:`Story` of its articles — a headline in each language (the earliest
substantive one, not a flash line), its outlets and languages, who reported it first
and by how many minutes, tickers and tags united, its importance (the highest) — and
:func:`rank` orders stories by

    score = (w_outlets · outlets + w_languages · (languages − 1)
             + w_velocity · outlets in the last hour + w_importance · importance)
            · 0.5 ^ (hours since its last report / half-life)

(the weights and the half-life are settings). An outlet counts once however often it
republishes, and an article's time is its publication unless that is later than when
newsdesk first saw it (a clock in the future does not make a story first or fresh).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsdesk.config import Settings
from newsdesk.models import Article

__all__ = ["MAX_WINDOW", "Story", "Weights", "rank", "ranked", "reported_at", "summarize", "weights"]

MAX_WINDOW = 20_000  # articles a ranking reads at the most: the last seen (a backlog imported at once is not a day)

_FLASH = 2  # the seed system's item kind of a flash line
_SUBSTANTIVE = {"zh": 8, "ja": 8, "ko": 8}  # characters a headline needs to be more than a stub (else 20)
_SKEW = timedelta(minutes=5)  # a publication time this far past the first sighting is a wrong clock


@dataclass(frozen=True, slots=True)
class Weights:
    """The ranking's parameters (settings ``stories.*``)."""

    outlets: float = 1.0
    languages: float = 1.0
    velocity: float = 1.0
    importance: float = 2.0
    half_life_hours: float = 6.0


@dataclass(slots=True)
class Story:
    id: str
    headlines: dict[str, str]  # language (primary subtag) → headline
    outlets: list[str]  # sources, first reporter first
    languages: list[str]
    first_seen: datetime
    first_reported_by: str
    lead_minutes: float | None  # over the next outlet; None when one outlet carried it
    last_update: datetime
    articles: int
    importance: int
    tickers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    uuids: list[str] = field(default_factory=list)  # its articles, in the order they were reported
    score: float = 0.0


def reported_at(article: Article) -> datetime:
    """When an article was reported: its publication time, unless that is later than
    newsdesk's first sighting (a wrong clock) — then the sighting."""
    seen = article.first_seen
    if seen is None or article.published <= seen + _SKEW:
        return article.published
    return seen


def _language(article: Article) -> str:
    return (article.language or "und").split("-")[0].lower()


def _substantive(article: Article) -> bool:
    return article.kind != _FLASH and len(article.title.strip()) >= _SUBSTANTIVE.get(_language(article), 20)


def summarize(story_id: str, members: Iterable[Article]) -> Story | None:
    """The story of ``members`` (the articles of one story), or None when there are none."""
    ordered = sorted(members, key=lambda a: (reported_at(a), a.uuid))
    if not ordered:
        return None
    headlines: dict[str, str] = {}
    for article in ordered:  # the earliest substantive headline of each language
        if _substantive(article):
            headlines.setdefault(_language(article), article.title)
    for article in ordered:  # a language reported only in stubs keeps its earliest
        headlines.setdefault(_language(article), article.title)
    firsts: dict[str, datetime] = {}
    for article in ordered:
        firsts.setdefault(article.source, reported_at(article))
    outlets = list(firsts)
    lead = (firsts[outlets[1]] - firsts[outlets[0]]).total_seconds() / 60 if len(outlets) > 1 else None
    return Story(
        id=story_id,
        headlines=headlines,
        outlets=outlets,
        languages=sorted(headlines),
        first_seen=min((a.first_seen or a.published) for a in ordered),
        first_reported_by=outlets[0],
        lead_minutes=round(lead, 1) if lead is not None else None,
        last_update=max(reported_at(a) for a in ordered),
        articles=len(ordered),
        importance=max(a.importance for a in ordered),
        tickers=sorted({t for a in ordered for t in a.tickers}),
        tags=list(dict.fromkeys(t for a in ordered for t in a.tags)),
        uuids=[a.uuid for a in ordered],
    )


def rank(stories: Iterable[Story], members: dict[str, list[Article]], now: datetime, weights: Weights) -> list[Story]:
    """``stories`` scored (see the module's formula) and ordered, highest first."""
    ranked = []
    hour = now - timedelta(hours=1)
    for story in stories:
        recent = {a.source for a in members.get(story.id, ()) if hour <= reported_at(a) <= now}
        base = (
            weights.outlets * len(story.outlets)
            + weights.languages * (len(story.languages) - 1)
            + weights.velocity * len(recent)
            + weights.importance * story.importance
        )
        age = max(0.0, (now - min(story.last_update, now)).total_seconds() / 3600)
        story.score = round(base * 0.5 ** (age / max(weights.half_life_hours, 0.01)), 4)
        ranked.append(story)
    return sorted(ranked, key=lambda s: (-s.score, -s.last_update.timestamp(), s.id))


def weights(settings: Settings) -> Weights:
    """The ranking's parameters from the ``stories.*`` settings."""
    return Weights(
        outlets=settings.stories_weight_outlets,
        languages=settings.stories_weight_languages,
        velocity=settings.stories_weight_velocity,
        importance=settings.stories_weight_importance,
        half_life_hours=settings.stories_half_life_hours,
    )


def ranked(
    window: Iterable[Article], now: datetime, settings: Settings
) -> tuple[list[Story], dict[str, list[Article]]]:
    """The stories of ``window`` (the articles first seen within the window), ranked, with
    the articles of each."""
    members: dict[str, list[Article]] = {}
    for article in window:
        members.setdefault(article.cluster or article.uuid, []).append(article)
    made = [s for key, group in members.items() if (s := summarize(key, group)) is not None]
    return rank(made, members, now, weights(settings)), members
