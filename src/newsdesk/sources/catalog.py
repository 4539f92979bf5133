"""Declarative source definitions: one YAML file per source.

A source says where its list is (``url``, ``method``, ``headers``, ``body``), what
kind of document it is (``rss``, ``json`` or ``html``), where the items are and how
to read each field, which items to keep, and optionally how to fetch each
article's page (``detail``). Example (``json``)::

    name: jin10_articles_articles
    kind: json
    url: https://example.com/api/articles?page=1  # or a list of URLs, read in turn
    headers: {x-app-id: "${JIN10_APP_ID}"}     # from the environment, never logged
    items: data.list                           # JMESPath to the list of items
    fields: {id: id, title: title, published: display_datetime, image: thumb}
    link: https://xnews.jin10.com/details/{id}  # template over the item's fields
    filters: ["vip == 0"]                      # JMESPath over the raw item (json) or its fields, kept when true
    timezone: Asia/Shanghai                    # for dates without an offset
    language: zh-CN

Every error names the file and the field. The catalog shipped with newsdesk is
``newsdesk/sources/catalog/*.yaml``; ``--sources DIR`` adds (and may override) more.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jmespath
import jmespath.exceptions
import yaml

from newsdesk.errors import ConfigError
from newsdesk.models import SourceHealth
from newsdesk.sources import yaml_fields as read
from newsdesk.sources.schedule import Schedule, parse_schedule

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when built with it: 10x faster

__all__ = [
    "Contract",
    "Detail",
    "Source",
    "configured_catalog",
    "display_names",
    "is_enabled",
    "load_catalog",
    "load_source",
]

KINDS = ("rss", "json", "html")
FIELDS = ("id", "title", "link", "published", "image", "author", "summary")
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")
_BARE_NUMBER = re.compile(r"(==|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)(?![\w`])")


@dataclass(frozen=True, slots=True)
class Detail:
    """How to fetch an item's own page: ``url`` (a template, default the item's link),
    the CSS selectors of its content (the first that matches wins) and what to remove.
    With no ``content``, ``json`` or ``extract``, the extraction chain (newsdesk.extract) finds the body."""

    url: str = "{link}"
    content: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    json: str | None = None  # the page is JSON: JMESPath to its HTML body (content is then optional)
    json_in: str | None = None  # the JSON is inside the page's HTML: CSS selector of its <script>
    extract: str | None = None  # module.path:function(text, url) -> HTML or None, for pages that need code


@dataclass(frozen=True, slots=True)
class Contract:
    """What a healthy run of the source yields; a run that breaks it marks the source ``drifted``."""

    min_items: int = 1
    required: tuple[str, ...] = ("title", "link")
    published: bool = False  # every item's date must parse


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kind: str
    url: str
    file: str
    more_urls: tuple[str, ...] = ()  # further lists (``url:`` given as a list), read in turn
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    # Hosts besides the list URL's origin the headers may go to (``api.site.com``, ``.site.com``).
    headers_hosts: tuple[str, ...] = ()
    body: Any = None
    items: str = ""
    json_in: str | None = None  # json sources: the JSON is inside the list page's HTML (CSS selector of its <script>)
    fields: dict[str, str] = field(default_factory=dict)
    link: str | None = None  # template such as https://site/news/{id}
    published_format: str | None = None  # strptime format, "epoch" or "epoch_ms"; else auto
    timezone: str = "Asia/Shanghai"
    filters: tuple[str, ...] = ()
    language: str | None = None
    item_kind: int = 1  # the seed system's item kind (1 article, 2 flash...)
    # The item field ``fields.importance`` names, its raw values → 0 normal, 1 important, 2 top
    # (cls: {A: 2, B: 1}); without it a number is taken as it is (jin10's ``important``: 0 / 1).
    importance: dict[str, int] = field(default_factory=dict)
    interval: int = 300
    schedule: Schedule | None = None
    timeout: float = 15.0
    max_items: int = 50
    enabled: bool = True
    disabled_reason: str | None = None
    proxy: str | None = None
    # Item links may lead to loopback / private addresses: all (true, intranet sources) or these host:port.
    allow_private: bool | tuple[str, ...] = False
    backend: str = "httpx"  # or curl_cffi: a browser's TLS fingerprint (optional extra)
    plugin: str | None = None
    sign: str | None = None  # module.path:function(url) -> url, for lists whose query is signed (cls)
    calendar: bool = False  # its items are economic calendar events (newsdesk.pipeline.calendar)
    detail: Detail | None = None
    contract: Contract | None = None
    description: str = ""
    title: str = ""  # the display name (pages, feeds, alerts); the name when empty
    retention_days: int | None = None  # days its articles are kept (0: for ever); None: retention.days

    @property
    def display_name(self) -> str:
        return self.title or self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def compiled_filters(self) -> list[jmespath.parser.ParsedResult]:
        return [jmespath.compile(_jmespath_filter(text)) for text in self.filters]


def _jmespath_filter(text: str) -> str:
    # "vip == 0" reads naturally; JMESPath wants the number as a literal: vip == `0`.
    return _BARE_NUMBER.sub(r"\1 `\2`", text)


def load_source(path: Path) -> Source:
    """Read and validate one source file; ConfigError names the file and the field."""
    where = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the source: {exc}", where=where) from None
    if not isinstance(data, dict):
        raise ConfigError("a source file holds a mapping (name: ..., kind: ..., url: ...)", where=where)
    return _source(data, where)


def load_catalog(folders: Iterable[Path] = (), *, builtin: bool = True) -> dict[str, Source]:
    """Every source of the built-in catalog and of ``folders`` (later ones override
    earlier ones of the same name). Raises ConfigError on the first bad file."""
    files: list[Path] = []
    if builtin:
        shipped = importlib.resources.files("newsdesk.sources").joinpath("catalog")
        files += sorted(
            (Path(str(p)) for p in shipped.iterdir() if p.name.endswith((".yaml", ".yml"))), key=lambda p: p.name
        )
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError("not a folder of source files", where=str(folder))
        files += sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    catalog: dict[str, Source] = {}
    for path in files:
        source = load_source(path)
        catalog[source.name] = source
    return catalog


def is_enabled(source: Source | None, health: SourceHealth | None) -> bool:
    """Whether a source runs: as its catalog entry says, unless an admin said otherwise
    (a source known only from its stored health is off)."""
    if health is not None and health.enabled is not None:
        return health.enabled
    return source.enabled if source else False


def configured_catalog(sources_folder: str, folders: Iterable[Path] = ()) -> dict[str, Source]:
    """The built-in catalog, plus the ``sources.folder`` setting's folder, plus ``folders``."""
    return load_catalog([*([Path(sources_folder)] if sources_folder else []), *folders])


