"""Settings: defaults, the TOML file given with ``--config``, and their validation.

A settings file looks like this (every key optional)::

    [site]
    title = "newsdesk"
    base_url = "http://localhost:1313/"
    timezone = "Asia/Shanghai"     # naive dates in input are read in this zone

    [output]
    hugo = "hugo-site"             # default folder of `newsdesk export hugo`
    site = "public"                # default folder of `newsdesk build`

    [import]
    max_description_bytes = 5000000  # larger bodies are rejected, not cleaned
    batch_size = 500                 # records per transaction

Settings are passed to the stages as a value; no stage reads a global (the
environment variables of the table are read here, once, by :func:`load_settings`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.errors import ConfigError

DEFAULT_DB = "sqlite:///newsdesk.db"


def database_url(url: str) -> str:
    """The SQLAlchemy URL of a database URL, the one form used everywhere: plain
    ``postgresql://`` and ``postgres://`` use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_postgresql(url: str) -> bool:
    return database_url(url).startswith("postgresql")


def _setting(default: Any, help: str, *, env: str | None = None) -> Any:
    """A field of :class:`Settings`: its default, what it does, the environment
    variable that gives it when the settings file does not."""
    return field(default=default, metadata={"help": help, "env": env}, repr=env is None)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable: the one table of settings. A field ``section_key`` is
    the key ``key`` of the file's ``[section]`` table; README's settings table is
    written from this one (``python -m newsdesk.config``) and a test checks it."""

    site_title: str = _setting("newsdesk", "Site title (the built site, the Hugo export's `config.toml`).")
    site_base_url: str = _setting("http://localhost:1313/", "Absolute URL the site is published at.")
    site_timezone: str = _setting("Asia/Shanghai", "Zone of naive input dates and of dates shown.")
    site_per_page: int = _setting(20, "Articles per list page, in the built site and in `newsdesk serve`.")
    output_hugo: str = _setting("hugo-site", "Default folder of `newsdesk export hugo`.")
    output_site: str = _setting("public", "Default folder of `newsdesk build`.")
    output_workers: int = _setting(0, "Processes that render a large build (0: one per CPU core; 1: none).")
    output_tag_min: int = _setting(
        3, "Articles a tag needs for pages of its own in the static site (fewer: its articles show it unlinked)."
    )
    output_search_articles: int = _setting(
        10_000, "Newest articles the static site's search page covers (`newsdesk serve` searches all)."
    )
    web_cache_seconds: int = _setting(
        30,
        "How long `newsdesk serve` reuses a rendered page or search result once articles have changed "
        "(unchanged articles: until they change; 0: never).",
    )
    web_streams: int = _setting(
        256,
        "Live streams (`/api/stream`) open at once, all clients together (at most a quarter of the open-file limit).",
    )
    web_streams_per_client: int = _setting(8, "Live streams one client address may hold open at once.")
    web_cache_bytes: int = _setting(
        64_000_000, "Bytes of rendered pages, feeds and search results `newsdesk serve` keeps (oldest dropped first)."
    )
    web_hosts: str = _setting(
        "",
        "Host names (comma-separated) whose requests make served feeds' and sitemaps' absolute links; "
        "others get site.base_url (loopback names always count).",
    )
    web_public: bool = _setting(True, "Whether reading needs no login (false: pages and API need a user).")
    web_session_days: int = _setting(30, "Days a login lasts in a browser.")
    web_admin_token: str = _setting(
        "", "Token of the admin API (fetch now, enable/disable a source, watchlists); empty: admin actions off.",
        env="NEWSDESK_ADMIN_TOKEN",
    )  # fmt: skip
    stories_window_hours: float = _setting(48.0, "Hours back the top-stories list looks, by first sighting.")
    stories_half_life_hours: float = _setting(6.0, "Hours after its last report in which a story's rank score halves.")
    stories_weight_outlets: float = _setting(1.0, "Rank score per outlet that carried a story.")
    stories_weight_languages: float = _setting(1.0, "Rank score per language beyond the first a story was reported in.")
    stories_weight_velocity: float = _setting(1.0, "Rank score per outlet that reported a story in the last hour.")
    stories_weight_importance: float = _setting(
        2.0, "Rank score per level of a story's importance (1 important, 2 top)."
    )
    briefs_morning: str = _setting("08:00", "The morning brief's time (HH:MM, site zone): stories since the close.")
    briefs_close: str = _setting("16:00", "The close brief's time (HH:MM, site zone): stories since the morning.")
    briefs_stories: int = _setting(10, "Stories in a brief.")
    feeds_content_chars: int = _setting(
        0, "Feed items carry an article's whole content; a number caps it at that many characters of text."
    )
    sources_folder: str = _setting("", "A folder of source YAML files added to the built-in catalog.")
    sources_subscribe_private: bool = _setting(
        False, "Feeds added by URL may be on loopback or private addresses (an intranet desk)."
    )
    fetch_concurrency: int = _setting(16, "Requests in flight, all sources together.")
    fetch_per_host: int = _setting(2, "Requests in flight to one host.")
    fetch_host_delay: float = _setting(0.2, "Seconds between the starts of two requests to one host.")
    fetch_max_bytes: int = _setting(5_000_000, "Largest response body read (bytes); larger ones fail the fetch.")
    fetch_retries: int = _setting(2, "Retries after a timeout, a connection error, 429 or 5xx.")
    workers_tick: int = _setting(5, "PostgreSQL workers: seconds between scheduling passes.")
    workers_heartbeat: float = _setting(5.0, "PostgreSQL workers: seconds between a worker's heartbeats.")
    workers_stalled_after: float = _setting(
        20.0, "PostgreSQL workers: a worker silent this long is dead; its jobs are retried."
    )
    alerts_webhook: str = _setting(
        "", "Slack-compatible webhook told of source state changes.", env="NEWSDESK_ALERT_WEBHOOK"
    )
    alerts_notify: str = _setting(
        "", "Apprise URLs (space-separated) told of source state changes.", env="NEWSDESK_ALERT_NOTIFY"
    )
    alerts_env_prefix: str = _setting(
        "NEWSDESK_NOTIFY_", "Only environment variables with this prefix fill a watchlist's `${NAME}` notify target."
    )
    alerts_api_schemes: str = _setting(
        "tgram slack discord dingtalk feishu lark wecombot ntfys pover bark mailtos",
        "Apprise schemes a watchlist defined through the API may notify (the settings file's may use any).",
    )
    alerts_after_failures: int = _setting(3, "Consecutive failed runs before a source is reported failing.")
    retention_days: int = _setting(0, "Days an article is kept, by publication time (0: for ever); a source may say.")
    retention_flash_days: int = _setting(0, "Days a flash item (kind 2) is kept (0: as retention.days).")
    import_max_description_bytes: int = _setting(5_000_000, "Bodies larger than this are rejected, not cleaned.")
    import_batch_size: int = _setting(500, "Records written per transaction.")
    import_batch_chars: int = _setting(
        4_000_000, "Characters of record bodies a transaction holds at most (a batch of long ones has fewer records)."
    )
    import_workers: int = _setting(0, "Processes that clean and enrich records (0: one per CPU core; 1: none).")
    source_file: str | None = field(default=None, compare=False)
    watchlists: tuple[tuple[str, dict[str, Any]], ...] = field(default=(), compare=False)  # [watch.NAME] tables

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site_timezone)


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table (a field of :class:`Settings` that has ``help``)."""

    section: str
    key: str
    default: Any
    help: str
    env: str | None

    @property
    def name(self) -> str:
        return f"{self.section}_{self.key}"


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name.split("_", 1)[0], f.name.split("_", 1)[1], f.default, f.metadata["help"], f.metadata["env"])
    for f in fields(Settings)
    if "help" in f.metadata
)


