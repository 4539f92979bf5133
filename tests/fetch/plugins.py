"""Plugins named by test sources (``plugin: tests.fetch.plugins:two_items``)."""

from __future__ import annotations


def explode(source, fetcher):
    return 1 / 0


async def two_items(source, fetcher):
    return [
        {"title": f"插件新闻 {n}", "link": f"https://plugin.example.com/{n}", "published": "2025-02-07 10:00:00"}
        for n in (1, 2)
    ]


def explode_page(text, url):
    raise ValueError("this page is not what I expected")
