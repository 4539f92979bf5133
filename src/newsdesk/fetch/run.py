"""One run of one source, and one cycle over many: list → items → details → import → health.

:func:`fetch_source` never raises for a source's own trouble (a timeout, an HTTP
error, a malformed document, a plugin that raises): the run ends ``failing`` with
the reason in the source's health and the other sources go on. What was
imported before a failure stays imported. Articles already stored are not
fetched again (their detail pages are skipped).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jmespath

from newsdesk.config import Settings
from newsdesk import extract
from newsdesk.errors import ConfigError, FetchError, NewsdeskError, ParseError, RecordError
from newsdesk.fetch import alerts
from newsdesk.fetch.client import Fetcher, Limits
from newsdesk.fetch.parse import detail_html, embedded_json, items as parse_items, link_of
from newsdesk.models import Record, SourceHealth
from newsdesk.sources.catalog import Source
from newsdesk.sources.dates import parse_published
from newsdesk.sources.records import link_uuid, parse_record
from newsdesk.store import Store

__all__ = ["RunResult", "expand", "fetch_cycle", "fetch_source", "limits_from", "list_items", "redact"]

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(slots=True)
class RunResult:
    """What one run of a source did (``newsdesk fetch --json`` prints these)."""

    name: str
    state: str = "ok"  # ok, failing, drifted; busy: another run of the source was in progress
    items: int = 0
    new: int = 0
    updated: int = 0
    seen: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # rejections by reason ("no article body": 2)
    not_modified: bool = False
    error: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


def limits_from(settings: Settings) -> Limits:
    return Limits(concurrency=settings.fetch_concurrency, per_host=settings.fetch_per_host,
                  host_delay=settings.fetch_host_delay, max_bytes=settings.fetch_max_bytes,
                  retries=settings.fetch_retries)  # fmt: skip


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


Importer = Callable[[Store, list[Record], Settings], Any]


def redact(text: str, source: Source) -> str:
    """``text`` with the values of the source's ``${ENV}`` secrets masked (an error
    message may quote a URL or header that carries one)."""
    names = set(_ENV.findall(" ".join([source.url, *source.more_urls, *source.headers.values(), str(source.body or ""),
                                       source.proxy or ""])))  # fmt: skip
    for name in names:
        secret = os.environ.get(name)
        if secret and len(secret) >= 4:
            text = text.replace(secret, f"${{{name}}}")
    return text


async def fetch_cycle(
    sources: Iterable[Source], store: Store, settings: Settings, *, on_done: Callable[[RunResult], None] | None = None,
    fetcher: Fetcher | None = None, importer: Importer | None = None, wait: float = 0.0,
) -> list[RunResult]:  # fmt: skip
    """Run ``sources`` concurrently (within the fetch limits); one result each.
    ``importer`` replaces the import pipeline (the fetch benchmark counts records instead)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(limits_from(settings))
    try:

        async def one(source: Source) -> RunResult:
            result = await fetch_source(source, fetcher, store, settings, importer=importer, wait=wait)
            if on_done:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(s) for s in sources)))
    finally:
        if own:
            await fetcher.close()