def markdown_table() -> str:
    """The settings table as README shows it."""
    rows = ["| key | default | environment | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default!r}`" if isinstance(s.default, str) and not s.default else f"`{s.default}`"
        env = f"`{s.env}`" if s.env else ""
        rows.append(f"| `{s.section}.{s.key}` | {default.replace(chr(39), chr(34))} | {env} | {s.help} |")
    return "\n".join(rows) + "\n"


def load_settings(path: str | Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read a TOML settings file (``None``: the defaults); a setting the file leaves
    empty that has an environment variable takes its value from ``environ``.

    Raises ConfigError naming the file and the key for unknown keys, wrong types
    and unknown time zones.
    """
    settings = _from_file(Path(path)) if path is not None else Settings()
    found: dict[str, Any] = {s.name: environ[s.env] for s in SETTINGS if s.env and environ and environ.get(s.env)}
    return replace(settings, **{name: value for name, value in found.items() if not getattr(settings, name)})


def _from_file(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("settings file not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings: {exc}", where=str(path)) from None
    values: dict[str, Any] = {"source_file": str(path)}
    watch = data.pop("watch", {})
    if not isinstance(watch, dict) or not all(isinstance(v, dict) for v in watch.values()):
        raise ConfigError("[watch.NAME] tables define watchlists", where=str(path))
    values["watchlists"] = tuple(sorted(watch.items()))
    known = {(s.section, s.key): s for s in SETTINGS}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table", where=str(path))
        for key, value in table.items():
            setting = known.get((section, key))
            if setting is None:
                raise ConfigError(f"unknown setting {section}.{key}", where=str(path))
            if type(setting.default) is float and type(value) is int:
                value = float(value)  # "host_delay = 1" means 1.0
            if type(value) is not type(setting.default):
                expected = type(setting.default).__name__
                raise ConfigError(f"{section}.{key} must be a {expected}", where=str(path))
            values[f"{section}_{key}"] = value
    settings = Settings(**values)
    try:
        ZoneInfo(settings.site_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {settings.site_timezone!r}", where=str(path)) from None
    for name in ("site_per_page", "import_batch_size", "import_batch_chars"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name.replace('_', '.', 1)} must be at least 1", where=str(path))
    for name in ("briefs_morning", "briefs_close"):
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", getattr(settings, name)):
            raise ConfigError(f"{name.replace('_', '.', 1)} must be a time, HH:MM", where=str(path))
    for name in ("web_streams", "web_streams_per_client", "web_cache_bytes", "briefs_stories"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name.replace('_', '.', 1)} must be at least 1", where=str(path))
    for name in ("import_workers", "output_workers", "output_search_articles", "output_tag_min"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"{name.replace('_', '.', 1)} must be 0 (one per core) or more", where=str(path))
    return settings


if __name__ == "__main__":  # python -m newsdesk.config: the README's settings table
    print(markdown_table(), end="")
