"""A polite HTTP client for many sources at once (httpx, asyncio).

Limits are explicit settings (:class:`Limits`): a global number of requests in
flight, a number per host and a minimum delay between two requests to one host,
connect/read/total timeouts, a size cap enforced while the body streams in, and
a cap on redirects. Timeouts, connection errors, 429 and 5xx are retried with
exponential backoff and jitter, honouring ``Retry-After``. List URLs are fetched
with conditional GET (``If-None-Match`` / ``If-Modified-Since``) when the caller
passes what the last response said. Bodies are decoded with the charset the
server declares, and with charset-normalizer's guess when that declaration is
missing or wrong. Only http and https URLs are fetched.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import certifi
import charset_normalizer
import httpx

from newsdesk import telemetry
from newsdesk.errors import FetchError
from newsdesk.fetch.guard import check_public

__all__ = ["Fetcher", "Limits", "Response"]

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
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                proxy=proxy,
                transport=self._transport,
                limits=httpx.Limits(max_connections=limits.per_host + 2, max_keepalive_connections=limits.per_host),
                headers={"user-agent": USER_AGENT, "accept-encoding": "gzip, deflate"},
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
    ) -> Response:
        """Fetch ``url`` for ``source``; FetchError (naming both) when it cannot be had.
        ``backend="curl_cffi"`` sends it with a browser's TLS fingerprint (:mod:`.browser_tls`).
        ``guard``: the URL came from remote content; it and every redirect must lead to
        public addresses (:mod:`.guard`), or to the ``host:port`` entries it lists."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url[:200]!r}", where=source)
        if guard:
            await check_public(url, source, _allowed(guard))
        sent = dict(headers or {})
        if validators:
            if "etag" in validators:
                sent["if-none-match"] = validators["etag"]
            if "last-modified" in validators:
                sent["if-modified-since"] = validators["last-modified"]
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
                            self._once(
                                self._client(proxy, parts.hostname),
                                url,
                                method,
                                sent,
                                json_body,
                                source,
                                backend,
                                proxy,
                                guard,
                            ),
                            timeout or limits.total_timeout,
                        )
            except _Retry as retry:
                error, wait = retry.error, retry.wait
            except (TimeoutError, httpx.TimeoutException):  # curl_cffi's timeouts arrive as TimeoutError
                error, wait = FetchError(f"timed out fetching {url}", where=source), None
            except httpx.TooManyRedirects:
                raise FetchError(f"more than {limits.max_redirects} redirects from {url}", where=source) from None
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
        headers: dict[str, str],
        json_body: object,
        source: str,
        backend: str,
        proxy: str | None,
        guard: bool | Collection[str],
    ) -> Response:
        started = time.monotonic()
        self.requests += 1
        if backend == "curl_cffi":
            from newsdesk.fetch import browser_tls

            status, final, headers_out, body = await browser_tls.fetch(
                url,
                method,
                headers,
                json_body,
                proxy,
                max_bytes=self.limits.max_bytes,
                max_redirects=0 if guard else self.limits.max_redirects,
                timeout=self.limits.read_timeout,
                source=source,
                sessions=self._browser_sessions,
            )
        else:
            status, final, headers_out, body = await self._httpx(client, url, method, headers, json_body, source, guard)
        telemetry.FETCH_STATUS.labels(str(status)).inc()
        telemetry.FETCH_LATENCY.observe(time.monotonic() - started)
        if status in RETRY_STATUS:
            raise _Retry(
                FetchError(f"HTTP {status} from {url}", where=source), _retry_after(headers_out.get("retry-after"))
            )
        if status == 304:
            return Response(final, 304, "", headers_out, not_modified=True, elapsed=time.monotonic() - started)
        if status >= 400:
            raise FetchError(f"HTTP {status} from {url}", where=source)
        text = decode(body, _charset(headers_out.get("content-type", "")))
        return Response(final, status, text, headers_out, elapsed=time.monotonic() - started)

    async def _httpx(
        self,
        client: httpx.AsyncClient,
        url: str,
        method: str,
        headers: dict[str, str],
        json_body: object,
        source: str,
        guard: bool | Collection[str],
    ) -> tuple[int, str, dict[str, str], bytes]:
        request = client.build_request(method, url, headers=headers, json=json_body)
        response = await client.send(request, stream=True, follow_redirects=not guard)
        hops = 0
        while guard and response.is_redirect:  # followed here, so that every hop is checked
            await response.aclose()
            hops += 1
            if hops > self.limits.max_redirects:
                raise FetchError(f"more than {self.limits.max_redirects} redirects from {url}", where=source)
            target = str(response.next_request.url) if response.next_request else ""
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected off http(s) from {url}", where=source)
            await check_public(target, source, _allowed(guard))
            assert response.next_request is not None
            response = await client.send(response.next_request, stream=True, follow_redirects=False)
        try:
            body = bytearray()
            if response.status_code not in RETRY_STATUS:
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self.limits.max_bytes:
                        raise FetchError(
                            f"response from {url} is larger than {self.limits.max_bytes:,} bytes", where=source
                        )
        finally:
            await response.aclose()
        return response.status_code, str(response.url), {k.lower(): v for k, v in response.headers.items()}, bytes(body)


def _allowed(guard: bool | Collection[str]) -> Collection[str]:
    return () if isinstance(guard, bool) else guard


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


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


def decode(body: bytes, declared: str | None) -> str:
    """Text of ``body``. UTF-8 when it decodes as such (other text rarely does); else
    the declared charset, unless it is one of the single-byte ones every byte string
    "decodes" in (servers say ISO-8859-1 for GBK pages); else charset-normalizer's guess."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.lower().replace("_", "-") not in _SINGLE_BYTE:
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    for charset in ("gb18030", "big5"):  # most of what is not UTF-8 here is Chinese
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text if ord(c) > 0x7F]
        if wide and sum(
            "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" for c in wide
        ) > 0.9 * len(wide):
            return text
    guess = charset_normalizer.from_bytes(body).best()
    return str(guess) if guess is not None else body.decode("utf-8", errors="replace")


_SINGLE_BYTE = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"})
