"""The ``newsdesk`` command: a thin shell over the stages' Python API.

Exit codes: 0 ok, 1 done but with reported failures, 2 usage or settings error.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from newsdesk.config import DEFAULT_DB, Settings, load_settings
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.store import Store

app = typer.Typer(
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
)
export_app = typer.Typer(no_args_is_help=True, help="Write stored articles out: `hugo` pages or `jsonl`.")
app.add_typer(export_app, name="export")
err = Console(stderr=True, highlight=False)


@dataclass
class State:
    db: str
    settings: Settings

    def store(self) -> Store:
        return Store(self.db)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Optional[str], typer.Option("--db", help=f"Database URL [env NEWSDESK_DB, default {DEFAULT_DB}].")
    ] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Settings file (TOML).")] = None,
) -> None:
    """newsdesk: a self-hosted news aggregator for financial news in Chinese and English.

    Example: newsdesk --db sqlite:///news.db import news/data
    """
    ctx.obj = State(db=db or os.environ.get("NEWSDESK_DB") or DEFAULT_DB, settings=load_settings(config))


def _progress(enabled: bool, *, in_bytes: bool = False) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn() if in_bytes else MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not enabled,
        transient=True,
    )


def _show_error(exc: NewsdeskError) -> None:
    err.print(f"[red]error[/red] {exc}", markup=True, highlight=False, soft_wrap=True)


@contextmanager
def _opened(state: State) -> Iterator[Store]:
    store = state.store()
    try:
        yield store
    finally:
        store.close()


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="news/data folders, {\"data\": [...]} files or .jsonl files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Import the seed system's records; known articles are updated, never duplicated.

    Example: newsdesk import ../shared/datasets/cachenews-2025-02 --json
    """
    from newsdesk.pipeline import import_files
    from newsdesk.sources.files import RecordFile, find_files

    state: State = ctx.obj
    found = list(find_files(paths))
    total = sum(f.size for f in found if isinstance(f, RecordFile))
    with _opened(state) as store, _progress(sys.stderr.isatty(), in_bytes=True) as progress:
        task = progress.add_task("importing", total=total or None)
        report = import_files(
            store,
            found,
            state.settings,
            on_error=_show_error,
            on_file=lambda f: progress.advance(task, f.size),
        )
    if as_json:
        typer.echo(json.dumps(report.counts()))
    else:
        counts = ", ".join(f"{v} {k}" for k, v in report.counts().items())
        err.print(f"{report.files} files: {counts}" + (f", {report.bad_files} unreadable" if report.bad_files else ""))
    raise typer.Exit(1 if report.failed else 0)


@export_app.command("hugo")
def export_hugo_command(
    ctx: typer.Context,
    folder: Annotated[Optional[Path], typer.Argument(help="Site folder [default: output.hugo setting].")] = None,
    tags: Annotated[str, typer.Option("--tags", help="Tag preset: 'seed' writes the source as the only tag.")] = "seed",
    as_json: Annotated[bool, typer.Option("--json", help="Print the page count as JSON.")] = False,
) -> None:
    """Write content/posts/<uuid>.md per article in the seed's format, plus config.toml.

    Example: newsdesk export hugo site && hugo -s site
    """
    from newsdesk.publish.hugo import PRESETS, export_hugo

    if tags not in PRESETS:
        raise typer.BadParameter(f"unknown preset {tags!r}; choose from {', '.join(PRESETS)}", param_hint="--tags")
    state: State = ctx.obj
    target = folder or Path(state.settings.output_hugo)
    with _opened(state) as store, _progress(sys.stderr.isatty()) as progress:
        task = progress.add_task("exporting", total=store.count())
        count = export_hugo(store.iter_articles(), target, state.settings, on_page=lambda _: progress.advance(task))
    if as_json:
        typer.echo(json.dumps({"pages": count, "folder": str(target)}))
    else:
        err.print(f"{count} pages written to {target / 'content' / 'posts'}")


@export_app.command("jsonl")
def export_jsonl_command(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Output file, or - for standard output.")],
) -> None:
    """Write one JSON object per article and line.

    Example: newsdesk export jsonl - | head -1
    """
    from newsdesk.publish.jsonl import export_jsonl

    state: State = ctx.obj
    with _opened(state) as store, _progress(sys.stderr.isatty() and file != "-") as progress:
        task = progress.add_task("exporting", total=store.count())
        if file == "-":
            count = export_jsonl(store.iter_articles(), sys.stdout, state.settings)
        else:
            with open(file, "w", encoding="utf-8") as out:
                count = export_jsonl(store.iter_articles(), out, state.settings, on_article=lambda _: progress.advance(task))
    if file != "-":
        err.print(f"{count} articles written to {file}")


def main() -> None:
    """Console-script entry point: maps the error tree onto exit codes (Typer
    itself exits 2 on usage errors)."""
    try:
        app()
    except ConfigError as exc:
        _show_error(exc)
        sys.exit(2)
    except NewsdeskError as exc:
        _show_error(exc)
        sys.exit(1)
