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

Settings are passed to the stages as a value; no stage reads a global.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.errors import ConfigError

DEFAULT_DB = "sqlite:///newsdesk.db"


@dataclass(frozen=True, slots=True)
class Setting:
    section: str
    key: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("site", "title", "newsdesk", "Site title used by the Hugo export and the built site."),
    Setting("site", "base_url", "http://localhost:1313/", "Absolute URL the site is published at."),
    Setting("site", "timezone", "Asia/Shanghai", "Zone for naive input dates and for dates shown."),
    Setting("output", "hugo", "hugo-site", "Default folder of `newsdesk export hugo`."),
    Setting("output", "site", "public", "Default folder of `newsdesk build`."),
    Setting("output", "workers", 0, "Processes that render a large build (0: one per CPU core; 1: none)."),
    Setting("sources", "folder", "", "A folder of source YAML files added to the built-in catalog."),
    Setting("fetch", "concurrency", 16, "Requests in flight, all sources together."),
    Setting("fetch", "per_host", 2, "Requests in flight to one host."),
    Setting("fetch", "host_delay", 0.2, "Seconds between the starts of two requests to one host."),
    Setting("fetch", "max_bytes", 5_000_000, "Largest response body read (bytes); larger ones fail the fetch."),
    Setting("fetch", "retries", 2, "Retries after a timeout, a connection error, 429 or 5xx."),
    Setting("workers", "tick", 5, "PostgreSQL workers: seconds between scheduling passes."),
    Setting("workers", "heartbeat", 5.0, "PostgreSQL workers: seconds between a worker's heartbeats."),
    Setting("workers", "stalled_after", 20.0, "PostgreSQL workers: a worker silent this long is dead; its jobs are retried."),
    Setting("alerts", "webhook", "", "Slack-compatible webhook for source state changes (or env NEWSDESK_ALERT_WEBHOOK)."),
    Setting("alerts", "notify", "", "Apprise URLs (space-separated) told of source state changes too (or env NEWSDESK_ALERT_NOTIFY)."),
    Setting("alerts", "after_failures", 3, "Consecutive failed runs before a source is reported failing."),
    Setting("web", "admin_token", "", "Token for the admin API (fetch now, enable/disable a source); or env NEWSDESK_ADMIN_TOKEN."),
    Setting("web", "cache_seconds", 30, "How long `newsdesk serve` reuses a rendered page or search result once articles have changed (unchanged articles: until they change; 0: never)."),
    Setting("import", "max_description_bytes", 5_000_000, "Bodies larger than this are rejected."),
    Setting("import", "batch_size", 500, "Records written per transaction."),
    Setting("import", "workers", 0, "Processes that clean and enrich records (0: one per CPU core; 1: none)."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with the defaults of SETTINGS."""

    site_title: str = "newsdesk"
    site_base_url: str = "http://localhost:1313/"
    site_timezone: str = "Asia/Shanghai"
    output_hugo: str = "hugo-site"
    output_site: str = "public"
    output_workers: int = 0
    web_cache_seconds: int = 30
    web_admin_token: str = field(default="", repr=False)
    sources_folder: str = ""
    fetch_concurrency: int = 16
    fetch_per_host: int = 2
    fetch_host_delay: float = 0.2
    fetch_max_bytes: int = 5_000_000
    fetch_retries: int = 2
    workers_tick: int = 5
    workers_heartbeat: float = 5.0
    workers_stalled_after: float = 20.0
    alerts_webhook: str = ""
    alerts_notify: str = ""
    alerts_after_failures: int = 3
    import_max_description_bytes: int = 5_000_000
    import_batch_size: int = 500
    import_workers: int = 0
    source_file: str | None = field(default=None, compare=False)
    watchlists: tuple[tuple[str, dict[str, Any]], ...] = field(default=(), compare=False)  # [watch.NAME] tables

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site_timezone)


def load_settings(path: str | Path | None) -> Settings:
    """Read a TOML settings file; ``None`` gives the defaults.

    Raises ConfigError naming the file and the key for unknown keys, wrong types
    and unknown time zones.
    """
    if path is None:
        return Settings()
    path = Path(path)
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
        settings.tz
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {settings.site_timezone!r}", where=str(path)) from None
    if settings.import_batch_size < 1:
        raise ConfigError("import.batch_size must be at least 1", where=str(path))
    for name in ("import_workers", "output_workers"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"{name.replace('_', '.', 1)} must be 0 (one per core) or more", where=str(path))
    return settings

