"""The documents of one source: its lists of items and its detail pages.

* :func:`list_items` — the source's lists (or its plugin) fetched and parsed into
  item dicts, with the validators for the next conditional GET;
* :func:`broken_contract` — why a list breaks the source's contract (drift);
* :func:`detail_page` — an item's own page, with the source's ``detail.json_in``,
  ``detail.json`` and ``detail.extract`` applied;
* ``${ENV}`` secrets in URLs, headers and bodies (:func:`expand`) and masked in any
  message that may quote them (:func:`redact`).

The order of the stages (list → details → extract → records → import → health) is
the pipeline's (:mod:`newsdesk.pipeline.refresh`), not this module's.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jmespath

from newsdesk import markup
from newsdesk.config import Settings
from newsdesk.errors import ConfigError, FetchError, NewsdeskError, ParseError, RecordError
from newsdesk.fetch.client import Fetcher, Limits
from newsdesk.fetch.hops import scope_of
from newsdesk.fetch.parse import embedded_json, link_of
from newsdesk.fetch.parse import items as parse_items
from newsdesk.sources.catalog import Source
from newsdesk.sources.dates import parse_published
from newsdesk.sources.subscribed import is_subscribed

__all__ = [
    "Page",
    "broken_contract",
    "dated",
    "detail_page",
    "expand",
    "guard_of",
    "item_date",
    "limits_from",
    "list_items",
    "redact",
]

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A detail page's bounds: real article pages reach depth ~50, 3,000 elements and 280 KB of
# markup outside scripts; the extraction chain takes ~2 s for each 10,000 elements.
PAGE_BOUNDS = markup.Bounds(depth=512, elements=30_000, chars=1_500_000)


def guard_of(source: Source) -> bool | tuple[str, ...]:
    """How a fetch for ``source`` checks where remote links and redirects lead (see fetch.guard)."""
    if source.allow_private is True:
        return False
    return source.allow_private or True


def limits_from(settings: Settings) -> Limits:
    return Limits(
        concurrency=settings.fetch_concurrency,
        per_host=settings.fetch_per_host,
        host_delay=settings.fetch_host_delay,
        max_bytes=settings.fetch_max_bytes,
        retries=settings.fetch_retries,
    )


def expand(value: Any, source: str) -> Any:
    """``${NAME}`` replaced by the environment variable NAME, in text, lists and mappings."""
    if isinstance(value, str):

        def lookup(match: re.Match[str]) -> str:
            if match[1] not in os.environ:
                raise FetchError(f"environment variable {match[1]} is not set", where=source)
            return os.environ[match[1]]

        return _ENV.sub(lookup, value)
    if isinstance(value, list):
        return [expand(v, source) for v in value]
    if isinstance(value, dict):
        return {k: expand(v, source) for k, v in value.items()}
    return value


def redact(text: str, source: Source) -> str:
    """``text`` with the values of the source's ``${ENV}`` secrets masked (an error
    message may quote a URL or header that carries one): first each whole URL as sent,
    then each value; a value too short to replace safely everywhere (under 4 characters)
    where it stands as a URL part."""
    templates = [source.url, *source.more_urls, *source.headers.values(), str(source.body or ""), source.proxy or ""]
    for template in templates:
        if "${" in template:
            try:
                text = text.replace(expand(template, source.name), template)
            except FetchError:
                continue  # a variable not set: nothing of it can be in the text
    names = set(_ENV.findall(" ".join(templates)))
    for name in sorted(names, key=lambda n: -len(os.environ.get(n, ""))):
        secret = os.environ.get(name)
        if not secret:
            continue
        if len(secret) >= 4:
            text = text.replace(secret, f"${{{name}}}")
        else:
            bounded = re.compile(rf"(?<=[=/:@&?,]){re.escape(secret)}(?=[&/#@:?,;\s'\"]|$)")
            text = bounded.sub(f"${{{name}}}", text)
    return text


async def list_items(
    source: Source, fetcher: Fetcher, validators: dict[str, str] | None
) -> tuple[list[dict[str, Any]], dict[str, str] | None, bool]:
    """The source's items (its lists, or its plugin), the list's new validators, and
    whether the list answered 304 (``newsdesk sources test --live`` shows the items)."""
    if source.plugin:
        return await _plugin(source, fetcher), validators, False
    conditional = source.method == "GET" and not source.more_urls
    found: list[dict[str, Any]] = []
    for url in (source.url, *source.more_urls):
        subscribed = is_subscribed(source)  # a reader's URL: guarded from the first hop, never expanded
        target = url if subscribed else _signed(source, dated(expand(url, source.name), source))
        response = await fetcher.get(
            target,
            source=source.name,
            method=source.method,
            headers=expand(source.headers, source.name),
            json_body=expand(source.body, source.name),
            validators=validators if conditional else None,
            timeout=source.timeout,
            proxy=expand(source.proxy, source.name),
            backend=source.backend,
            guard=guard_of(source),
            trust_first=not subscribed,  # a catalog's list URL is the operator's choice; where it redirects is not
            header_scope=scope_of(target, source.headers_hosts),
        )
        if response.not_modified:
            return [], validators, True
        links = {item.get("link") for item in found}
        found += [item for item in parse_items(source, response.text, response.url) if item.get("link") not in links]
    return found, (response.validators or None) if conditional else None, False


_DATED = re.compile(r"\{today:([^{}]+)\}|\{(today_start|today_end|week_end)\}")


def dated(url: str, source: Source, now: datetime | None = None) -> str:
    """``url`` with its day templates filled in, for the source's time zone: ``{today:%Y}``
    (strftime of today), ``{today_start}``, ``{today_end}``, ``{week_end}`` (epoch seconds
    of today's start and end, and of the start of the day a week on): calendars are read
    by day."""
    if "{" not in url:
        return url
    start = (now or datetime.now(source.tz)).astimezone(source.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    ends = {"today_start": start, "today_end": start + timedelta(days=1), "week_end": start + timedelta(days=7)}
    return _DATED.sub(lambda m: start.strftime(m[1]) if m[1] else str(int(ends[m[2]].timestamp())), url)


def _signed(source: Source, url: str) -> str:
    """``url`` as the source's ``sign`` function makes it (cls.cn signs its query)."""
    if not source.sign:
        return url
    try:
        return str(named_function(source.sign, "sign", source)(url))
    except NewsdeskError:
        raise
    except Exception as exc:  # noqa: BLE001 - signing code is plugin code
        raise ParseError(f"sign {source.sign} raised {type(exc).__name__}: {exc}", where=source.name) from None


def named_function(spec: str, field: str, source: Source) -> Callable[..., Any]:
    """The function a source names as ``module.path:function`` (``plugin``, ``detail.extract``)."""
    module_name, _, function_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"{field} {spec!r} cannot be loaded: {exc}", where=source.file) from None


