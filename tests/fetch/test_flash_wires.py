"""Flash wires: cls.cn's signed query against a real server, script-wrapped JSON lists,
and what the catalog's flash sources keep and drop (their fixtures are in test_catalog)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from newsdesk.errors import ParseError
from newsdesk.fetch.parse import items
from newsdesk.sources.plugins.cls import sign, signed
from newsdesk.store import Store
from tests.fetch.conftest import localize, run

FLASH = ("jin10_flash", "cls_telegraph", "wallstreetcn_live", "gelonghui_live", "sina_zhibo", "10jqka_realtime",
         "futu_flash", "eastmoney_724")  # fmt: skip


def test_the_cls_sign_matches_the_published_test_vector():
    assert sign({"app": "CailianpressWeb", "os": "web", "rn": "50"}) == "e833b86a1feaf6119652b85fd0c52676"
    assert sign({"rn": "50", "os": "web", "app": "CailianpressWeb"}) == "e833b86a1feaf6119652b85fd0c52676"


def test_a_signed_url_fills_last_time_and_signs_what_it_sends():
    now = datetime(2025, 8, 22, 1, 30, tzinfo=UTC)
    url = signed("https://www.cls.cn/v1/roll/get_roll_list?app=CailianpressWeb&category=&last_time=&rn=20", now)
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    assert params["last_time"] == str(int(now.timestamp())) and params["category"] == ""
    given = params.pop("sign")
    joined = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    assert given == hashlib.md5(hashlib.sha1(joined.encode()).hexdigest().encode()).hexdigest()
    assert signed(url, now) == url  # signing again replaces the sign, never appends a second


def test_the_telegraph_request_reaching_the_server_carries_a_valid_sign(catalog, httpserver, base, sqlite_url):
    source = localize(catalog["cls_telegraph"], base)
    body = '{"errno":0,"data":{"roll_data":[{"id":1,"ctime":1755826200,"type":-1,"is_ad":0,"level":"B",' \
        '"title":"","content":"【央行开展逆回购操作】正文"}]}}'  # fmt: skip
    httpserver.expect_request("/www.cls.cn/v1/roll/get_roll_list").respond_with_data(
        body, content_type="application/json"
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        [article] = list(store.iter_articles())
    [(request, _)] = httpserver.log
    params = dict(parse_qsl(request.query_string.decode(), keep_blank_values=True))
    assert params.pop("sign") == sign(params) and params["app"] == "CailianpressWeb"
    assert result.new == 1 and article.title == "央行开展逆回购操作" and article.importance == 1 and article.kind == 2


@pytest.mark.parametrize(
    "text",
    ['var newest = [{"t": "a"}];', 'jQuery35_1({"list": [{"t": "a"}]})', ' cb ( {"list":[{"t":"a"}]} ) ;'],
)
def test_json_wrapped_in_a_script_is_read(catalog, text):
    source = localize(
        catalog["jin10_flash"], "http://127.0.0.1:1", items="list || @", filters=(), fields={"title": "t"}
    )
    assert [i["title"] for i in items(source, text, "http://127.0.0.1:1/x")] == ["a"]


@pytest.mark.parametrize("text", ["var newest = 5;", "alert(1)", "<html>[1]</html>", "var x = [1"])
def test_a_script_that_holds_no_json_list_is_a_parse_error_naming_the_source(catalog, text):
    with pytest.raises(ParseError, match="jin10_flash"):
        items(catalog["jin10_flash"], text, "https://www.jin10.com/flash_newest.js")


def test_every_flash_wire_is_a_flash_source_with_a_date_contract(catalog):
    for name in FLASH:
        source = catalog[name]
        assert source.item_kind == 2 and source.language == "zh-CN", name
        assert source.contract is not None and source.contract.published, name
        assert "${" not in source.url, name  # keyless: app ids only ever come from the environment
