"""Hostile records and pages: nesting that makes tree builders quadratic, NUL and
terminal escapes. Each is rejected or cleaned alone; the batch goes on."""

from __future__ import annotations

import random

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsdesk import markup
from newsdesk.clean import sanitize
from newsdesk.cli.common import safe
from newsdesk.config import Settings
from newsdesk.errors import CleanError
from newsdesk.models import SourceHealth
from newsdesk.pipeline import import_paths
from newsdesk.sources.catalog import Detail
from newsdesk.sources.records import link_uuid
from newsdesk.store import Store
from tests.conftest import newsdesk, record, write_data
from tests.fetch.conftest import json_list, run, stories

NESTED = "<div>" * 50_000 + "x" + "</div>" * 50_000  # 0.55 MB: nh3 took 8 s on it


def test_deep_nesting_is_refused_before_the_sanitizer_parses_it():
    with pytest.raises(CleanError, match="nests more than 512 elements deep") as info:
        sanitize(NESTED)
    assert info.value.reason == "body too complex"


@pytest.mark.parametrize(
    "html",
    [
        "<p>para" * 20_000,  # unclosed paragraphs close each other
        "<ul>" + "<li>item" * 20_000 + "</ul>",
        "<table>" + "<tr><td>a<td>b" * 10_000 + "</table>",
        "<dl>" + "<dt>t<dd>d" * 10_000 + "</dl>",
        "<p>" + "<a href=x>link" * 10_000,
        "<div>" + "<p>x<div>y</div>" * 5_000 + "</div>",
        "<script>" + "<div>" * 20_000 + "</script><p>ok</p>",  # a script's text is not markup
        "<!--" + "<div>" * 20_000 + "--><p>ok</p>",
    ],
)
def test_long_flat_markup_passes(html):
    assert markup.check(html) is None


def _lexbor_depth(html: str) -> int:
    tree = LexborHTMLParser(html)
    deepest, stack = 0, [(tree.root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            if not child.tag.startswith(("-", "_")):
                stack.append((child, depth + 1))
            child = child.next
    return deepest


def test_the_estimate_follows_a_real_tree_builder():
    """Random markup of open, closed and implied-end elements: the estimated depth stays
    within a factor of lexbor's tree, either way (the bound is 10x real pages' ~50).
    Misnested formatting elements (``<b>``, ``<i>``), which HTML5 reconstructs, are left
    out: docs/security.md says how far the estimate can miss there."""
    rng = random.Random(7)
    names = ["div", "p", "li", "span", "a", "section", "ul", "ol", "dt", "dd", "br", "img", "h2", "blockquote"]
    for _ in range(30):
        parts = []
        for _ in range(600):
            name = rng.choice(names)
            parts.append(f"</{name}>" if rng.random() < 0.4 else f"<{name}>t")
        html = "".join(parts)
        true = _lexbor_depth(html)
        estimated = next(d for d in range(1, 700) if markup.check(html, markup.Bounds(depth=d)) is None)
        assert true / 2 - 3 <= estimated <= true * 2 + 3, (estimated, true)


def test_a_hostile_record_is_rejected_alone_and_the_batch_goes_on(db_url, tmp_path):
    records = [
        record(1),
        record(2, description=NESTED * 2),  # 1.1 MB
        record(3, title="NUL\x00 in the title\x1b[31m", description="<p>body\x00 with NUL\x07 and ESC\x1b]0;x</p>"),
        record(4, link="https://news.example.com/articles/4\x00"),
    ]
    write_data(tmp_path / "data" / "src" / "news.json", records)
    with Store(db_url) as store:
        report = import_paths(store, [tmp_path / "data"], Settings())
        assert report.reasons == {"body too complex": 1}
        assert store.count() == 3
        third = store.get(link_uuid(records[2]["link"]))
        assert third.title == "NUL in the title[31m"
        assert "\x00" not in third.html and "\x07" not in third.text and "\x1b" not in third.raw_html
        assert store.get(link_uuid("https://news.example.com/articles/4")) is not None


def test_a_flash_with_nul_loses_nothing_else_on_postgresql(pg_url, httpserver):
    items = [{"t": f"flash {n}{chr(0) if n == 2 else ''}", "u": f"https://x.example/{n}"} for n in range(5)]
    source = json_list(httpserver, items)
    with Store(pg_url) as store:
        [result] = run([source], store)
        assert result.new == 5 and result.state == "ok"


def test_a_deeply_nested_detail_page_is_rejected_alone(httpserver, sqlite_url):
    page = "<html><body>" + "<section>" * 5_000 + "<p>deep</p>" + "</section>" * 5_000 + "</body></html>"
    good = "<html><body><article><p>" + "A sentence of the story. " * 10 + "</p></article></body></html>"
    httpserver.expect_request("/deep").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/good").respond_with_data(good, content_type="text/html")
    links = [httpserver.url_for("/deep"), httpserver.url_for("/good")]
    source = json_list(httpserver, stories(links), detail=Detail(), allow_private=True)
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.new == 1 and result.reasons == {"page too large": 1}


def test_terminal_output_shows_control_characters_written_out(sqlite_url):
    assert safe("a\x1b[31mred\x07\x9b2J\nnext\tcol") == "a\\x1b[31mred\\x07\\x9b2J\nnext\tcol"
    with Store(sqlite_url) as store:  # as a database written before cleaning at parsing holds
        store.save_health(SourceHealth("apnews", state="failing", last_error="bad \x1b]0;owned\x07 [link=x]y[/link]"))
    shown = newsdesk("sources", "show", "apnews", db=sqlite_url)
    listed = newsdesk("sources", db=sqlite_url, env={"COLUMNS": "200"})
    for result in (shown, listed):
        assert "\x1b]0" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
