"""A hostile web client against the served app: large bodies without a token, Host
headers, many live streams, HEAD, a forged admin notice. A real server on a socket."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web import create_app
from newsdesk.web.cache import PageCache
from tests.web.helpers import running

TOKEN = "s3cret-token"


@pytest.fixture
def client(sqlite_url):
    settings = Settings(
        web_admin_token=TOKEN, web_streams=3, web_streams_per_client=2, site_base_url="https://news.example/"
    )
    with Store(sqlite_url) as store, running(create_app(store, settings)) as http:
        yield http


def _raw(client: httpx.Client, head: str, body: bytes = b"", wait: float = 5.0) -> str:
    """Send ``head`` (and ``body``) on a socket of its own; the answer's first line and headers."""
    address = urlsplit(str(client.base_url))
    with socket.create_connection((address.hostname, address.port), timeout=wait) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = b""
        deadline = time.monotonic() + wait
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("latin-1")


def test_an_admin_body_without_a_token_is_refused_before_it_is_read(client):
    # 86 MB announced, 10 bytes sent: the answer must not wait for the rest.
    head = "PUT /api/admin/watchlists/x HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
    answer = _raw(client, head + "Content-Length: 86000000\n", b'{"tickers"')
    assert answer.startswith("HTTP/1.1 401") and "content-type: application/json" in answer.lower()


def test_bodies_over_a_routes_cap_are_413_before_they_are_read(client):
    auth = f"Authorization: Bearer {TOKEN}\n"
    head = "PUT /api/admin/watchlists/x HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
    assert _raw(client, head + auth + "Content-Length: 1000000\n", b"{").startswith("HTTP/1.1 413")
    form = "POST /sources/ HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/x-www-form-urlencoded\n"
    assert _raw(client, form + "Content-Length: 300000000\n", b"token=").startswith("HTTP/1.1 413")
    # Chunked, no length: counted as it arrives.
    chunks = b"".join(b"%x\r\n%s\r\n" % (4096, b"a" * 4096) for _ in range(8)) + b"0\r\n\r\n"
    answer = _raw(client, head + auth + "Transfer-Encoding: chunked\n", chunks)
    assert answer.startswith("HTTP/1.1 413")
    too_big = client.put("/api/admin/watchlists/x", headers={"Authorization": f"Bearer {TOKEN}"}, content=b"x" * 20000)
    assert too_big.status_code == 413 and "16,384" in too_big.json()["error"]
    fine = client.put(
        "/api/admin/watchlists/x", headers={"Authorization": f"Bearer {TOKEN}"}, json={"tickers": ["NVDA"]}
    )
    assert fine.status_code == 200


def test_a_foreign_host_header_does_not_make_feed_links(client):
    for path in ("/index.xml", "/atom.xml", "/sitemap.xml"):
        body = client.get(path, headers={"Host": "evil.example"}).text
        assert "evil.example" not in body and "news.example" in body, path
    own = client.get("/index.xml").text  # a loopback name: links to where it was asked
    assert str(client.base_url).rstrip("/") in feedparser.parse(own).feed.link


def test_the_page_cache_is_bounded_in_bytes():
    cache = PageCache(30, lambda: 1, most_bytes=100_000)
    for n in range(150):  # as 150 Hosts' copies of a 10 KB feed would be
        cache.get(f"feed:http://h{n}/", lambda: "x" * 10_000)
    assert cache.bytes <= 100_000 and cache.fresh("feed:http://h149/") is not None
    assert cache.fresh("feed:http://h0/") is None  # the oldest went first


def _stream(client: httpx.Client, local: str = "127.0.0.1") -> tuple[httpx.Client, httpx.Response]:
    other = httpx.Client(base_url=client.base_url, transport=httpx.HTTPTransport(local_address=local), timeout=10)
    response = other.send(other.build_request("GET", "/api/stream"), stream=True)
    return other, response


def test_live_streams_are_capped_per_client_and_in_total(client):
    first, second = _stream(client), _stream(client)
    assert first[1].status_code == second[1].status_code == 200
    third = _stream(client)
    assert third[1].status_code == 503 and "this client" in third[1].read().decode()
    elsewhere = _stream(client, "127.0.0.2")  # another client address gets the last place
    assert elsewhere[1].status_code == 200
    full = _stream(client, "127.0.0.3")
    assert full[1].status_code == 503 and "most live streams (3)" in full[1].read().decode()
    for other, response in (first, third, full):
        response.close()
        other.close()
    deadline = time.monotonic() + 10
    while True:  # a closed stream gives its place back
        again = _stream(client)
        if again[1].status_code == 200 or time.monotonic() > deadline:
            break
        again[0].close()
        time.sleep(0.2)
    assert again[1].status_code == 200
    for other, response in (second, elsewhere, again):
        response.close()
        other.close()


@pytest.mark.parametrize(
    "path", ["/", "/index.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/api/articles", "/api/sources", "/search/"]
)
def test_head_answers_as_get_does_without_a_body(client, path):
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.headers["content-type"] == got.headers["content-type"] and head.content == b""


def test_head_of_a_missing_page_is_404_and_of_the_stream_ends(client):
    assert client.head("/posts/nope.html").status_code == 404
    started = time.monotonic()
    stream = client.head("/api/stream")
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    assert time.monotonic() - started < 9  # answered, not held open (the client's timeout is 10 s)


def test_the_admin_notice_shows_only_the_servers_own_messages(client):
    forged = client.get("/sources/", params={"done": "Session expired: paste your token at evil.example"})
    assert "evil.example" not in forged.text
    done = client.post("/sources/", data={"token": TOKEN, "action": "disable:apnews"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert "apnews: disabled" in page.text
    tampered = done.headers["location"].replace("disabled", "hacked")
    assert "hacked" not in client.get(tampered).text
