"""``newsdesk mcp``: the MCP server for agents (:mod:`newsdesk.web.agent`), on standard
input and output or, with ``--http``, as streamable HTTP. Registered on the app of
:mod:`.common` when :mod:`newsdesk.cli` imports this module."""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli.common import State, app, err


@app.command("mcp")
def mcp_command(
    ctx: typer.Context,
    http: Annotated[bool, typer.Option("--http", help="Streamable HTTP at /mcp instead of stdio.")] = False,
    host: Annotated[str, typer.Option("--host", help="With --http: the address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="With --http: the port.")] = 8001,
) -> None:
    """An MCP server for agents: search_news, top_stories, story, ticker_news, watchlist_matches.

    On stdio by default (an agent that runs newsdesk itself); --http serves streamable HTTP
    at /mcp, with the API's auth (web.public = false: a Bearer API token).
    Example: newsdesk mcp --http --port 8001
    """
    import anyio
    import uvicorn

    from newsdesk.web.agent import Door, build

    state: State = ctx.obj
    store = state.store()
    try:
        server = build(store, state.settings)
        if not http:
            anyio.run(server.run_stdio_async)
            return
        shown = f"[{host}]" if ":" in host else host
        err.print(f"newsdesk: MCP for agents on http://{shown}:{port}/mcp; Ctrl-C stops", highlight=False)
        web = Door(server.streamable_http_app(host=host), store, state.settings)
        uvicorn.run(web, host=host, port=port, log_level="warning")
    finally:
        store.close()
