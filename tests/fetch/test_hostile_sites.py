"""A hostile site against the fetcher: compression bombs and stacked encodings, secrets
sent after item links and redirects, list redirects into the machine, DNS rebinding.
Real loopback servers stand in for the site and for an internal service."""

import asyncio
import gzip
import json
import tracemalloc
import zlib

import pytest
from werkzeug import Response

from newsdesk.errors import FetchError
from newsdesk.fetch import client as client_module
from newsdesk.fetch import guard
from newsdesk.fetch.client import Fetcher, Limits
from newsdesk.sources.catalog import Detail, Source
from newsdesk.store import Store
from tests.conftest import threaded_server
from tests.fetch.conftest import json_list, run, stories

LIMITS = Limits(max_bytes=1_000_000, retries=0, host_delay=0.0)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """gzip inside gzip: a few KB that inflate to 256 MB of zeros."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    inner = b"".join(packer.compress(block) for _ in range(256)) + packer.flush()
    return gzip.compress(inner, 9)


@pytest.fixture
def internal():
    """A second loopback server: the internal service a hostile site points at."""
    with threaded_server() as server:
        yield server


def _fetch(url: str, **options):
    async def go():
        async with Fetcher(LIMITS) as fetcher:
            return await fetcher.get(url, source="hostile", **options)

    return asyncio.run(go())


def _peak_while(call) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_stacked_gzip_is_refused_before_it_inflates(httpserver, bomb):
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"content-encoding": "gzip, gzip"})

    def fetch():
        with pytest.raises(FetchError, match="stacked content encodings") as info:
            _fetch(httpserver.url_for("/bomb"))
        assert "hostile" in str(info.value) and "\n" not in str(info.value)

    assert len(bomb) < 10_000
    assert _peak_while(fetch) < 20_000_000  # httpx's own decoder held all 256 MB


def test_a_single_layer_bomb_stops_at_the_size_cap(httpserver, bomb):
    inner = gzip.decompress(bomb)  # one gzip layer: ~250 KB that inflate to 256 MB
    httpserver.expect_request("/bomb").respond_with_data(inner, headers={"content-encoding": "gzip"})

    def fetch():
        with pytest.raises(FetchError, match="larger than 1,000,000 bytes"):
            _fetch(httpserver.url_for("/bomb"))

    assert _peak_while(fetch) < 20_000_000


@pytest.mark.parametrize("coding", ["br", "zstd", "compress", "gzip, br"])
def test_encodings_not_asked_for_are_refused(httpserver, coding):
    httpserver.expect_request("/x").respond_with_data(b"whatever", headers={"content-encoding": coding})
    with pytest.raises(FetchError, match="not asked for|stacked"):
        _fetch(httpserver.url_for("/x"))


@pytest.mark.parametrize(
    ("coding", "pack"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("identity", lambda b: b),
    ],
)
def test_the_encodings_asked_for_still_read(httpserver, coding, pack):
    body = "中文 body ".encode() * 1000
    httpserver.expect_request("/x").respond_with_data(pack(body), headers={"content-encoding": coding})
    assert _fetch(httpserver.url_for("/x")).text == body.decode()


def test_corrupt_gzip_is_a_fetch_error(httpserver):
    httpserver.expect_request("/x").respond_with_data(b"\x1f\x8bnot really", headers={"content-encoding": "gzip"})
    with pytest.raises(FetchError, match="corrupt gzip"):
        _fetch(httpserver.url_for("/x"))


def _list_source(httpserver, links, path="/list", **options) -> Source:
    return json_list(httpserver, stories(links), path, **options)


def _seen_headers(server, path: str) -> list[dict[str, str]]:
    return [dict(request.headers) for request, _ in server.log if request.path == path]


def _page(title: str) -> str:
    return f"<html><body><article><h1>{title}</h1><p>{'A sentence of the story. ' * 10}</p></article></body></html>"


def test_a_sources_headers_do_not_follow_item_links_to_other_hosts(httpserver, internal, sqlite_url):
    other = f"localhost:{internal.port}"
    internal.expect_request("/story").respond_with_data(_page("elsewhere"), content_type="text/html")
    httpserver.expect_request("/own").respond_with_data(_page("own"), content_type="text/html")
    source = _list_source(
        httpserver,
        [f"http://{other}/story", httpserver.url_for("/own")],
        headers={"cookie": "session=SECRET", "x-api-key": "KEY"},
        detail=Detail(content=("article",)),
        allow_private=(other, f"127.0.0.1:{httpserver.port}"),
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 2
    [elsewhere] = _seen_headers(internal, "/story")
    assert "Cookie" not in elsewhere and "X-Api-Key" not in elsewhere
    [own] = _seen_headers(httpserver, "/own")
    assert own["Cookie"] == "session=SECRET" and own["X-Api-Key"] == "KEY"


def test_headers_go_to_declared_hosts_and_are_dropped_on_a_cross_origin_redirect(httpserver, internal, sqlite_url):
    other = f"localhost:{internal.port}"
    internal.expect_request("/story").respond_with_data(_page("cdn"), content_type="text/html")
    internal.expect_request("/moved").respond_with_data(_page("moved"), content_type="text/html")
    httpserver.expect_request("/hop").respond_with_response(
        Response(status=302, headers={"location": f"http://{other}/moved"})
    )
    source = _list_source(
        httpserver,
        [f"http://{other}/story", httpserver.url_for("/hop")],
        headers={"cookie": "session=SECRET"},
        headers_hosts=("localhost",),
        detail=Detail(content=("article",)),
        allow_private=(other, f"127.0.0.1:{httpserver.port}"),
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 2
    [declared] = _seen_headers(internal, "/story")
    assert declared["Cookie"] == "session=SECRET"  # localhost is declared
    [hop] = _seen_headers(httpserver, "/hop")
    assert hop["Cookie"] == "session=SECRET"
    [moved] = _seen_headers(internal, "/moved")
    assert moved["Cookie"] == "session=SECRET"  # declared host: still allowed after the hop

    # Not declared: the hop drops them.
    internal.expect_request("/moved2").respond_with_data(_page("moved"), content_type="text/html")
    httpserver.expect_request("/hop2").respond_with_response(
        Response(status=302, headers={"location": f"http://{other}/moved2"})
    )
    source = _list_source(
        httpserver,
        [httpserver.url_for("/hop2")],
        path="/list2",
        headers={"cookie": "session=SECRET"},
        detail=Detail(content=("article",)),
        allow_private=(other, f"127.0.0.1:{httpserver.port}"),
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 1
    [moved] = _seen_headers(internal, "/moved2")
    assert "Cookie" not in moved


def test_a_list_url_that_redirects_inside_the_machine_is_refused(httpserver, internal, sqlite_url):
    internal.expect_request("/admin").respond_with_data('{"items": [{"t": "secret", "u": "http://x/1"}]}')
    target = f"http://127.0.0.1:{internal.port}/admin?token=abc"
    httpserver.expect_request("/list").respond_with_response(Response(status=302, headers={"location": target}))
    # The list URL is itself on loopback: the operator's choice, fetched.
    source = json_list(httpserver, [], "/never", url=httpserver.url_for("/list"), headers={"cookie": "session=SECRET"})
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "failing" and "non-public address" in (result.error or "")
        assert "token=abc" not in (store.health()["s"].last_error or "") and "/admin" not in (result.error or "")
        assert not internal.log  # never asked
        assert store.count() == 0


def test_a_list_url_of_an_intranet_source_may_redirect_inside(httpserver, internal, sqlite_url):
    internal.expect_request("/feed").respond_with_data(
        '{"items": [{"t": "ok", "u": "http://example.com/1"}]}', content_type="application/json"
    )
    location = f"http://127.0.0.1:{internal.port}/feed"
    httpserver.expect_request("/list").respond_with_response(Response(status=301, headers={"location": location}))
    source = json_list(httpserver, [], "/never", url=httpserver.url_for("/list"), allow_private=True)
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 1


def test_a_guarded_request_connects_to_the_address_the_guard_checked(httpserver, monkeypatch):
    """DNS rebinding: the guard's lookup and the connection's must be one. The guard's
    resolver here knows a name the system's does not, and answers loopback, taken for a
    public address: the fetch reaches the server only by connecting to that answer,
    with the name in Host."""

    async def only_here(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    monkeypatch.setattr(guard, "resolve", only_here)
    monkeypatch.setattr(guard, "is_public", lambda address: True)  # stands in for a public answer
    monkeypatch.setattr(client_module, "is_public", lambda address: True)
    httpserver.expect_request("/page").respond_with_data("reached")
    response = _fetch(f"http://pinned.invalid:{httpserver.port}/page", guard=True)
    assert response.text == "reached" and response.url == f"http://pinned.invalid:{httpserver.port}/page"
    [(request, _)] = httpserver.log
    assert request.headers["Host"] == f"pinned.invalid:{httpserver.port}"


def test_short_secrets_are_masked_in_public_errors(httpserver, sqlite_url, monkeypatch):
    monkeypatch.setenv("NEWSDESK_TEST_KEY", "ab1")
    httpserver.expect_request("/list").respond_with_data("down", status=404)
    source = json_list(httpserver, [], "/never", url=httpserver.url_for("/list") + "?key=${NEWSDESK_TEST_KEY}&x=1")
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        error = store.health()["s"].last_error or ""
    assert "HTTP 404" in error and "key=${NEWSDESK_TEST_KEY}" in error and "ab1" not in error
    assert "ab1" not in (result.error or "")


def test_the_browser_tls_backend_follows_the_same_rules_hop_by_hop(httpserver, internal, sqlite_url, monkeypatch):
    """curl_cffi follows no redirect itself: the fetcher judges each hop, drops the
    source's headers on another host and checks the address curl connected to (the
    guard's lookup says public, curl's own reaches loopback)."""
    pytest.importorskip("curl_cffi", reason="curl_cffi is in the test extras (make test installs it)")
    internal.expect_request("/moved").respond_with_data(
        json.dumps({"items": stories(["https://x.example/1"])}), content_type="application/json"
    )
    httpserver.expect_request("/list").respond_with_response(
        Response(status=302, headers={"location": f"http://localhost:{internal.port}/moved"})
    )
    source = json_list(
        httpserver,
        [],
        "/never",
        url=httpserver.url_for("/list"),
        backend="curl_cffi",
        headers={"cookie": "session=SECRET"},
        allow_private=(f"localhost:{internal.port}",),
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 1, result.error
    [moved] = _seen_headers(internal, "/moved")
    assert "Cookie" not in moved and "cookie" not in moved

    async def public(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    monkeypatch.setattr(guard, "resolve", public)  # the name now "resolves" public: curl still reaches loopback
    internal.clear_log()
    rebound = json_list(
        httpserver, [], "/never2", name="s2", url=httpserver.url_for("/list"), backend="curl_cffi"
    )  # not allowed to any private address
    with Store(sqlite_url) as store:
        [result] = run([rebound], store)
        assert store.count() == 1  # the first source's item only: nothing of the internal answer
    # curl resolves by itself: its request went out, its answer was refused once the address was seen.
    assert result.state == "failing" and "connected to a non-public address" in (result.error or "")