async def fetch_source(source: Source, fetcher: Fetcher, store: Store, settings: Settings, *,
                       importer: Importer | None = None, wait: float = 0.0) -> RunResult:  # fmt: skip
    """Fetch ``source`` once, import what is new, record its health (and alert on a change).

    One run of a source at a time, whichever process asks: while another run holds
    the source's lease this one waits up to ``wait`` seconds, then answers ``busy``."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    try:
        claimed = await _claim(store, source, owner, wait)
    except NewsdeskError:  # the database is away: fetch anyway, the import will say so
        claimed = True
    if not claimed:
        return RunResult(source.name, state="busy", error=f"fetch: {source.name}: another run of this source is in progress")
    try:
        return await _run(source, fetcher, store, settings, importer)
    finally:
        try:
            await _written(store.release_run, source.name, owner)
        except NewsdeskError:
            pass  # the lease expires by itself


LEASE_SECONDS = 900.0  # a run that died holding its lease frees the source after this


async def _claim(store: Store, source: Source, owner: str, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while not await _written(store.claim_run, source.name, owner, LEASE_SECONDS):
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def _run(source: Source, fetcher: Fetcher, store: Store, settings: Settings, importer: Importer | None) -> RunResult:
    started = time.monotonic()
    result = RunResult(source.name)
    try:  # read under the lease: no other run of this source writes it meanwhile
        health = store.health([source.name]).get(source.name) or SourceHealth(source.name)
    except NewsdeskError:  # the database is away: fetch anyway, the import will say so
        health = SourceHealth(source.name)
    validators: dict[str, str] | None = health.validators
    found: list[dict[str, Any]] = []
    offending: dict[str, Any] | None = None
    try:
        found, validators, result.not_modified = await list_items(source, fetcher, health.validators)
        result.items = len(found)
        broken = None if result.not_modified else _broken_contract(source, found)
        records, rejected, known = await _records(source, fetcher, store, settings, found)
        report = await _written(importer or _import, store, records, settings)
        result.new, result.updated, result.seen = report.new, report.updated, report.duplicate + known
        rejected.update(getattr(report, "reasons", {}))
        result.rejected, result.reasons = sum(rejected.values()), dict(+rejected)
        if broken:
            (result.state, result.error), offending = ("drifted", broken[0]), broken[1]
    except _NoBodies as exc:
        result.state, result.error, result.rejected, result.reasons = "drifted", str(exc), sum(exc.reasons.values()), dict(exc.reasons)
    except NewsdeskError as exc:
        result.state, result.error = "failing", redact(str(exc), source)
    except Exception as exc:  # noqa: BLE001 - a source's bug must not stop the others or the daemon
        result.state, result.error = "failing", redact(f"fetch: {source.name}: unexpected {type(exc).__name__}: {exc}", source)
    result.seconds = round(time.monotonic() - started, 3)
    await _record_health(store, settings, source, health, result, validators, found, offending)
    return result


async def list_items(source: Source, fetcher: Fetcher, validators: dict[str, str] | None) -> tuple[list[dict[str, Any]], dict[str, str] | None, bool]:
    """The source's items (its lists, or its plugin), the list's new validators, and
    whether the list answered 304 (``newsdesk sources test --live`` shows the items)."""
    if source.plugin:
        return await _plugin(source, fetcher), validators, False
    conditional = source.method == "GET" and not source.more_urls
    found: list[dict[str, Any]] = []
    for url in (source.url, *source.more_urls):
        response = await fetcher.get(
            expand(url, source.name), source=source.name, method=source.method,
            headers=expand(source.headers, source.name), json_body=expand(source.body, source.name),
            validators=validators if conditional else None, timeout=source.timeout, proxy=expand(source.proxy, source.name),
            backend=source.backend,
        )  # fmt: skip
        if response.not_modified:
            return [], validators, True
        links = {item.get("link") for item in found}
        found += [item for item in parse_items(source, response.text, response.url) if item.get("link") not in links]
    return found, (response.validators or None) if conditional else None, False


def _named(spec: str, field: str, source: Source) -> Callable[..., Any]:
    """The function a source names as ``module.path:function`` (``plugin``, ``detail.extract``)."""
    module_name, _, function_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"{field} {spec!r} cannot be loaded: {exc}", where=source.file) from None


async def _plugin(source: Source, fetcher: Fetcher) -> list[dict[str, Any]]:
    function = _named(source.plugin or "", "plugin", source)
    try:
        found = function(source, fetcher)
        if inspect.isawaitable(found):
            found = await found
    except NewsdeskError:
        raise
    except Exception as exc:  # noqa: BLE001 - plugin code is third-party code
        raise ParseError(f"plugin {source.plugin} raised {type(exc).__name__}: {exc}", where=source.name) from None
    if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
        raise ParseError(f"plugin {source.plugin} returned {type(found).__name__}, not a list of items", where=source.name)
    return found[: source.max_items]


def _broken_contract(source: Source, found: list[dict[str, Any]]) -> tuple[str, dict[str, Any] | None] | None:
    """Why this run breaks the source's contract (and the offending item), or None."""
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
        if contract and contract.published and _date(source, item.get("published")) is None:
            return f"drift: unreadable date {str(item.get('published'))[:40]!r}", item
    return None


def _date(source: Source, value: Any, now: datetime | None = None) -> datetime | None:
    try:
        return parse_published(value, source.tz, source.published_format, now=now)
    except ValueError:
        return None


async def _records(source: Source, fetcher: Fetcher, store: Store, settings: Settings,
                   found: list[dict[str, Any]]) -> tuple[list[Record], Counter[str], int]:  # fmt: skip
    """Records of the items not stored yet (details fetched), the reasons of those
    rejected, and how many were already stored."""
    rejected: Counter[str] = Counter()
    usable = [item for item in found if item.get("link")]
    if len(found) > len(usable):
        rejected["no link"] += len(found) - len(usable)
    known = store.known(link_uuid(str(item["link"])) for item in usable)
    fresh = [item for item in usable if link_uuid(str(item["link"])) not in known]
    if source.detail:
        pages = await asyncio.gather(*(_detail(source, fetcher, item) for item in fresh), return_exceptions=True)
        failed = [p for p in pages if isinstance(p, BaseException)]
        errors = [p for p in failed if not isinstance(p, RecordError)]
        if fresh and len(failed) == len(fresh) and errors:
            raise errors[0] if isinstance(errors[0], NewsdeskError) else FetchError(str(errors[0]), where=source.name)
        for page in failed:
            rejected[getattr(page, "reason", None) or "detail page failed"] += 1
        if fresh and not any(isinstance(page, dict) for page in pages):
            # Every page answered and none held a body: the site changed its layout.
            raise _NoBodies(f"drift: no article body on any of {len(fresh)} detail pages", rejected)
        fresh = [page for page in pages if isinstance(page, dict)]
    records = []
    now = datetime.now(UTC)
    for number, item in enumerate(fresh):
        published = item.get("page_date") or _date(source, item.get("published"), now)
        raw = {
            "id": item.get("id"), "title": _text(item.get("title")), "description": _text(item.get("summary")) or "",
            "image": _text(item.get("image")), "link": str(item["link"]), "source": source.name,
            "pub_date": published.isoformat() if published else None, "kind": source.item_kind,
            "language": source.language, "author": _text(item.get("author")),
        }  # fmt: skip
        try:
            records.append(parse_record(raw, f"{source.name} item {number} ({raw['link'][:200]})", tz=source.tz,
                                        default_source=source.name,
                                        max_description_bytes=settings.import_max_description_bytes))  # fmt: skip
        except RecordError as exc:
            rejected[exc.reason] += 1
    return records, rejected, len(usable) - len(fresh)


