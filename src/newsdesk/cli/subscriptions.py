"""``newsdesk sources add|remove|category|opml``: feeds added by URL beside the YAML
catalog, their categories (folders), and OPML import and export. Registered on the
``sources`` command of :mod:`.sources` when :mod:`newsdesk.cli` imports this module."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli.common import State, err, opened
from newsdesk.cli.sources import sources_app
from newsdesk.errors import ConfigError

opml_app = typer.Typer(no_args_is_help=True, help="OPML: every feed source with its category, in or out.")
sources_app.add_typer(opml_app, name="opml")

CategoryOption = Annotated[str | None, typer.Option("--category", help="The folder it goes in.")]


@sources_app.command("add")
def add_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="A feed's URL, or a page that links its feed.")],
    category: CategoryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The new source as JSON.")] = False,
) -> None:
    """Subscribe to a feed (RSS, Atom, RDF) by its URL or by a site's page (autodiscovery):
    it becomes a source beside the catalog, fetched by `newsdesk run` and `fetch`.

    Example: newsdesk sources add https://www.example.com/ --category Markets
    """
    from newsdesk.pipeline.subscribe import subscribe

    state: State = ctx.obj[0]
    with opened(state) as store:
        added = asyncio.run(subscribe(store, state.settings, url, category=category))
    if as_json:
        typer.echo(json.dumps({"name": added.name, "url": added.url, "title": added.title, "category": category}))
    else:
        err.print(f"subscribed: {added.name} — {added.title} ({added.url})", markup=False)


@sources_app.command("remove")
def remove_command(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A source added by URL.")]) -> None:
    """Unsubscribe from a feed added by URL (its articles stay; catalog sources are disabled instead)."""
    from newsdesk.pipeline.subscribe import unsubscribe

    state: State = ctx.obj[0]
    with opened(state) as store:
        unsubscribe(store, name, "", admin=True)  # the command line is the operator's
    err.print(f"unsubscribed: {name}", markup=False)


@sources_app.command("category")
def category_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name.")],
    category: Annotated[str, typer.Argument(help="Its folder; empty: none.")],
) -> None:
    """Put a source (of the catalog or added by URL) in a category, the folder reader apps show."""
    from newsdesk.cli.sources import catalog

    state, folders = ctx.obj
    if name not in catalog(state, folders):
        raise ConfigError(f"no source named {name} (see `newsdesk sources`)")
    with opened(state) as store:
        store.set_category(name, category or None)


@opml_app.command("import")
def import_command(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="An OPML file; - for standard input.")]
) -> None:
    """Subscribe to every feed of an OPML file (Miniflux, FreshRSS, newsdesk …) with its
    category; a bad file imports nothing. Feeds that are sources already are skipped."""
    from newsdesk.pipeline.subscribe import import_opml

    state: State = ctx.obj[0]
    where = "standard input" if str(file) == "-" else str(file)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", where=where) from None
    with opened(state) as store:
        done = import_opml(store, state.settings, data, where)
    err.print(f"{done['added']} feeds added, {done['known']} already sources")


@opml_app.command("export")
def export_command(ctx: typer.Context) -> None:
    """Every feed source (the catalog's RSS sources, the feeds added by URL) with its category, as OPML."""
    from newsdesk.pipeline.subscribe import export_opml

    state: State = ctx.obj[0]
    with opened(state) as store:
        typer.echo(export_opml(store, state.settings), nl=False)
