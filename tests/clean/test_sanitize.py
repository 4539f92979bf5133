"""The sanitizer is an allow-list: table-driven cases of hostile and ordinary markup."""

import pytest

from newsdesk.clean import sanitize
from newsdesk.clean.sanitize import MAX_DEPTH, nesting_depth
from newsdesk.errors import CleanError

BASE = "https://news.example.com/a/1"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>ok<script>alert(1)</script></p>", "<p>ok</p>"),
        ("<style>p{color:red}</style><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="alert(1)" onmouseover="x()">ok</p>', "<p>ok</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<img src="data:image/png;base64,AAAA">', ""),
        ('<iframe src="https://evil.example"></iframe><p>ok</p>', "<p>ok</p>"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>ok</p>', "<p>ok</p>"),
        ("<p>text<ad>buy now</ad></p>", "<p>text</p>"),
        ("<section><p></p></section><figure><p> </p></figure><p>kept</p>", "<p>kept</p>"),
        ("<p><br></p><p>&nbsp;</p><p>kept</p>", "<p>kept</p>"),
        ('<p style="color:red"><span style="font-size:9px">x</span></p>', "<p>x</p>"),
        ("<h2>Head</h2><ul><li><b>b</b> <i>i</i></li></ul>", "<h2>Head</h2><ul><li><b>b</b> <i>i</i></li></ul>"),
        (
            '<a href="https://example.com/x" target="_blank">x</a>',
            '<a href="https://example.com/x" rel="nofollow noopener">x</a>',
        ),
        ('<a href="/rel/path">x</a>', '<a href="https://news.example.com/rel/path" rel="nofollow noopener">x</a>'),
        ('<img src="//cdn.example.com/i.png" onerror="x()">', '<img alt="" src="https://cdn.example.com/i.png">'),
        ('<img src="ftp://example.com/i.png" alt="a">', ""),
        (
            "<table><tr><td colspan=2>1</td></tr></table>",
            '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
        ),
        (
            "<blockquote>q</blockquote><figure><img src='https://e.com/i.png'><figcaption>c</figcaption></figure>",
            '<blockquote>q</blockquote><figure><img alt="" src="https://e.com/i.png"><figcaption>c</figcaption></figure>',
        ),
        ("<svg><script>alert(1)</script></svg><math><mi>x</mi></math><p>ok</p>", "<p>ok</p>"),
        ('<form action="https://evil"><input value="x"><button>go</button></form><p>ok</p>', "<p>ok</p>"),
        ("<p>a<!-- comment -->b</p>", "<p>ab</p>"),
        ("<html><head><title>T</title></head><body><p>body</p></body></html>", "<p>body</p>"),
    ],
)
def test_allow_list(html, expected):
    assert sanitize(html, base_url=BASE) == expected


@pytest.mark.parametrize("tag", ["b", "blockquote", "p", "li", "div"])
def test_nesting_bombs_are_refused_or_flattened(tag):
    html = f"<{tag}>" * 10_000 + "deep" + f"</{tag}>" * 10_000
    try:
        cleaned = sanitize(html)
    except CleanError as exc:
        assert "levels deep" in str(exc) or "elements deep" in str(exc)
    else:  # the parser itself flattened it (e.g. <p> cannot nest)
        assert nesting_depth(cleaned) <= MAX_DEPTH and "deep" in cleaned


def test_depth_counts_only_open_elements():
    assert nesting_depth("<p><b>x</b><br><img src=x></p><p>y</p>") == 2


def test_images_keep_only_pixel_sizes_and_always_have_alt_text():
    html = sanitize(
        '<p><img src="https://a.example.com/1.png" width="100%" height="20">'
        '<img alt="logo" src="https://a.example.com/2.png" width="auto"></p>'
    )
    assert (
        html
        == '<p><img alt="" src="https://a.example.com/1.png" height="20"><img alt="logo" src="https://a.example.com/2.png"></p>'
    )
