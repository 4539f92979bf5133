"""The templates of the built and served site: the Jinja environment (a theme's
templates over the built-in ones) and its filters — ``slug``, ``local``, ``zone``,
``iso``, ``excerpt``, ``outline``, ``source_name``."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from importlib import resources
from pathlib import Path

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)

import newsdesk
from newsdesk.config import Settings
from newsdesk.enrich.sections import SECTIONS, label
from newsdesk.enrich.tickers import normalize_symbol
from newsdesk.publish.keys import digest, files_digest

__all__ = ["environment", "excerpt", "outline", "shown_tag", "site_key", "slugify"]

_UNSAFE = re.compile(r"[^\w.-]+|\.{2,}")


def slugify(value: str) -> str:
    """A file-system and URL safe name for a tag, source or language, one to a name.

    Letters (any script), digits, ``_``, ``-`` and inner dots stay (``BRK.B``);
    anything else becomes ``-``; nothing survives ``..`` or ``/``. A name that had to
    change (``fx168.``, ``a/b``, longer than 80) gets ``~`` and a hash of itself, a
    character no unchanged name has: distinct names never share a slug (a record of
    source ``fx168.`` took over ``/sources/fx168/`` when they could).
    """
    text = _UNSAFE.sub("-", value).strip("-.")[:80].rstrip("-.")
    if text == value:
        return text
    mark = hashlib.md5(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{text}~{mark}" if text else f"t-{mark}"


def environment(theme: Path | None, tz: tzinfo = UTC, names: Mapping[str, str] | None = None) -> Environment:
    """Templates of ``theme`` over the built-in ones; filters ``slug``, ``local``
    (a date in the site zone, ``strftime`` format), ``zone`` (that zone's offset),
    ``iso`` — cached, since a build shows each article's date on many pages — and
    ``source_name`` (a source's display name, from ``names``)."""
    shown = dict(names or {})
    loaders: list[BaseLoader] = [FileSystemLoader(str(theme))] if theme else []
    loaders.append(PackageLoader("newsdesk.publish", "templates"))
    # auto_reload off: a template is read once, not stat()-ed on every render.
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True),
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
        keep_trailing_newline=_OPTIONS["keep_trailing_newline"],
    )

    @functools.lru_cache(maxsize=100_000)
    def local(value: datetime, format: str = "%Y-%m-%d %H:%M") -> str:
        return value.astimezone(tz).strftime(format)

    @functools.lru_cache(maxsize=100_000)
    def zone(value: datetime) -> str:
        offset = value.astimezone(tz).strftime("%z")
        return "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}".replace(":00", "")

    env.filters.update(
        slug=functools.lru_cache(maxsize=100_000)(slugify),
        local=local,
        excerpt=excerpt,
        zone=zone,
        outline=outline,
        iso=functools.lru_cache(maxsize=100_000)(_iso),
        source_name=lambda name: shown.get(name, name),
        tag_label=_tag_label,
    )
    env.globals["sections"] = [(key, _tag_label(key)) for key in SECTIONS]
    return env


def shown_tag(tag: str) -> bool:
    """Whether the tag widget shows ``tag``: a section or a ticker (keywords stay searchable)."""
    return label(tag) is not None or normalize_symbol(tag) == tag


def _tag_label(tag: str) -> str:
    """A section's bilingual label (``宏观 Macro``); any other tag as it is."""
    section = label(tag)
    return f"{section.zh} {section.en}" if section else tag


_OPTIONS: dict[str, bool] = {"keep_trailing_newline": True}  # how templates compile (the cache's files depend on it)


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept in the user's temporary folder (Jinja checks it is theirs,
    and keys each by its source and its own version): a short build does not compile
    them again. The files' names carry the options templates compile with, which
    Jinja's key leaves out."""
    try:
        return FileSystemBytecodeCache(pattern=f"__newsdesk_{digest(sorted(_OPTIONS.items()))[:12]}_%s.cache")
    except RuntimeError:  # no safe folder: compile every time
        return None


_CUT = re.compile(r"[\s，。、；：！？,.;:!?]")


def excerpt(summary: str) -> str:
    """A card's summary cut at a word or clause boundary (the stored one is the seed
    system's first 50 characters, cut anywhere), with an ellipsis when cut."""
    text = summary.removesuffix("...").rstrip()
    if not summary.endswith("..."):
        return text
    cuts = [m.start() for m in _CUT.finditer(text)]
    if cuts and cuts[-1] >= len(text) // 2:
        text = text[: cuts[-1]]
    return text.rstrip(" ，、；：,;:") + "…"


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def outline(html: str) -> str:
    """An article body's headings under the page's ``h1``: the levels it uses, in rank
    order, become h2, h3 …, and none is more than one level below the one before it
    (``html`` is the sanitizer's output: well-formed tags)."""
    levels = sorted({int(m[2]) for m in _HEADING.finditer(html) if not m[1]})
    if not levels:
        return html
    rank = {level: min(6, 2 + n) for n, level in enumerate(levels)}
    open_levels: list[int] = []
    previous = 1

    def retag(match: re.Match[str]) -> str:
        nonlocal previous
        if match[1]:
            return f"</h{open_levels.pop() if open_levels else 2}"
        level = min(rank[int(match[2])], previous + 1)
        open_levels.append(level)
        previous = level
        return f"<h{level}"

    return _HEADING.sub(retag, html)


def _iso(value: datetime) -> str:
    """An HTML ``datetime`` value: whole seconds (the checker refuses microseconds)."""
    return value.isoformat(timespec="seconds")


# Bump when a path or a file's form changes (2: posts/<uuid>.html; 3: lists' page/N.html;
# 4: feed items carry the whole content).
LAYOUT = 4


def site_key(theme: Path | None, settings: Settings, per_page: int, names: Mapping[str, str]) -> str:
    """Everything every page depends on: templates (built-in and theme), settings, version."""
    files = [
        (f"builtin/{p.name}", p.read_bytes())
        for p in resources.files("newsdesk.publish").joinpath("templates").iterdir()
        if p.is_file()
    ]
    if theme:
        files += [(f"theme/{p.relative_to(theme)}", p.read_bytes()) for p in theme.rglob("*") if p.is_file()]
    site = (
        settings.site_title,
        settings.site_base_url,
        str(settings.tz),
        per_page,
        newsdesk.__version__,
        LAYOUT,
        sorted(names.items()),  # pages show sources by these
        settings.output_search_articles,
        settings.output_tag_min,
        settings.feeds_content_chars,
    )
    return digest(files_digest(files), site)