def display_names(sources_folder: str = "") -> dict[str, str]:
    """Source name → display name: the catalog's titles over the names of sources known
    only from imports (``names.yaml``). A catalog folder that cannot be read leaves its
    sources out (pages still render; ``newsdesk sources`` reports the error)."""
    shipped = importlib.resources.files("newsdesk.sources").joinpath("names.yaml").read_text("utf-8")
    names = {str(k): str(v) for k, v in (yaml.load(shipped, Loader=_LOADER) or {}).items()}
    try:
        catalog = configured_catalog(sources_folder)
    except ConfigError:
        catalog = load_catalog()
    names.update({name: source.display_name for name, source in catalog.items()})
    return names


def _source(data: dict[str, Any], where: str) -> Source:
    known = set(Source.__dataclass_fields__) - {"file"}
    for key in data:
        if key not in known:
            raise ConfigError(f"unknown field {key!r}", where=where)
    name = read.string(data, "name", where, required=True) or ""
    if not _NAME.fullmatch(name):
        raise ConfigError(f"field 'name': {name!r} is not a source key (lower case, digits, _ . -)", where=where)
    kind = read.string(data, "kind", where, required=True)
    if kind not in KINDS:
        raise ConfigError(f"field 'kind': {kind!r} is not one of {', '.join(KINDS)}", where=where)
    urls = data.get("url")
    urls = (
        [str(u) for u in urls] if isinstance(urls, list) and urls else [read.string(data, "url", where, required=True)]
    )
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"field 'url': {url[:80]!r} is not http(s)", where=where)
    url = urls[0]
    fields = read.mapping(data, "fields", where)
    for key in fields:  # beyond FIELDS, a name is only for the link templates ({slug})
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", str(key)):
            raise ConfigError(f"field 'fields.{key}': a field name is lower case letters, digits and _", where=where)
    if kind != "rss":
        if not data.get("items"):
            raise ConfigError("field 'items': required for json and html sources", where=where)
        if "title" not in fields or ("link" not in fields and not data.get("link")):
            raise ConfigError("field 'fields': needs title, and link (or a link template)", where=where)
    if kind == "json":
        for key, expression in [("items", data["items"]), *((f"fields.{k}", v) for k, v in fields.items())]:
            read.check_jmespath(expression, key, where)
    filters = tuple(read.strings(data, "filters", where))
    for number, text in enumerate(filters):
        read.check_jmespath(_jmespath_filter(text), f"filters[{number}]", where)
    timezone = read.string(data, "timezone", where) or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"field 'timezone': unknown time zone {timezone!r}", where=where) from None
    method = (read.string(data, "method", where) or "GET").upper()
    if method not in ("GET", "POST"):
        raise ConfigError(f"field 'method': {method!r} is not GET or POST", where=where)
    backend = read.string(data, "backend", where) or "httpx"
    if backend not in ("httpx", "curl_cffi"):
        raise ConfigError(f"field 'backend': {backend!r} is not httpx or curl_cffi", where=where)
    plugin, sign = read.string(data, "plugin", where), read.string(data, "sign", where)
    for key, spec in (("plugin", plugin), ("sign", sign)):
        if spec and not re.fullmatch(r"[\w.]+:\w+", spec):
            raise ConfigError(f"field '{key}': {spec!r} is not module.path:function", where=where)
    return Source(
        name=name,
        kind=kind,
        url=url,
        more_urls=tuple(urls[1:]),
        file=where,
        method=method,
        headers={str(k): str(v) for k, v in read.mapping(data, "headers", where).items()},
        headers_hosts=tuple(h.strip().lower() for h in read.strings(data, "headers_hosts", where)),
        body=data.get("body"),
        items=str(data.get("items") or ""),
        fields={k: str(v) for k, v in fields.items()},
        json_in=read.string(data, "json_in", where),
        link=read.string(data, "link", where),
        published_format=read.string(data, "published_format", where),
        timezone=timezone,
        filters=filters,
        language=read.string(data, "language", where),
        item_kind=read.number(data, "item_kind", where, 1, int),
        importance=read.importance(data, where),
        interval=read.number(data, "interval", where, 300, int),
        schedule=parse_schedule(data["schedule"], where) if data.get("schedule") else None,
        timeout=read.number(data, "timeout", where, 15.0, float),
        max_items=read.number(data, "max_items", where, 50, int),
        retention_days=read.number(data, "retention_days", where, 0, int) if "retention_days" in data else None,
        enabled=read.flag(data, "enabled", where),
        disabled_reason=read.string(data, "disabled_reason", where),
        proxy=read.string(data, "proxy", where),
        allow_private=read.allow_private(data, where),
        backend=backend,
        plugin=plugin,
        sign=sign,
        calendar=read.flag(data, "calendar", where, default=False),
        detail=_detail(data, where),
        contract=_contract(data, where),
        description=read.string(data, "description", where) or "",
        title=read.string(data, "title", where) or "",
    )


