"""Snippets: the window around the first match, every match in it marked."""

from __future__ import annotations

import re

import pytest

from newsdesk.search.query import parse
from newsdesk.search.snippet import snippet


def marked(text: str, query: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet(text, parse(query).highlight))


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("dying", ["dying", "dies"]),  # the stems Snowball does not take from the word's start
        ("lie", ["lying", "lies"]),
        ("possibility", ["possibly", "possible"]),  # possibl: the stem ends where the words differ
        ("cry", ["cried", "cries"]),
        ("rate", ["Rates", "rated"]),
    ],
)
def test_every_form_of_a_word_is_marked_and_nothing_inside_other_words(query, words):
    text = f"Before {words[0]} came and went, {words[1]} too; pirates, stratified, unlikely, tyings."
    assert marked(text, query) == words


def test_a_match_past_the_opening_lines_still_centres_the_window():
    opening = "Nothing to see here. " * 150  # 3,150 characters before the match
    text = f"{opening}Copper futures rose as smelters cut output. {opening}"
    result = snippet(text, parse("smelters").highlight)
    assert result.startswith("…") and "<mark>smelters</mark>" in result and result.endswith("…")


def test_a_match_cut_by_the_first_scan_is_found_whole():
    # the first scan ends inside "smelters": the window reaches past it, so the whole
    # text is scanned again and the word is marked once, whole
    text = "x" * 1950 + " smelters " + "y " * 500
    assert marked(text, "smelter") == ["smelters"]


def test_chinese_and_english_terms_mark_together():
    assert marked("美联储周三宣布降息，Fed officials said rates would fall.", "降息 rate") == ["降息", "rates"]
