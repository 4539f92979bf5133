"""``newsdesk watch``: watchlists (add, list, show, remove, test) and their alerts
(send, log). Registered on the main command by :mod:`newsdesk.cli`."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from newsdesk.cli.common import State, app, err, opened, safe
from newsdesk.errors import ConfigError
from newsdesk.models import Watchlist

watch_app = typer.Typer(no_args_is_help=True, help="Watchlists: saved filters whose new articles are pushed to you.")
app.add_typer(watch_app, name="watch")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@watch_app.command("add")
def add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Watchlist name (lower case, digits, _ . -).")],
    ticker: Annotated[
        list[str] | None, typer.Option("--ticker", help="A ticker (NVDA, 0700.HK, 600519.SH); repeat.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", help='A query in the search language: 英伟达 OR Nvidia, "rate cut", -crypto.'),
    ] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only from this source; repeat.")] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Only in this language (zh matches zh-HK); repeat.")
    ] = None,
    calendar: Annotated[
        list[str] | None,
        typer.Option("--calendar", help="Economic calendar releases of this country (US, CN, EU …); repeat."),
    ] = None,
    stars: Annotated[int, typer.Option("--stars", help="Calendar releases of at least this many stars (1–5).")] = 0,
    section: Annotated[
        list[str] | None,
        typer.Option("--section", help="Only in this section (macro, fx, …); alone: every article of it. Repeat."),
    ] = None,
    kind: Annotated[
        list[int] | None, typer.Option("--kind", help="Only this item kind (1 article, 2 flash); repeat.")
    ] = None,
    notify: Annotated[
        list[str] | None, typer.Option("--notify", help="An Apprise URL, or ${ENV_NAME} holding one; repeat.")
    ] = None,
    zone: Annotated[
        str, typer.Option("--zone", help="Time zone of the messages, digests and quiet hours.")
    ] = "Asia/Shanghai",
    every: Annotated[int | None, typer.Option("--every", help="A digest every N minutes (from midnight).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="A daily digest at HH:MM.")] = None,
    quiet: Annotated[str | None, typer.Option("--quiet", help="Quiet hours, HH:MM-HH:MM: held to their end.")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Serve its page and feeds at /watch/NAME/ (and build them).")
    ] = False,
    per_hour: Annotated[int, typer.Option("--per-hour", help="At most N sends an hour; more wait and go as one.")] = 0,
    breaking: Annotated[
        bool, typer.Option("--breaking", help="Alert a matching story once --outlets carry it within --minutes.")
    ] = False,
    outlets: Annotated[int, typer.Option("--outlets", help="Breaking: outlets a story needs.")] = 3,
    minutes: Annotated[int, typer.Option("--minutes", help="Breaking: within this many minutes.")] = 30,
    brief: Annotated[
        list[str] | None,
        typer.Option("--brief", help="Also send the morning or close brief of its stories (morning, close); repeat."),
    ] = None,
    important_only: Annotated[
        bool, typer.Option("--important-only", help="Only items their source marked important.")
    ] = False,
) -> None:
    """Add or replace a watchlist kept in the database.

    Example: newsdesk watch add chips --ticker NVDA --query '英伟达 OR 辉达' --notify '${SLACK_URL}'
    """
    definition: dict[str, Any] = {
        "tickers": ticker or [],
        "query": query,
        "sources": source or [],
        "languages": lang or [],
        "sections": section or [],
        "calendar": calendar or [],
        "stars": stars,
        "kinds": kind or [],
        "notify": notify or [],
        "zone": zone,
        "quiet": quiet,
        "public": public,
        "per_hour": per_hour,
    }
    if every or at:
        definition.update(mode="digest", every=every or 60, at=at)
    if breaking and (every or at):
        raise ConfigError("--breaking alerts as stories grow; --every and --at make a digest: choose one")
    if breaking:
        definition.update(mode="breaking", outlets=outlets, minutes=minutes)
    if important_only:
        definition["important_only"] = True
    if brief:
        definition["brief"] = brief
    definition = {k: v for k, v in definition.items() if v}
    from newsdesk.watch import parse_watchlist

    parse_watchlist(name, definition)
    state: State = ctx.obj
    with opened(state) as store:
        store.save_watchlist(name, definition)
    err.print(f"watchlist {name} saved")


@watch_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every watchlist, from the settings file and the database."""
    watchlists = _all(ctx.obj)
    if as_json:
        typer.echo(json.dumps([w.as_json() for w in watchlists.values()], ensure_ascii=False, indent=2))
        return
    for w in watchlists.values():
        calendar = f"calendar {' '.join(w.calendar) or 'all'} ★{w.stars}+" if w.calendar or w.stars else ""
        parts = [" ".join(w.tickers), w.query and repr(w.query), " ".join(w.sections), calendar]
        what = " · ".join(filter(None, parts))
        typer.echo(safe(f"{w.name:<20} {what}  → {len(w.notify)} target(s){'' if w.enabled else ' (off)'}"))


