"""What the ``newsdesk`` command's modules share: the Typer app, the console for
messages, the state the main options make (database URL, settings), the opened
store and the progress bar. ``cli.main`` registers the commands of ``cli.sources``,
``cli.watch`` and ``cli.briefs`` on this app by importing them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from newsdesk.config import DEFAULT_DB, Settings, database_url, load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import Store

__all__ = ["State", "app", "err", "export_app", "opened", "progress_bar", "safe", "show_error"]

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
export_app = typer.Typer(no_args_is_help=True, help="Write stored articles out: `hugo` pages or `jsonl`.")
app.add_typer(export_app, name="export")
err = Console(stderr=True, highlight=False)


@dataclass
class State:
    db: str
    settings: Settings

    def store(self, *, mapped: bool = False) -> Store:
        return Store(self.db, mapped=mapped)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help=f"Database URL [env NEWSDESK_DB, default {DEFAULT_DB}].")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML).")] = None,
) -> None:
    """newsdesk: a self-hosted news aggregator for financial news in Chinese and English.

    Example: newsdesk --db sqlite:///news.db import news/data
    """
    ctx.obj = State(
        db=database_url(db or os.environ.get("NEWSDESK_DB") or DEFAULT_DB), settings=load_settings(config, os.environ)
    )


def progress_bar(enabled: bool, *, in_bytes: bool = False) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn() if in_bytes else MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not enabled,
        transient=True,
    )


# Control characters but newline and tab (C0, DEL, C1): text from sites and feeds must not
# reach a terminal as escape sequences (colours, cursor moves, window titles, links).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    """``text`` fit for a terminal: each control character written out (``\\x1b``)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", str(text))


def show_error(exc: NewsdeskError) -> None:
    err.print(f"[red]error[/red] {escape(safe(exc))}", markup=True, highlight=False, soft_wrap=True)


@contextmanager
def opened(state: State) -> Iterator[Store]:
    store = state.store()
    try:
        yield store
    finally:
        store.close()
