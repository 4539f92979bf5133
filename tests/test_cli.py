"""The command line as users and scripts call it: options, JSON output, exit codes."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import newsdesk, record, write_data


def test_import_json_counts_and_exit_codes(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    good = write_data(tmp_path / "good.json", [record(1), record(2)])
    result = newsdesk("import", str(good), "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"new": 2, "updated": 0, "duplicate": 0, "rejected": 0, "reasons": {}}
    bad = write_data(tmp_path / "bad.json", [record(3), {"title": "no link"}])
    result = newsdesk("import", str(bad), "--json", db=db)
    assert result.returncode == 1  # done, with a reported failure
    assert json.loads(result.stdout) == {
        "new": 1,
        "updated": 0,
        "duplicate": 0,
        "rejected": 1,
        "reasons": {"no link": 1},
    }
    assert f"{bad} record 1: no link" in result.stderr


def test_db_comes_from_the_environment(tmp_path):
    db = f"sqlite:///{tmp_path / 'env.db'}"
    path = write_data(tmp_path / "a.json", [record(1)])
    newsdesk("import", str(path), env={"NEWSDESK_DB": db}, check=True)
    assert (tmp_path / "env.db").exists()


def test_default_db_is_newsdesk_db_in_the_working_folder(tmp_path):
    path = write_data(tmp_path / "a.json", [record(1)])
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_DB"}
    subprocess.run(
        [sys.executable, "-m", "newsdesk", "import", str(path)], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    assert (tmp_path / "newsdesk.db").exists()


def test_usage_errors_exit_2(tmp_path):
    assert newsdesk("import").returncode == 2
    assert newsdesk("no-such-command").returncode == 2
    assert (
        newsdesk("export", "hugo", str(tmp_path), "--tags", "bogus", db=f"sqlite:///{tmp_path / 'x.db'}").returncode
        == 2
    )


def test_settings_errors_name_the_file_and_key(tmp_path):
    config = tmp_path / "newsdesk.toml"
    config.write_text('[site]\ntimezone = "Mars/Olympus"\n')
    result = newsdesk("--config", str(config), "import", str(tmp_path))
    assert result.returncode == 2 and "newsdesk.toml" in result.stderr and "Mars/Olympus" in result.stderr
    config.write_text("[site]\ncolour = 1\n")
    assert "unknown setting site.colour" in newsdesk("--config", str(config), "import", str(tmp_path)).stderr


def test_settings_change_the_export(tmp_path):
    config = tmp_path / "newsdesk.toml"
    config.write_text(
        '[site]\ntitle = "我的新闻"\ntimezone = "UTC"\n[output]\nhugo = "' + str(tmp_path / "out") + '"\n'
    )
    db = f"sqlite:///{tmp_path / 'c.db'}"
    newsdesk("import", str(write_data(tmp_path / "a.json", [record(1)])), db=db, check=True)
    newsdesk("--config", str(config), "export", "hugo", db=db, check=True)
    assert 'title = "我的新闻"' in (tmp_path / "out" / "config.toml").read_text()
    (page,) = (tmp_path / "out" / "content" / "posts").iterdir()
    assert 'date: "2025-02-07 08:37:50"' in page.read_text()


def test_export_jsonl_to_stdout(tmp_path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    newsdesk("import", str(write_data(tmp_path / "a.json", [record(1), record(2)])), db=db, check=True)
    lines = newsdesk("export", "jsonl", "-", db=db, check=True).stdout.splitlines()
    assert sorted(json.loads(line)["title"] for line in lines) == [record(1)["title"], record(2)["title"]]


def test_unreachable_database_is_a_clear_error(tmp_path):
    result = newsdesk("import", str(tmp_path), db="postgresql://127.0.0.1:1/nothing")
    assert result.returncode == 1 and "store: cannot open" in result.stderr


@pytest.mark.slow
def test_four_processes_starting_on_a_fresh_database_all_succeed(db_url):
    """Schema creation takes turns (file lock / advisory lock): no 'table already exists'."""
    command = [sys.executable, "-m", "newsdesk", "--db", db_url, "search", "gold", "--json"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(p.wait(120), p.stderr.read()) for p in processes]
    assert all(code == 0 for code, _ in outcomes), outcomes


@pytest.mark.slow
def test_settings_and_usage_errors_exit_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    bad_url = newsdesk("search", "gold", db="foo://bar")
    assert bad_url.returncode == 2 and "bad database URL" in bad_url.stderr and "Traceback" not in bad_url.stderr
    for option in (
        ["--since", "0001-01-01"],
        ["--until", "9999-12-31T23:59:59-05:00"],
        ["--lang", "klingon"],
        ["--limit", "x"],
        ["--no-such-option"],
    ):
        result = newsdesk("search", "gold", *option, db=db)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, (option, result.stderr)
    for args in (["no-such-command"], ["search"], ["export", "nowhere"]):
        result = newsdesk(*args, db=db)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)


def test_search_prints_each_hit_once_with_source_date_and_link(tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    flash = record(
        1,
        title="快讯：黄金价格创历史新高，现货黄金突破2900美元",
        description="<p>快讯：黄金价格创历史新高，现货黄金突破2900美元</p>",
    )
    path = write_data(
        tmp_path / "a.json",
        [flash, record(2, title="Gold hits a record", description="<p>Gold rose to a record high.</p>")],
    )
    newsdesk("import", str(path), db=db, check=True)
    out = newsdesk("search", "黄金", db=db, env={"COLUMNS": "80"}).stdout
    assert out.count("现货黄金突破2900美元") == 1  # the flash's text is its title: shown once
    assert "example_source · 2025-02-07 16:37 +0800 · https://news.example.com/articles/1" in out
