"""The commands about sources: ``fetch`` (one pass), ``run`` (the daemon or a
PostgreSQL worker), ``workers`` and ``jobs`` (the queue), ``sources`` (the catalog,
its health, enable/disable, ``test``). Registered on the app of :mod:`.common`
when :mod:`newsdesk.cli` imports this module."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newsdesk.cli.common import State, app, err, opened, progress_bar, safe
from newsdesk.config import is_postgresql
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.models import SourceHealth
from newsdesk.sources.catalog import Source, is_enabled

sources_app = typer.Typer(help="The source catalog with each source's health.", invoke_without_command=True)
app.add_typer(sources_app, name="sources")

SourcesOption = Annotated[
    list[Path] | None, typer.Option("--sources", help="Folder of source YAML files (adds to the built-in catalog).")
]


def catalog(state: State, folders: list[Path] | None) -> dict[str, Source]:
    """The YAML catalog (with ``folders``) and the feeds added by URL."""
    from newsdesk.pipeline.subscribe import catalog_of

    with opened(state) as store:
        return catalog_of(state.settings, store, folders or [])


def _chosen(sources: dict[str, Source], names: list[str] | None, *, enabled_only: bool) -> list[Source]:
    """``names`` (even if disabled), else every source (enabled ones: the daemon and
    ``fetch`` also follow the admin's overrides, see :func:`newsdesk.pipeline.daemon.active`)."""
    if names:
        unknown = [n for n in names if n not in sources]
        if unknown:
            raise ConfigError(f"no source named {', '.join(unknown)} (see `newsdesk sources`)")
        return [sources[n] for n in names]
    return [s for s in sources.values() if s.enabled or not enabled_only]


FETCH_WAIT = 120.0  # seconds `newsdesk fetch` waits for a run of the same source elsewhere (the daemon's) to end


@app.command("fetch")
def fetch_command(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Sources to fetch [default: every enabled one].")] = None,
    folders: SourcesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per source run.")] = False,
) -> None:
    """Fetch sources once: list, new items, their pages; import them; record each source's health.

    Named sources are fetched even when disabled. Exit 1 when a source failed or drifted.
    Example: newsdesk fetch jin10_articles_articles wallstreetcn
    """
    from newsdesk.pipeline.refresh import fetch_cycle

    state: State = ctx.obj
    from newsdesk.pipeline.daemon import active

    chosen = _chosen(catalog(state, folders), names, enabled_only=False)
    with opened(state) as store, progress_bar(err.is_terminal) as progress:
        if not names:
            chosen = active(chosen, store.health())
        task = progress.add_task("fetching", total=len(chosen))

        def done(result: object) -> None:
            progress.advance(task)
            if as_json:
                typer.echo(json.dumps(result.as_json(), ensure_ascii=False))  # type: ignore[attr-defined]

        results = asyncio.run(fetch_cycle(chosen, store, state.settings, on_done=done, wait=FETCH_WAIT))
    if not as_json:
        for result in results:
            mark = {
                "ok": "[green]ok[/green]",
                "failing": "[red]failing[/red]",
                "drifted": "[yellow]drifted[/yellow]",
                "busy": "[yellow]busy[/yellow]",
            }
            line = f"{mark[result.state]} {result.name}: {result.new} new, {result.seen} seen, {result.items} listed"
            if result.reasons:
                line += ", rejected: " + ", ".join(f"{n} {why}" for why, n in sorted(result.reasons.items()))
            error = f" — {escape(safe(result.error))}" if result.error else ""
            err.print(line + error, markup=True, highlight=False, soft_wrap=True)
    if any(r.state != "ok" for r in results):
        raise typer.Exit(1)


@app.command("run")
def run_command(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Sources to run [default: every enabled one].")] = None,
    folders: SourcesOption = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Sources fetched at once by this worker (PostgreSQL).")
    ] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per source run.")] = False,
    metrics_port: Annotated[
        int | None,
        typer.Option("--metrics-port", min=1, max=65535, help="Serve /metrics (Prometheus) on 127.0.0.1:PORT."),
    ] = None,
) -> None:
    """The fetch daemon: every source on its own interval (or market-hours schedule), until SIGTERM/SIGINT.

    With SQLite, one process schedules everything. With PostgreSQL this process is a
    Procrastinate worker: start as many as you like, on any machines, against one
    database; they share the catalog. Runs in flight finish before it exits.
    Example: newsdesk --db postgresql://db-host/news run --concurrency 8
    """
    from newsdesk.pipeline.daemon import active, run_forever

    state: State = ctx.obj
    sources = catalog(state, folders)
    chosen = _chosen(sources, names, enabled_only=False)

    def show(result: object) -> None:
        if as_json:
            typer.echo(json.dumps(result.as_json(), ensure_ascii=False))  # type: ignore[attr-defined]
        elif result.state != "ok":  # type: ignore[attr-defined]
            line = f"{result.state} {result.name}: {result.error}"  # type: ignore[attr-defined]
            err.print(safe(line), markup=False, highlight=False, soft_wrap=True)

    with opened(state) as store:
        if metrics_port:
            from prometheus_client import start_http_server

            from newsdesk import telemetry

            start_http_server(
                metrics_port, "127.0.0.1", telemetry.registry(telemetry.StoreCollector(lambda: store.engine))
            )
        count = len(chosen) if names else len(active(chosen, store.health()))
        if store.dialect == "postgresql":
            from newsdesk.pipeline.workers import run_worker

            err.print(f"newsdesk run: Procrastinate worker, {count} sources in the catalog, concurrency {concurrency}")
            asyncio.run(
                run_worker(
                    state.db,
                    store,
                    state.settings,
                    {s.name: s for s in chosen},
                    concurrency=concurrency,
                    on_result=show,
                    secrets=os.environ,
                    subscriptions=not names,
                )
            )
        else:
            err.print(f"newsdesk run: {count} sources; stop with Ctrl-C or SIGTERM")
            asyncio.run(
                run_forever(
                    chosen, store, state.settings, on_result=show, follow_overrides=not names, secrets=os.environ
                )
            )
    err.print("newsdesk run: stopped")


