"""Company names across languages in queries: a word naming a company or its ticker in
the shipped alias table (:mod:`newsdesk.enrich.tickers`) also searches its other names,
so 英伟达 finds the English Nvidia reports and Nvidia the Chinese ones (英伟达, 辉达, NVDA)."""

from __future__ import annotations

from functools import cache

from newsdesk.enrich.tickers import names_by_symbol
from newsdesk.tokens import normalize

__all__ = ["alternatives"]

MAX_NAMES = 4  # other names a word brings in (each an OR item of the query)


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Folded names → symbol, and symbols (as written) → symbol."""
    names: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for symbol, spelled in names_by_symbol().items():
        if len(symbol) >= 2:  # "V", "C", "T" are words, not queries for a company
            symbols[symbol] = symbol
        for name in spelled:
            names.setdefault(normalize(name), symbol)
    return names, symbols


def alternatives(word: str) -> list[str]:
    """The other names of the company ``word`` names (a name, in any script or case, or
    its ticker written in capitals); none when it names no company."""
    names, symbols = _index()
    symbol = symbols.get(word) or names.get(normalize(word))
    if symbol is None:
        return []
    spelled: dict[str, str] = {normalize(word): word}  # one spelling of each name (Nvidia, NVIDIA)
    for name in [symbol, *names_by_symbol()[symbol]]:
        spelled.setdefault(normalize(name), name)
    return list(spelled.values())[1 : MAX_NAMES + 1]
