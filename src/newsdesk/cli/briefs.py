"""``newsdesk brief morning|close``: a brief printed (see :mod:`newsdesk.watch.briefs`).
Registered on the main command by :mod:`newsdesk.cli.main`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from newsdesk.cli.common import State, app, opened, safe
from newsdesk.cli.search import parse_language
from newsdesk.models import ArticleFilter


@app.command("brief")
def brief_command(
    ctx: typer.Context,
    edition: Annotated[str, typer.Argument(help="morning (since the last close) or close (since the morning).")],
    day: Annotated[str | None, typer.Option("--day", help="The day (YYYY-MM-DD); default: the latest edition.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only stories this source carried.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only stories reported in this language.")] = None,
    ticker: Annotated[str | None, typer.Option("--ticker", help="Only stories about this ticker.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only stories with this tag.")] = None,
    important: Annotated[bool, typer.Option("--important", help="Only stories a source marked important.")] = False,
    watchlist: Annotated[
        str | None, typer.Option("--watchlist", help="Only the stories this watchlist matches, in its zone.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the brief as JSON.")] = False,
) -> None:
    """The period's top stories: headlines in each language, one sentence each, outlets.

    Example: newsdesk brief morning --lang zh --day 2025-02-05
    """
    from newsdesk.cli.watch import one_watchlist
    from newsdesk.watch import briefs

    state: State = ctx.obj
    settings = state.settings
    if edition not in briefs.EDITIONS:
        raise typer.BadParameter(f"{edition!r}: morning or close", param_hint="EDITION")
    chosen = one_watchlist(state, watchlist) if watchlist else None
    zone = chosen.zone if chosen else settings.site_timezone
    try:
        wanted = date.fromisoformat(day) if day else None
    except ValueError:
        raise typer.BadParameter(f"{day!r} is not a day (YYYY-MM-DD)", param_hint="--day") from None
    when = (
        briefs.period(edition, wanted, zone, settings)
        if wanted
        else briefs.latest(edition, datetime.now(UTC), zone, settings)
    )
    where = ArticleFilter(
        source=source, lang=parse_language(lang), ticker=ticker.upper() if ticker else None, tag=tag,
        importance=1 if important else 0,
    )  # fmt: skip
    with opened(state) as store:
        if chosen:
            made = briefs.for_watchlist(store, when, settings, chosen)
        else:
            made = briefs.make(store, when, settings, where=where)
    if as_json:
        typer.echo(json.dumps(made.as_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(safe(f"{when.title} · {made.articles} articles\n\n{made.text()}"))