def _guard(source: Source) -> bool | tuple[str, ...]:
    """How the detail fetch checks where an item link leads (see fetch.guard)."""
    if source.allow_private is True:
        return False
    return source.allow_private or True


class _NoBodies(Exception):
    def __init__(self, message: str, reasons: Counter[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


async def _detail(source: Source, fetcher: Fetcher, item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its body (``summary``) from the detail page, and the page's own
    title and date where the list gave none. RecordError ``no article body`` when
    the page holds none."""
    assert source.detail is not None
    url = link_of(source.detail.url, item)
    response = await fetcher.get(url, source=source.name, headers=expand(source.headers, source.name),
                                 timeout=source.timeout, proxy=expand(source.proxy, source.name), backend=source.backend,
                                 guard=_guard(source))  # fmt: skip
    detail = source.detail
    page = text = response.text
    if detail.json_in:
        text = embedded_json(text, detail.json_in, f"{source.name} ({url})")
    if detail.json:
        text = _json_body(text, detail.json, f"{source.name} ({url})")
    if detail.extract:
        text = _extracted(source, text, url) or ""
    elif not detail.content and not detail.json:
        found = await _written(extract.main_content, text, url)  # CPU-bound: off the event loop
        text = found.html if found else ""
    body = detail_html(text, detail.content or ("body",), detail.remove) if text else None
    if body is None:
        how = ", ".join(detail.content) or ("detail.extract" if detail.extract else detail.json or "readability")
        raise RecordError(f"no article body ({how}) in {url}", where=source.name, reason="no article body")
    found_item = dict(item, summary=body)
    if not detail.json and not detail.json_in:
        if not _text(item.get("title")):
            found_item["title"] = extract.page_title(page)
        if not item.get("published"):
            found_item["page_date"] = await _written(extract.page_date, page, str(response.url), source.tz)
    return found_item


_WRITER: list[ThreadPoolExecutor] = []


async def _written(work: Callable[..., Any], *args: Any) -> Any:
    """Run a database write (cleaning and enrichment included) in this process's one
    writer thread: fetching goes on meanwhile, and writes never race each other."""
    if not _WRITER:
        _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-writer"))
    return await asyncio.get_running_loop().run_in_executor(_WRITER[0], lambda: work(*args))


def _extracted(source: Source, text: str, url: str) -> str | None:
    """The page's body by the source's ``detail.extract`` function (third-party code: contained)."""
    function = _named(source.detail.extract or "", "detail.extract", source)  # type: ignore[union-attr]
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


def _import(store: Store, records: list[Record], settings: Settings) -> Any:
    from newsdesk.pipeline import import_records  # the pipeline imports the stages; import it late

    return import_records(store, records, settings, workers=1)


async def _record_health(store: Store, settings: Settings, source: Source, health: SourceHealth, result: RunResult,
                         validators: dict[str, str] | None, found: list[dict[str, Any]],
                         offending: dict[str, Any] | None) -> None:  # fmt: skip
    now = datetime.now(UTC)
    health.last_run, health.latency_ms = now, int(result.seconds * 1000)
    health.new_items, health.seen_items, health.rejected = result.new, result.seen, result.reasons or None
    if result.state == "ok":
        health.state, health.failures, health.last_success, health.validators = "ok", 0, now, validators
        if found:
            health.last_good = _sample(found[0])
    else:
        health.state, health.failures = result.state, health.failures + 1
        health.last_error, health.last_error_at = result.error, now
        if result.state == "drifted":
            health.bad_sample = _sample(offending) if offending else {"items": len(found)}
    message = alerts.change(health, settings.alerts_after_failures)
    if message:
        await alerts.send(settings, message, source.name)
    try:
        await _written(store.save_health, health)
    except NewsdeskError as exc:
        result.error = f"{result.error or ''}; {exc}".lstrip("; ")


def _sample(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v)[:500] if v is not None else None) for k, v in item.items()}
