"""A polite HTTP client for many sources at once (httpx, asyncio).

Limits are explicit settings (:class:`Limits`): a global number of requests in
flight, a number per host and a minimum delay between two requests to one host,
connect/read/total timeouts, a size cap enforced on the inflated body while it
streams in (:mod:`.bodies`), and a cap on redirects. Redirects are followed hop
by hop (:mod:`.hops`): a guarded request checks each hop's address before it is
sent and the address its connection reached; a source's headers go only where
their scope allows. Timeouts, connection errors, 429 and 5xx are retried with
exponential backoff and jitter, honouring ``Retry-After``. List URLs are fetched
with conditional GET (``If-None-Match`` / ``If-Modified-Since``) when the caller
passes what the last response said. Only http and https URLs are fetched.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import ssl
import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx

from newsdesk import telemetry
from newsdesk.errors import FetchError
from newsdesk.fetch.bodies import ACCEPT_ENCODING, Inflater, charset_of, decode
from newsdesk.fetch.guard import allowed_host, check_public, is_public
from newsdesk.fetch.hops import HeaderScope, next_hop, scope_of

__all__ = ["Fetcher", "Limits", "Response", "decode"]

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk; self-hosted news reader)"


@dataclass(frozen=True, slots=True)
class Limits:
    concurrency: int = 16  # requests in flight, all hosts together
    per_host: int = 2  # requests in flight to one host
    host_delay: float = 0.2  # seconds between the starts of two requests to one host
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0  # one attempt, body included
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5  # first retry after ~backoff s, then doubling
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for: the run fails


@dataclass(slots=True)
class Response:
    url: str  # after redirects
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    elapsed: float = 0.0

    @property
    def validators(self) -> dict[str, str]:
        """What to send next time for a conditional GET."""
        return {
            k: v
            for k, v in (("etag", self.headers.get("etag")), ("last-modified", self.headers.get("last-modified")))
            if v
        }


class _Host:
    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.lock = asyncio.Lock()
        self.next_start = 0.0


class Fetcher:
    """``async with Fetcher(limits) as fetcher: response = await fetcher.get(url, source=...)``."""

    def __init__(self, limits: Limits | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.limits = limits or Limits()
        self._slots = asyncio.Semaphore(self.limits.concurrency)
        self._hosts: dict[str, _Host] = defaultdict(lambda: _Host(self.limits.per_host))
        self._clients: dict[tuple[str | None, str], httpx.AsyncClient] = {}
        self._browser_sessions: dict[str | None, Any] = {}  # curl_cffi's, by proxy, opened on first use
        self._transport = transport
        self._ssl: ssl.SSLContext | None = None
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        if self._browser_sessions:
            from newsdesk.fetch import browser_tls

            await browser_tls.close(self._browser_sessions)

    def _client(self, proxy: str | None, host: str) -> httpx.AsyncClient:
        # One small pool per host: httpcore scans every connection of a pool on each
        # request event, so one pool for hundreds of hosts costs milliseconds a request.
        key = (proxy, host)
        if key not in self._clients:
            limits = self.limits
            if self._ssl is None:  # loading the CA bundle takes ~20 ms: once, not per host
                self._ssl = ssl.create_default_context(cafile=certifi.where())
            self._clients[key] = httpx.AsyncClient(
                verify=self._ssl,
                timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
                follow_redirects=False,  # followed hop by hop in _once
                proxy=proxy,
                transport=self._transport,
                limits=httpx.Limits(max_connections=limits.per_host + 2, max_keepalive_connections=limits.per_host),
                headers={"user-agent": USER_AGENT, "accept-encoding": ACCEPT_ENCODING},
            )
        return self._clients[key]

    async def get(
        self,
        url: str,
        *,
        source: str,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        json_body: object = None,
        validators: dict[str, str] | None = None,
        timeout: float | None = None,
        proxy: str | None = None,
        backend: str = "httpx",
        guard: bool | Collection[str] = False,
        trust_first: bool = False,
        header_scope: HeaderScope | None = None,
    ) -> Response:
        """Fetch ``url`` for ``source``; FetchError (naming both) when it cannot be had.
        ``backend="curl_cffi"`` sends it with a browser's TLS fingerprint (:mod:`.browser_tls`).
        ``guard``: every hop must lead to public addresses (:mod:`.guard`), or to the
        ``host:port`` entries it lists; ``trust_first`` spares the first hop (a list URL
        is the operator's choice, its redirects are not). ``headers`` go only to hops
        ``header_scope`` allows (by default ``url``'s origin) and are dropped on any other."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url[:200]!r}", where=source)
        hop = _Hop(
            source,
            _allowed(guard) if guard else None,
            header_scope or scope_of(url),
            dict(headers or {}),
            backend,
            proxy,
            trust_first,
        )
        conditional = {}
        if validators:
            if "etag" in validators:
                conditional["if-none-match"] = validators["etag"]
            if "last-modified" in validators:
                conditional["if-modified-since"] = validators["last-modified"]
        host = self._hosts[parts.hostname]
        limits = self.limits
        for attempt in range(limits.retries + 1):
            try:
                # The host's slot and turn first: a request waiting for its host must not
                # hold one of the global slots other hosts could use.
                async with host.slots:
                    await self._wait_turn(host)
                    async with self._slots:
                        return await asyncio.wait_for(
                            self._once(self._client(proxy, parts.hostname), url, method, conditional, json_body, hop),
                            timeout or limits.total_timeout,
                        )
            except _Retry as retry:
                error, wait = retry.error, retry.wait
            except (TimeoutError, httpx.TimeoutException):  # curl_cffi's timeouts arrive as TimeoutError
                error, wait = FetchError(f"timed out fetching {url}", where=source), None
            except httpx.UnsupportedProtocol:
                raise FetchError(f"redirected off http(s) from {url}", where=source) from None
            except (httpx.TransportError, httpx.DecodingError, ConnectionError) as exc:
                error, wait = FetchError(f"{type(exc).__name__} fetching {url}: {exc}", where=source), None
            if wait is not None and wait > limits.max_retry_after:
                raise FetchError(f"{error.message}; Retry-After {wait:.0f} s is too long to wait", where=source)
            if attempt == limits.retries:
                raise error
            if wait is None:
                wait = limits.backoff * 2**attempt * (1 + random.random())  # jitter: not all at once
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _wait_turn(self, host: _Host) -> None:
        async with host.lock:
            now = time.monotonic()
            delay = host.next_start - now
            host.next_start = max(now, host.next_start) + self.limits.host_delay
        if delay > 0:
            await asyncio.sleep(delay)

    async def _once(
        self,
        client: httpx.AsyncClient,
        url: str,
        method: str,
        conditional: dict[str, str],
        json_body: object,
        hop: _Hop,
    ) -> Response:
        """One attempt: the request and each redirect it leads to, hop by hop."""
        started = time.monotonic()
        first, current = url, url
        for hops in range(self.limits.max_redirects + 1):
            self.requests += 1
            sent = {**(hop.headers if hop.scope.allows(current) else {}), **conditional}
            guarded = hop.guard is not None and (hops > 0 or not hop.trust_first)
            pin = await check_public(current, hop.source, hop.guard or ()) if guarded else None
            checked = guarded and not hop.proxy  # through a proxy, the proxy is the peer
            request = _Request(current, method, sent, json_body, checked, pin if checked else None)
            status, headers_out, body = await self._send(client, request, hop)
            location = headers_out.get("location")
            if status not in _REDIRECTS or not location:
                break
            target, new_method = next_hop(current, status, location, method)
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected off http(s) from {first}", where=hop.source)
            if new_method != method:
                json_body = None
            if hops == self.limits.max_redirects:
                raise FetchError(f"more than {self.limits.max_redirects} redirects from {first}", where=hop.source)
            current, method = target, new_method
        telemetry.FETCH_STATUS.labels(str(status)).inc()
        telemetry.FETCH_LATENCY.observe(time.monotonic() - started)
        if status in RETRY_STATUS:
            raise _Retry(
                FetchError(f"HTTP {status} from {current}", where=hop.source),
                _retry_after(headers_out.get("retry-after")),
            )
        if status == 304:
            return Response(current, 304, "", headers_out, not_modified=True, elapsed=time.monotonic() - started)
        if status >= 400:
            raise FetchError(f"HTTP {status} from {current}", where=hop.source)
        text = decode(body, charset_of(headers_out.get("content-type", "")))
        return Response(current, status, text, headers_out, elapsed=time.monotonic() - started)

    async def _send(self, client: httpx.AsyncClient, req: _Request, hop: _Hop) -> tuple[int, dict[str, str], bytes]:
        """(status, lower-cased headers, body) of one request, redirects not followed. A
        guarded request connects to the address the guard checked (httpx: the URL's host
        replaced by it, the name kept in Host and TLS's SNI), and the address it reached
        is checked again (curl_cffi, which resolves by itself: only that)."""
        if hop.backend == "curl_cffi":
            from newsdesk.fetch import browser_tls

            return await browser_tls.fetch(
                req.url,
                req.method,
                req.headers,
                req.json_body,
                hop.proxy,
                max_bytes=self.limits.max_bytes,
                timeout=self.limits.read_timeout,
                source=hop.source,
                sessions=self._browser_sessions,
                peer_check=_peer_check(req.url, hop) if req.checked else None,
            )
        response = await client.send(_built(client, req), stream=True, follow_redirects=False)
        try:
            if req.checked:
                stream = response.extensions.get("network_stream")
                peer = stream.get_extra_info("server_addr") if stream is not None else None
                _peer_check(req.url, hop)(peer[0] if peer else None)
            headers_out = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code in RETRY_STATUS or (
                response.status_code in _REDIRECTS and headers_out.get("location")
            ):
                return response.status_code, headers_out, b""
            inflater = Inflater(headers_out.get("content-encoding", ""), self.limits.max_bytes, req.url, hop.source)
            async for chunk in response.aiter_raw():
                inflater.feed(chunk)
            return response.status_code, headers_out, inflater.finish()
        finally:
            await response.aclose()


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class _Request:
    """One hop's request, and whether (and to which address) its connection is pinned."""

    url: str
    method: str
    headers: dict[str, str]
    json_body: object
    checked: bool  # the address connected to must pass the guard
    pin: str | None  # the address the guard checked: connect to it, not to a new lookup


def _built(client: httpx.AsyncClient, hop: _Request) -> httpx.Request:
    if not hop.pin:
        return client.build_request(hop.method, hop.url, headers=hop.headers, json=hop.json_body)
    named = httpx.URL(hop.url)
    headers = {**hop.headers, "host": named.netloc.decode("ascii")}
    extensions = {"sni_hostname": named.host} if named.scheme == "https" else {}
    pinned = named.copy_with(host=hop.pin)
    return client.build_request(hop.method, pinned, headers=headers, json=hop.json_body, extensions=extensions)


@dataclass(frozen=True, slots=True)
class _Hop:
    """What every hop of one request is judged by."""

    source: str
    guard: Collection[str] | None  # None: unguarded; else host:port entries let through
    scope: HeaderScope
    headers: dict[str, str]
    backend: str
    proxy: str | None
    trust_first: bool  # the first hop is the operator's URL: not checked


def _peer_check(url: str, hop: _Hop) -> Callable[[str | None], None]:
    """A check of the address a hop's connection reached: the one the guard resolved
    may not be the one connected to (DNS rebinding)."""

    def check(peer: str | None) -> None:
        if hop.guard is None or allowed_host(url, hop.guard):
            return
        if peer is None:
            raise FetchError(f"cannot tell which address {url[:200]} connected to", where=hop.source)
        address = ipaddress.ip_address(peer.split("%")[0])
        if not is_public(address):
            raise FetchError(
                f"refused a link to {urlsplit(url).hostname}: connected to a non-public address ({address})",
                where=hop.source,
                reason="non-public address",
            )

    return check


def _allowed(guard: bool | Collection[str]) -> Collection[str]:
    return () if isinstance(guard, bool) else guard


class _Retry(Exception):
    def __init__(self, error: FetchError, wait: float | None) -> None:
        self.error, self.wait = error, wait


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
