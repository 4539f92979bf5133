"""The ``newsdesk`` command: a thin shell over the stages' Python API. Exit codes: 0 ok,
1 done but with reported failures, 2 usage or settings error."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsdesk.cli.common import State, app, err, export_app, opened, progress_bar, safe, show_error
from newsdesk.cli.search import parse_language, parse_when, print_hits
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.models import ArticleFilter

try:  # the click that Typer runs on: its own copy in recent versions
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older Typer
    from click import exceptions as click_errors  # type: ignore[no-redef]

WATCH_PAGES = 1000  # stories of a public watchlist in the static build


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help='news/data folders, {"data": [...]} files or .jsonl files.')],
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
    with opened(state) as store, progress_bar(sys.stderr.isatty(), in_bytes=True) as progress:
        task = progress.add_task("importing", total=total or None)
        report = import_files(
            store,
            found,
            state.settings,
            on_error=show_error,
            on_file=lambda f: progress.advance(task, f.size),
        )
    if as_json:
        typer.echo(json.dumps({**report.counts(), "reasons": dict(report.reasons)}, ensure_ascii=False))
    else:
        counts = ", ".join(f"{v} {k}" for k, v in report.counts().items())
        why = "; ".join(f"{n} {reason}" for reason, n in report.reasons.most_common())
        err.print(
            f"{report.files} files: {counts}"
            + (f" ({why})" if why else "")
            + (f", {report.bad_files} unreadable" if report.bad_files else "")
        )
    raise typer.Exit(1 if report.failed else 0)


@export_app.command("hugo")
def export_hugo_command(
    ctx: typer.Context,
    folder: Annotated[Path | None, typer.Argument(help="Site folder [default: output.hugo setting].")] = None,
    tags: Annotated[
        str,
        typer.Option("--tags", help="Tag preset: 'seed' writes the source as the only tag; 'real' the article's tags."),
    ] = "seed",
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
    with opened(state) as store, progress_bar(sys.stderr.isatty()) as progress:
        task = progress.add_task("exporting", total=store.count())
        count = export_hugo(
            store.iter_articles(), target, state.settings, tags=tags, on_page=lambda _: progress.advance(task)
        )
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
    with opened(state) as store, progress_bar(sys.stderr.isatty() and file != "-") as progress:
        task = progress.add_task("exporting", total=store.count())
        if file == "-":
            count = export_jsonl(store.iter_articles(), sys.stdout, state.settings)
        else:
            with open(file, "w", encoding="utf-8") as out:
                count = export_jsonl(
                    store.iter_articles(), out, state.settings, on_article=lambda _: progress.advance(task)
                )
    if file != "-":
        err.print(f"{count} articles written to {file}")


@app.command("build")
def build_command(
    ctx: typer.Context,
    folder: Annotated[Path | None, typer.Argument(help="Output folder [default: output.site setting].")] = None,
    per_page: Annotated[
        int | None, typer.Option("--per-page", min=1, help="Articles per list page [default: site.per_page setting].")
    ] = None,
    theme: Annotated[
        Path | None, typer.Option("--theme", help="Folder of templates overriding the built-in ones.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page counts as JSON.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Render every page, not only those whose inputs changed.")
    ] = False,
) -> None:
    """Build the static site: home, article, tag, source, language and public watchlist pages, feeds, sitemap.

    Only pages whose inputs changed since the last build into FOLDER are rendered,
    and only files whose content changes are written. Example: newsdesk build public
    """
    from newsdesk.publish.site import build_site
    from newsdesk.watch import load_watchers

    state: State = ctx.obj
    target = folder or Path(state.settings.output_site)
    if theme is not None and not theme.is_dir():
        raise typer.BadParameter(f"{theme} is not a folder", param_hint="--theme")
    with opened(state) as store, progress_bar(sys.stderr.isatty()) as progress:
        task = progress.add_task("building", total=None)
        public = [
            w.name for w in load_watchers(store, state.settings, enabled_only=False).watchlists.values() if w.public
        ]
        report = build_site(
            store,
            target,
            state.settings,
            per_page=per_page or state.settings.site_per_page,
            theme=theme,
            full=full,
            on_page=lambda _: progress.advance(task),
            watchlists={n: store.watchlist_stories(n, WATCH_PAGES) for n in public},
        )
    if as_json:
        typer.echo(json.dumps({**report.counts(), "folder": str(target)}))
    else:
        err.print(
            f"{report.pages} pages in {target} ({report.rendered} rendered, {report.written} written, "
            f"{report.unchanged} unchanged, {report.removed} removed)"
        )
    if "localhost:1313" in state.settings.site_base_url:  # said on standard error, the JSON stays as it is
        err.print("note: site.base_url is not set: feeds and sitemaps link to http://localhost:1313/ (--config)")


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=0, help="Server processes (0: one per CPU core).")] = 1,
) -> None:
    """Serve the site's pages and the JSON API (/api/articles, /api/search, /api/sources, /api/tags, /docs).

    Example: newsdesk serve --port 8000 --workers 0
    """
    import uvicorn

    from newsdesk.web import NoDelayProtocol, app_for, served_app

    state: State = ctx.obj
    workers = workers or os.cpu_count() or 1
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"newsdesk: serving {state.db} on http://{shown}:{port}/ (API docs at /docs); Ctrl-C stops",
        highlight=False,
        soft_wrap=True,
    )
    if workers > 1:  # each worker process makes its app from the database URL and the settings (pickled)
        import tempfile

        from uvicorn.supervisors import Multiprocess

        # prometheus-client's multiprocess mode is set by this variable, read as the
        # worker processes (which inherit it) define their metrics: /metrics adds theirs up.
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="newsdesk-metrics-")

        make = functools.partial(app_for, state.db, state.settings)
        config = uvicorn.Config(make, factory=True, host=host, port=port, workers=workers, http=NoDelayProtocol,
                                loop="auto", log_level="warning")  # fmt: skip
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    store = state.store(mapped=True)
    try:
        uvicorn.run(served_app(store, state.settings), host=host, port=port, http=NoDelayProtocol, log_level="warning")
    finally:
        store.close()


@app.command("search")
def search_command(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help='Words (AND), "a phrase", -exclude, a OR b.')] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Results per query.")] = 10,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language (zh matches zh-CN, zh-HK …).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Published on or after (date or ISO time).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published on or before (date or ISO time).")] = None,
    ticker: Annotated[
        str | None, typer.Option("--ticker", help="Only articles about this ticker (AAPL, 0700.HK).")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only articles with this tag.")] = None,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="File with one query per line (- for stdin).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='One line per query: {"query": q, "results": [...]}.')
    ] = False,
    expand: Annotated[
        bool, typer.Option("--expand/--no-expand", help="A company named in one language also finds its other names.")
    ] = True,
    group: Annotated[
        bool, typer.Option("--group", help="One result per story, with its other articles (JSON: also).")
    ] = False,
) -> None:
    """Full-text search, Chinese-aware: 美联储 加息, "rate cut" -crypto, gold OR 黄金.

    Example: newsdesk search 美联储 --lang zh --since 2025-02-01 --json
    """
    from newsdesk.enrich import VERSION
    from newsdesk.errors import QueryError
    from newsdesk.search import search
    from newsdesk.sources.catalog import display_names

    state: State = ctx.obj
    if (query is None) == (queries is None):
        raise typer.BadParameter("give a QUERY or --queries FILE (not both)")
    settings = state.settings
    where = ArticleFilter(
        source=source,
        lang=parse_language(lang),
        ticker=ticker,
        tag=tag,
        since=parse_when(since, settings, end=False, option="--since"),
        until=parse_when(until, settings, end=True, option="--until"),
    )
    if queries is None:
        lines = [query or ""]
    else:
        stream = sys.stdin if str(queries) == "-" else queries.open(encoding="utf-8", errors="replace")
        lines = [line.rstrip("\r\n") for line in stream if line.strip()]
    failed = False
    names = {} if as_json else display_names(settings.sources_folder)  # read once, not once a query
    with opened(state) as store:
        if stale := store.count_stale(VERSION):
            err.print(f"note: {stale} articles are not in the search index yet; run `newsdesk reindex`")
        for text in lines:
            try:
                hits = search(store, text, limit=limit, where=where, expand=expand, group=group)
            except QueryError as exc:
                if queries is None:
                    show_error(exc)
                    raise typer.Exit(2) from None
                failed = True
                show_error(exc)
                if as_json:
                    typer.echo(json.dumps({"query": text, "error": exc.message, "results": []}, ensure_ascii=False))
                continue
            if as_json:
                results = [hit.as_json() for hit in hits]
                typer.echo(json.dumps({"query": text, "results": results}, ensure_ascii=False))
            else:
                print_hits(text, hits, settings.tz, names)
    raise typer.Exit(1 if failed else 0)


@app.command("reindex")
def reindex_command(
    ctx: typer.Context,
    rebuild_all: Annotated[bool, typer.Option("--all", help="Redo every article, not only stale ones.")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles per transaction.")] = 500,
) -> None:
    """Rebuild search index, language, tickers, tags and clusters of stored articles.

    Also renumbers search entries an earlier version wrote (SQLite databases of more
    than 200,000 articles, which the upgrade left as they were). Resumable: an
    interrupted run keeps its finished batches; run it again to go on.
    Example: newsdesk reindex --all
    """
    from newsdesk.enrich import VERSION
    from newsdesk.pipeline import reindex

    state: State = ctx.obj
    with opened(state) as store:
        if rebuild_all:
            store.mark_stale()
        total = store.count_stale(VERSION)
        with progress_bar(sys.stderr.isatty()) as progress:
            task = progress.add_task("reindexing", total=total)
            done = reindex(store, batch_size=batch, on_error=show_error, on_batch=lambda n: progress.advance(task, n))
            renumbering = progress.add_task("renumbering the search index", total=None)
            moved = 0
            for n in store.move_search_rowids(max(batch, 2000)):
                moved += n
                progress.advance(renumbering, n)
    err.print(f"{done} articles reindexed" + (f", {moved} search entries renumbered" if moved else ""))


@app.command("prune")
def prune_command(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would go; remove nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts by source as JSON.")] = False,
    vacuum: Annotated[bool, typer.Option("--vacuum", help="Then give the space back (SQLite VACUUM).")] = False,
) -> None:
    """Remove the articles older than retention.days (retention.flash_days for flash items,
    a source's own retention_days over both), with their index entries, tags, clusters'
    keys, versions and alerts. Resumable: a prune cut short is finished by the next.

    Example: newsdesk --config settings.toml prune --dry-run
    """
    from newsdesk.pipeline.prune import prune
    from newsdesk.sources.catalog import configured_catalog

    state: State = ctx.obj
    sources = configured_catalog(state.settings.sources_folder).values()
    with opened(state) as store:
        gone = prune(store, state.settings, sources, dry_run=dry_run)
        if vacuum and not dry_run:
            store.vacuum()
    if as_json:
        typer.echo(
            json.dumps({"dry_run": dry_run, "articles": sum(gone.values()), "sources": dict(sorted(gone.items()))})
        )
    else:
        verb = "would remove" if dry_run else "removed"
        err.print(f"{verb} {sum(gone.values())} articles" + "".join(f"\n  {n:>7}  {s}" for s, n in gone.most_common()))


# The briefs, fetch, run, sources, users and watch commands live in modules of their own; importing them registers them.
import newsdesk.cli.agents  # noqa: E402, F401
import newsdesk.cli.briefs  # noqa: E402, F401
import newsdesk.cli.sources  # noqa: E402, F401
import newsdesk.cli.subscriptions  # noqa: E402, F401
import newsdesk.cli.users  # noqa: E402, F401
import newsdesk.cli.watch  # noqa: E402, F401


def main() -> None:
    """Console-script entry point: maps the error tree onto exit codes; a usage error
    (a bad option or argument) is one line and exit 2, as a settings error is."""
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        exc.show()  # the help text: what a bare `newsdesk` is for
        sys.exit(exc.exit_code)
    except click_errors.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "newsdesk"
        err.print(
            f"[red]error[/red] {command}: {exc.format_message()} (see {command} --help)",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except (click_errors.ClickException, OSError) as exc:  # e.g. a --queries FILE that cannot be opened
        err.print(f"[red]error[/red] newsdesk: {escape(safe(exc))}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(2 if isinstance(exc, click_errors.ClickException) else 1)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except ConfigError as exc:
        show_error(exc)
        sys.exit(2)
    except NewsdeskError as exc:
        show_error(exc)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
