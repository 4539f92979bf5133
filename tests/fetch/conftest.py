"""A real HTTP server on 127.0.0.1 (pytest-httpserver) standing in for the sites.

``localize`` points a catalog source at it: every ``https://host`` in the source's
URLs becomes ``http://127.0.0.1:port/host``, so a fixture is served at the path
the real site uses; fixture bodies say ``{BASE}`` where the real site's links are.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from typing import Any
from urllib.parse import unquote

import pytest

from newsdesk.config import Settings
from newsdesk.fetch.documents import expand
from newsdesk.pipeline.refresh import fetch_cycle
from newsdesk.sources.catalog import Source, load_catalog
from tests.conftest import threaded_server

_ORIGIN = re.compile(r"https?://([^/{}?#]+)")
SETTINGS = Settings(fetch_host_delay=0.0, fetch_retries=1, import_workers=1)


def localize(source: Source, base: str, **changes: Any) -> Source:
    def local(text: str | None) -> str | None:
        return _ORIGIN.sub(lambda m: f"{base}/{m[1]}", text) if text else text

    detail = dataclasses.replace(source.detail, url=local(source.detail.url)) if source.detail else None
    more = tuple(local(u) for u in source.more_urls)
    changes.setdefault("allow_private", True)  # the stand-in site is on loopback
    return dataclasses.replace(
        source, url=local(source.url), more_urls=more, link=local(source.link), detail=detail, **changes
    )


def path_of(url: str, base: str) -> tuple[str, str]:
    """(path, query string) of a localized URL, as the server sees it."""
    rest = url.removeprefix(base)
    path, _, query = rest.partition("?")
    return path, query


def serve(httpserver, url: str, body: str | bytes, content_type: str = "application/json", **kwargs: Any) -> None:
    """Answer GETs of ``url`` (``${ENV}`` filled in, as the fetcher sends it) with ``body``."""
    base = httpserver.url_for("").rstrip("/")
    path, query = path_of(expand(url, "test"), base)
    path = unquote(path)  # the server sees the path decoded
    body = body.replace("{BASE}", base) if isinstance(body, str) else body.replace(b"{BASE}", base.encode())
    httpserver.expect_request(path, query_string=query or None).respond_with_data(
        body, content_type=content_type, **kwargs
    )


def run(sources: list[Source], store, settings: Settings = SETTINGS):
    return asyncio.run(fetch_cycle(sources, store, settings))


@pytest.fixture(scope="session")
def catalog() -> dict[str, Source]:
    return load_catalog()


@pytest.fixture
def httpserver():
    """A threaded server of its own for each test (a slow handler must not hold up the
    other sources' requests)."""
    with threaded_server() as server:
        yield server


@pytest.fixture
def base(httpserver) -> str:
    return httpserver.url_for("").rstrip("/")


def json_list(httpserver, items: list[dict[str, Any]], path: str = "/list", **options: Any) -> Source:
    """A JSON source named ``s`` (unless ``name`` is given) whose list at ``path`` on the
    test server holds ``items`` (``{"t": title, "u": link}``)."""
    httpserver.expect_request(path).respond_with_data(json.dumps({"items": items}), content_type="application/json")
    options.setdefault("name", "s")
    options.setdefault("url", httpserver.url_for(path))
    options.setdefault("fields", {"title": "t", "link": "u"})
    return Source(kind="json", file="test", items="items", **options)


def stories(links: list[str]) -> list[dict[str, Any]]:
    """List items, one a link, titled ``story N``."""
    return [{"t": f"story {n}", "u": link} for n, link in enumerate(links)]