async def _plugin(source: Source, fetcher: Fetcher) -> list[dict[str, Any]]:
    function = named_function(source.plugin or "", "plugin", source)
    try:
        found = function(source, fetcher)
        if inspect.isawaitable(found):
            found = await found
    except NewsdeskError:
        raise
    except Exception as exc:  # noqa: BLE001 - plugin code is third-party code
        raise ParseError(f"plugin {source.plugin} raised {type(exc).__name__}: {exc}", where=source.name) from None
    if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
        raise ParseError(
            f"plugin {source.plugin} returned {type(found).__name__}, not a list of items", where=source.name
        )
    return found[: source.max_items]


def item_date(source: Source, value: Any, now: datetime | None = None) -> datetime | None:
    """An item's publication time, or None when it has none or it cannot be read."""
    try:
        return parse_published(value, source.tz, source.published_format, now=now)
    except ValueError:
        return None


def broken_contract(source: Source, found: list[dict[str, Any]]) -> tuple[str, dict[str, Any] | None] | None:
    """Why this list breaks the source's contract (and the offending item), or None."""
    contract = source.contract
    min_items = contract.min_items if contract else 1
    # A title is expected of article lists; flashes have none, detail pages carry their own.
    default = ("title", "link") if source.item_kind == 1 and not source.detail else ("link",)
    required = contract.required if contract else default
    if len(found) < min_items:
        return f"drift: {len(found)} items, the contract wants at least {min_items}", None
    for item in found:
        missing = [name for name in required if not item.get(name)]
        if missing:
            return f"drift: an item has no {', '.join(missing)}", item
        if contract and contract.published and item_date(source, item.get("published")) is None:
            return f"drift: unreadable date {str(item.get('published'))[:40]!r}", item
    return None


@dataclass(slots=True)
class Page:
    """An item's detail page: where it ended up, the page as served (``html``), and the
    text the body is taken from (``body_source``: the page, or what the source's
    ``detail.json_in`` / ``detail.json`` / ``detail.extract`` made of it)."""

    url: str
    html: str
    body_source: str


async def detail_page(source: Source, fetcher: Fetcher, item: dict[str, Any], guard: bool | tuple[str, ...]) -> Page:
    """Fetch ``item``'s page (``guard``: where remote links may lead, see fetch.guard)."""
    assert source.detail is not None
    detail = source.detail
    url = link_of(detail.url, item)
    scope = scope_of(expand(source.url, source.name), source.headers_hosts)
    response = await fetcher.get(
        url,
        source=source.name,
        headers=expand(source.headers, source.name) if scope.allows(url) else None,
        header_scope=scope,
        timeout=source.timeout,
        proxy=expand(source.proxy, source.name),
        backend=source.backend,
        guard=guard,
    )
    text = response.text
    why = markup.check(text, PAGE_BOUNDS)
    if why:  # parsers and extractors cost depth × elements: refused before any of them runs
        raise RecordError(f"page {why}: {url}", where=source.name, reason="page too large")
    if detail.json_in:
        text = embedded_json(text, detail.json_in, f"{source.name} ({url})")
    if detail.json:
        text = _json_body(text, detail.json, f"{source.name} ({url})")
    if detail.extract:
        text = _extracted(source, text, url) or ""
    return Page(response.url, response.text, text)


def _extracted(source: Source, text: str, url: str) -> str | None:
    """The page's body by the source's ``detail.extract`` function (third-party code: contained)."""
    function = named_function(source.detail.extract or "", "detail.extract", source)  # type: ignore[union-attr]
    try:
        body = function(text, url)
    except Exception as exc:  # noqa: BLE001 - the page is hostile, the code may trip on it
        raise ParseError(f"detail.extract raised {type(exc).__name__}: {exc} on {url}", where=source.name) from None
    return body if isinstance(body, str) and body.strip() else None


def _json_body(text: str, expression: str, where: str) -> str:
    try:
        body = jmespath.search(expression, json.loads(text))
    except ValueError as exc:
        raise ParseError(f"malformed JSON: {exc}", where=where) from None
    if not isinstance(body, str) or not body.strip():
        raise ParseError(f"no HTML at {expression!r}", where=where)
    return body
