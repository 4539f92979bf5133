"""The settings table: one definition (the ``Settings`` dataclass), the README's table
written from it, environment variables read once by ``load_settings``."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.config import SETTINGS, Settings, load_settings, markdown_table
from newsdesk.errors import ConfigError

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_shows_the_settings_table_as_the_code_defines_it():
    assert markdown_table() in README.read_text(encoding="utf-8"), "run: python -m newsdesk.config"


def test_every_setting_has_a_default_a_help_and_a_file_key(tmp_path):
    assert len(SETTINGS) >= 20 and all(s.help and s.section and s.key for s in SETTINGS)
    tables: dict[str, list[str]] = {}
    for s in SETTINGS:
        if isinstance(s.default, bool):
            value = str(not s.default).lower()
        else:
            value = f'"{s.default}x"' if isinstance(s.default, str) else s.default + 1
        tables.setdefault(s.section, []).append(f"{s.key} = {value}\n")
    text = "".join(f"[{section}]\n" + "".join(lines) for section, lines in tables.items())
    for wrong, valid in (
        ('timezone = "Asia/Shanghaix"', 'timezone = "UTC"'),
        ('"08:00x"', '"07:30"'),
        ('"16:00x"', '"15:00"'),
    ):
        text = text.replace(wrong, valid)
    (tmp_path / "all.toml").write_text(text)
    loaded = load_settings(tmp_path / "all.toml")
    changed = [s.name for s in SETTINGS if getattr(loaded, s.name) != getattr(Settings(), s.name)]
    assert changed == [s.name for s in SETTINGS]  # every key of the table reaches its field


def test_the_environment_fills_what_the_file_leaves_empty(tmp_path):
    environ = {"NEWSDESK_ADMIN_TOKEN": "from-env", "NEWSDESK_ALERT_WEBHOOK": "http://127.0.0.1:9/hook"}
    assert load_settings(None, environ).web_admin_token == "from-env"
    (tmp_path / "s.toml").write_text('[web]\nadmin_token = "from-file"\n')
    settings = load_settings(tmp_path / "s.toml", environ)
    assert settings.web_admin_token == "from-file" and settings.alerts_webhook == "http://127.0.0.1:9/hook"
    assert "from-file" not in repr(settings)  # secrets stay out of logs
    assert load_settings(None).web_admin_token == ""  # no environment given: none read


def test_a_wrong_type_names_the_file_and_the_key(tmp_path):
    (tmp_path / "s.toml").write_text('[fetch]\nretries = "two"\n')
    with pytest.raises(ConfigError, match=r"fetch.retries must be a int") as caught:
        load_settings(tmp_path / "s.toml")
    assert str(tmp_path / "s.toml") in str(caught.value)


@pytest.mark.parametrize("key", ["import.batch_size", "import.batch_chars", "site.per_page"])
def test_a_batch_or_a_page_holds_something(tmp_path, key):
    section, name = key.split(".")
    (tmp_path / "s.toml").write_text(f"[{section}]\n{name} = 0\n")
    with pytest.raises(ConfigError, match=rf"{key} must be at least 1"):
        load_settings(tmp_path / "s.toml")


def test_brief_times_are_clock_times(tmp_path):
    (tmp_path / "s.toml").write_text('[briefs]\nmorning = "8am"\n')
    with pytest.raises(ConfigError, match="briefs.morning must be a time"):
        load_settings(tmp_path / "s.toml")