@watch_app.command("show")
def show_command(ctx: typer.Context, name: str, as_json: JsonOption = False) -> None:
    """One watchlist's definition (notification URLs masked) and its latest alerts."""
    watchlist = one_watchlist(ctx.obj, name)
    with opened(ctx.obj) as store:
        log = store.alert_log(name, limit=10)
    shown = {**watchlist.as_json(), "alerts": [_alert(a) for a in log]}
    typer.echo(json.dumps(shown, ensure_ascii=False, indent=2 if as_json else 1, default=str))


@watch_app.command("remove")
def remove_command(ctx: typer.Context, name: str) -> None:
    """Remove a watchlist kept in the database (one of the settings file stays there)."""
    with opened(ctx.obj) as store:
        if not store.remove_watchlist(name):
            raise ConfigError(f"no watchlist {name!r} in the database")
    err.print(f"watchlist {name} removed")


@watch_app.command("test")
def test_command(
    ctx: typer.Context,
    name: str,
    days: Annotated[int, typer.Option("--days", min=1, max=365)] = 7,
    as_json: JsonOption = False,
) -> None:
    """What the watchlist would have matched among the stored articles of the last days."""
    watchlist = one_watchlist(ctx.obj, name)
    from newsdesk.watch import Watchers

    watchers = Watchers([replace(watchlist, enabled=True)])  # a disabled one can be tried out too
    since = datetime.now(UTC) - timedelta(days=days)
    found = []
    with opened(ctx.obj) as store:
        for article in store.iter_articles():
            if article.published < since:
                break  # newest first
            if watchers.match(article):
                found.append(article)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "uuid": a.uuid,
                        "title": a.title,
                        "source": a.source,
                        "published": a.published.isoformat(),
                        "link": a.link,
                    }
                    for a in found
                ],
                ensure_ascii=False,
            )
        )
        return
    typer.echo(f"{len(found)} articles of the last {days} days match {name}")
    for article in found[:50]:
        typer.echo(safe(f"  {article.published:%Y-%m-%d %H:%M}  {article.source}  {article.title[:90]}"))


@watch_app.command("send")
def send_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Send the alerts and briefs due now (the `run` daemon does this continuously)."""
    from newsdesk.sources.catalog import display_names
    from newsdesk.watch import briefs
    from newsdesk.watch.deliver import deliver_due

    state: State = ctx.obj
    with opened(state) as store:
        from newsdesk.watch import load_watchers

        watchers = load_watchers(store, state.settings)
        names = display_names(state.settings.sources_folder)
        briefs.queue(store, watchers.watchlists.values(), datetime.now(UTC), state.settings)
        prefix = state.settings.alerts_env_prefix
        done = deliver_due(store, watchers.watchlists, os.environ, names, prefix=prefix, settings=state.settings)
    typer.echo(
        json.dumps(done.as_json()) if as_json else f"{done.sent} sent, {done.retrying} to retry, {done.failed} failed"
    )
    raise typer.Exit(1 if done.failed else 0)


@watch_app.command("log")
def log_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this watchlist.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """The latest alerts: queued, sending, sent, or failed with the reason."""
    with opened(ctx.obj) as store:
        log = [_alert(a) for a in store.alert_log(name, limit)]
    if as_json:
        typer.echo(json.dumps(log, ensure_ascii=False, default=str))
        return
    for a in log:
        line = (
            f"{a['created']:%Y-%m-%d %H:%M}  {a['watchlist']:<16} {a['state']:<8} {a['uuid']}  {a['last_error'] or ''}"
        )
        typer.echo(safe(line))


def _alert(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: row[k] for k in ("id", "watchlist", "cluster", "uuid", "created", "state", "attempts", "last_error", "sent")
    }


def _all(state: State) -> dict[str, Watchlist]:
    with opened(state) as store:
        from newsdesk.watch import load_watchers

        return dict(sorted(load_watchers(store, state.settings, enabled_only=False).watchlists.items()))


def one_watchlist(state: State, name: str) -> Watchlist:
    watchlist = _all(state).get(name)
    if watchlist is None:
        raise ConfigError(f"no watchlist {name!r} (newsdesk watch list)")
    return watchlist
