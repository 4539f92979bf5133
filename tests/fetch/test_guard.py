"""Item links come from remote content: the detail fetch refuses non-public addresses
(after DNS, on every redirect, in every notation) unless the source opts in."""

import asyncio
import ipaddress

import pytest
from werkzeug import Response

from newsdesk.errors import FetchError
from newsdesk.fetch.guard import check_public, is_public
from newsdesk.models import ArticleFilter
from newsdesk.sources.catalog import Detail
from newsdesk.store import Store
from tests.fetch.conftest import json_list, run, stories


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://localhost:8000/api/sources",
    ],
)
def test_non_public_addresses_are_refused_in_every_notation(url):
    with pytest.raises(FetchError, match="non-public address") as info:
        asyncio.run(check_public(url, "src"))
    assert info.value.reason == "non-public address" and "src" in str(info.value)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    asyncio.run(check_public(f"https://{host}/story", "src"))  # no exception, no network needed


def _source(httpserver, links, **options):
    return json_list(httpserver, stories(links), name="guarded", detail=Detail(content=(".a",)), **options)


def test_item_links_to_private_addresses_are_not_fetched(httpserver, sqlite_url):
    port = httpserver.port
    allowed = f"127.0.0.1:{port}"
    httpserver.expect_request("/ok").respond_with_data(
        "<div class='a'><p>正文 public body</p></div>", content_type="text/html"
    )
    httpserver.expect_request("/redirect").respond_with_response(
        Response(status=302, headers={"Location": f"http://127.1:{port}/secret"})
    )
    httpserver.expect_request("/secret").respond_with_data(
        "<div class='a'><p>SECRET admin data</p></div>", content_type="text/html"
    )
    links = [
        httpserver.url_for("/ok"),
        f"http://localhost:{port}/secret",
        f"http://2130706433:{port}/secret",
        f"http://[::1]:{port}/secret",
        f"http://0.0.0.0:{port}/secret",
        f"http://[::ffff:127.0.0.1]:{port}/secret",
        httpserver.url_for("/redirect"),
    ]
    source = _source(httpserver, links, allow_private=(allowed,))  # only the list's own host:port is let through
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok" and result.new == 1
        assert result.reasons == {"non-public address": 6} and result.rejected == 6
        assert not any(request.path == "/secret" for request, _ in httpserver.log)
        assert [a.title for a in store.page(ArticleFilter(), 10)] == ["story 0"]


def test_a_source_may_opt_in_to_private_addresses(httpserver, sqlite_url):
    httpserver.expect_request("/intranet").respond_with_data(
        "<div class='a'><p>内网 intranet body</p></div>", content_type="text/html"
    )
    links = [f"http://localhost:{httpserver.port}/intranet"]
    with Store(sqlite_url) as store:
        [refused] = run([_source(httpserver, links)], store)
        assert refused.state == "failing" and "non-public address" in (refused.error or "")
        [result] = run([_source(httpserver, links, allow_private=True)], store)
        assert result.state == "ok" and result.new == 1