def _detail(data: dict[str, Any], where: str) -> Detail | None:
    if data.get("detail") is None:
        return None
    raw = data["detail"]
    if not isinstance(raw, dict):
        raise ConfigError("field 'detail': a mapping (url, content, remove)", where=where)
    for key in raw:
        if key not in ("url", "content", "remove", "json", "json_in", "extract"):
            raise ConfigError(f"unknown field 'detail.{key}'", where=where)
    content = tuple(read.strings(raw, "content", where, prefix="detail."))
    body = read.string(raw, "json", where, prefix="detail.")
    if body:
        read.check_jmespath(body, "detail.json", where)
    extract = read.string(raw, "extract", where, prefix="detail.")
    if extract and not re.fullmatch(r"[\w.]+:\w+", extract):
        raise ConfigError(f"field 'detail.extract': {extract!r} is not module.path:function", where=where)
    # Neither selectors, nor JSON, nor code: the extraction chain (newsdesk.extract) finds the body.
    return Detail(
        url=read.string(raw, "url", where, prefix="detail.") or "{link}",
        content=content,
        remove=tuple(read.strings(raw, "remove", where, prefix="detail.")),
        json=body,
        extract=extract,
        json_in=read.string(raw, "json_in", where, prefix="detail."),
    )


def _contract(data: dict[str, Any], where: str) -> Contract | None:
    raw = data.get("contract")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConfigError("field 'contract': a mapping (min_items, required, published)", where=where)
    for key in raw:
        if key not in ("min_items", "required", "published"):
            raise ConfigError(f"unknown field 'contract.{key}'", where=where)
    required = tuple(read.strings(raw, "required", where, prefix="contract.")) or ("title", "link")
    for name in required:
        if name not in FIELDS:
            raise ConfigError(f"field 'contract.required': {name!r} is not one of {', '.join(FIELDS)}", where=where)
    return Contract(
        min_items=read.number(raw, "min_items", where, 1, int, prefix="contract."),
        required=required,
        published=read.flag(raw, "published", where, default=False),
    )