@app.command("workers")
def workers_command(ctx: typer.Context) -> None:
    """PostgreSQL: the fetch workers (Procrastinate) with their last heartbeat, and the job queue, as JSON.

    Example: newsdesk --db postgresql://db-host/news workers
    """
    from newsdesk.pipeline.workers import status

    state: State = ctx.obj
    if not is_postgresql(state.db):
        raise ConfigError("workers exist with PostgreSQL only (with SQLite, `newsdesk run` is one process)")
    typer.echo(json.dumps(asyncio.run(status(state.db)), ensure_ascii=False, indent=1))


@sources_app.callback()
def sources_command(
    ctx: typer.Context,
    folders: SourcesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Every column (kind, language, enabled, failures …).")] = False,
) -> None:
    """The catalog with each source's health: one line a source (state, last success, new
    items, last error) that fits 80 columns; --wide for every column.

    Example: newsdesk sources --json | jq 'select(.state == "failing")'
    """
    if ctx.invoked_subcommand:
        ctx.obj = (ctx.obj, folders)
        return
    state: State = ctx.obj
    sources = catalog(state, folders)
    with opened(state) as store:
        health = store.health()
    rows = [_row(source, health.get(source.name)) for source in sources.values()]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    err.print(_wide_table(rows) if wide else _narrow_table(rows))


