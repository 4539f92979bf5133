"""What `newsdesk search` reads from its options and prints for people: dates and
language tags checked as usage errors, hits shown one each."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

from newsdesk.cli.common import safe
from newsdesk.config import Settings
from newsdesk.models import LANGUAGE_TAG
from newsdesk.sources.dates import day_or_time

if TYPE_CHECKING:
    from newsdesk.search import Hit

__all__ = ["parse_language", "parse_when", "print_hits"]


def parse_when(value: str | None, settings: Settings, *, end: bool, option: str) -> datetime | None:
    """``2025-02-05`` (a whole day in the site's timezone) or an ISO 8601 time."""
    if not value:
        return None
    try:
        return day_or_time(value, settings.tz, end=end)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def parse_language(value: str | None) -> str | None:
    if value is not None and not LANGUAGE_TAG.fullmatch(value):
        raise typer.BadParameter(f"{value!r} is not a language tag (zh, zh-CN, en)", param_hint="--lang")
    return value


def print_hits(query: str, hits: list[Hit], tz: tzinfo, names: Mapping[str, str] | None = None) -> None:
    """Each hit once: its title, then source (display name, from ``names``), time and
    link, then the matching passage (left out when it only repeats the title, as a
    flash's does); the terminal wraps."""
    names = names or {}
    console = Console(highlight=False, soft_wrap=False)
    console.print(
        Text(safe(f"{len(hits)} result{'s' if len(hits) != 1 else ''} for {query!r}"), style="bold"), soft_wrap=True
    )
    for number, hit in enumerate(hits, start=1):
        title = safe(_shorten(hit.title, 120))
        console.print(Text(f"{number}. ", style="bold").append(title, style="bold"), soft_wrap=True)
        when = hit.published.astimezone(tz).strftime("%Y-%m-%d %H:%M %z")  # the site's zone, said
        console.print(
            Text(safe(f"   {names.get(hit.source, hit.source)} · {when} · {hit.link}"), style="dim"), soft_wrap=True
        )
        plain = html.unescape(re.sub(r"</?mark>", "", hit.snippet))
        if plain.strip() and not _same_start(plain, hit.title):
            text = Text("   ")
            for part, piece in enumerate(re.split(r"</?mark>", hit.snippet)):  # odd pieces are marked
                text.append(safe(html.unescape(piece)), style="bold yellow" if part % 2 else "")
            console.print(text, soft_wrap=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _same_start(snippet: str, title: str) -> bool:
    """Whether the passage only repeats the title (a flash's text is its title)."""

    def squeeze(value: str) -> str:
        return re.sub(r"\W+", "", value)[:40]

    return bool(squeeze(title)) and squeeze(snippet).startswith(squeeze(title)[:30])