def _narrow_table(rows: list[dict[str, object]]) -> Table:
    """One line a source, whatever the width: long names and errors are cut with an ellipsis."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("source", no_wrap=True, overflow="ellipsis", min_width=10, max_width=22)
    table.add_column("state", no_wrap=True, min_width=8)
    table.add_column("last ok", no_wrap=True, min_width=8)
    table.add_column("new", no_wrap=True, justify="right", min_width=3)
    table.add_column("error / note", no_wrap=True, overflow="ellipsis", max_width=max(10, err.width - 52))
    for row in rows:
        state = str(row["state"]) if row["enabled"] else "off"
        note = str(row["last_error"] or (row["disabled_reason"] if not row["enabled"] else "") or "")
        table.add_row(
            Text(str(row["name"])),
            state,
            _age(row["last_success"]),
            str(row["new_items"]),
            Text(safe(" ".join(note.split()))),
        )
    return table


def _wide_table(rows: list[dict[str, object]]) -> Table:
    table = Table("source", "kind", "lang", "enabled", "state", "last success", "new", "failures", "last error")
    for row in rows:
        table.add_row(
            Text(str(row["name"])),
            str(row["kind"]),
            str(row["language"] or ""),
            "yes" if row["enabled"] else "no",
            str(row["state"]),
            str(row["last_success"] or "")[:19],
            str(row["new_items"]),
            str(row["failures"]),
            Text(safe(str(row["last_error"] or row["disabled_reason"] or "")[:60])),
        )
    return table


def _age(when: object) -> str:
    """``5m ago``, ``3h ago``, ``2d ago`` for an ISO time; ``never`` for none."""
    if not when:
        return "never"
    seconds = (datetime.now(UTC) - datetime.fromisoformat(str(when))).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def _row(source: Source, health: SourceHealth | None) -> dict[str, object]:
    return {
        "name": source.name,
        "title": source.display_name,
        "kind": source.kind,
        "language": source.language,
        "enabled": is_enabled(source, health),
        "disabled_reason": source.disabled_reason,
        "interval": source.interval,
        "url": source.url,
        **(health or SourceHealth(source.name, state="new")).as_json(),
    }


@sources_app.command("show")
def show_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name.")],
    as_json: Annotated[bool, typer.Option("--json", help="The same as one JSON object.")] = False,
) -> None:
    """One source: its definition, health, the last good sample and what broke its contract."""
    state, folders = ctx.obj
    source = _chosen(catalog(state, folders), [name], enabled_only=False)[0]
    with opened(state) as store:
        health = store.health([name]).get(name)
    shown = {
        **_row(source, health),
        "file": source.file,
        "items": source.items,
        "fields": source.fields,
        "last_good": health.last_good if health else None,
        "bad_sample": health.bad_sample if health else None,
    }
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2, default=str))
        return
    console = Console(highlight=False)
    for key, value in shown.items():
        if value in (None, "", {}, []):
            continue
        if isinstance(value, dict):
            console.print(f"[bold]{key}[/bold]:", soft_wrap=True)
            for inner, item in value.items():
                console.print(safe(f"  {inner}: {' '.join(str(item).split())}"), markup=False, soft_wrap=True)
        else:
            console.print(f"[bold]{key}[/bold]: ", end="", soft_wrap=True)
            console.print(safe(" ".join(str(value).split())), markup=False, soft_wrap=True)


@sources_app.command("test")
def test_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name.")],
    live: Annotated[bool, typer.Option("--live", help="Fetch the real site (nothing is stored).")] = False,
) -> None:
    """Check a source: its definition always; with --live, what the real site gives now (nothing stored).

    Example: newsdesk sources test wallstreetcn --live
    """
    state, folders = ctx.obj
    source = _chosen(catalog(state, folders), [name], enabled_only=False)[0]
    if not live:
        err.print(f"{source.name}: definition in {source.file} is valid (add --live to fetch the site)")
        return
    from newsdesk.fetch.client import Fetcher
    from newsdesk.fetch.documents import limits_from, list_items, redact

    async def once() -> list[dict[str, object]]:
        async with Fetcher(limits_from(state.settings)) as fetcher:
            return (await list_items(source, fetcher, None))[0]

    try:
        found = asyncio.run(once())
    except NewsdeskError as exc:  # the message may quote a URL with a ${ENV} secret in it
        err.print(
            f"[red]error[/red] {escape(safe(redact(str(exc), source)))}", markup=True, highlight=False, soft_wrap=True
        )
        raise typer.Exit(1) from None
    for item in found:
        typer.echo(json.dumps(item, ensure_ascii=False, default=str))
    err.print(f"{source.name}: {len(found)} items")
    if not found:
        raise typer.Exit(1)


@app.command("jobs")
def jobs_command(ctx: typer.Context) -> None:
    """PostgreSQL: the fetch job queue (Procrastinate) by queue and status, with the sources concerned, as JSON."""
    from newsdesk.pipeline.workers import status

    state: State = ctx.obj
    if not is_postgresql(state.db):
        raise ConfigError("the job queue exists with PostgreSQL only")
    typer.echo(json.dumps(asyncio.run(status(state.db))["jobs"], ensure_ascii=False, indent=1))
