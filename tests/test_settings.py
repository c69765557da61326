"""Settings come from the environment, and every variable is documented in .env.example."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _read_by_settings() -> set[str]:
    source = (ROOT / "motcua" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z0-9_]+)"', source))


def _documented() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {}
    for previous, line in zip(["", *lines], lines, strict=False):
        if re.match(r"^[A-Z0-9_]+=", line):
            documented[line.split("=", 1)[0]] = previous
    return documented


def test_every_variable_the_settings_read_is_in_env_example_with_a_comment() -> None:
    documented = _documented()
    assert _read_by_settings() - set(documented) == set()
    for name, comment in documented.items():
        assert comment.startswith("# "), f"{name} has no comment line above it"


def test_env_example_lists_nothing_the_settings_do_not_read() -> None:
    assert set(_documented()) - _read_by_settings() == set()


def _run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env={"DJANGO_SETTINGS_MODULE": "motcua.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _run_settings({"MOTCUA_DATA_DIR": str(tmp_path)}, "")
    assert result.returncode != 0
    assert "MOTCUA_SECRET_KEY" in result.stderr


def test_demo_mode_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    env = {"MOTCUA_DEMO": "1", "MOTCUA_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run_settings(env, code)
    second = _run_settings(env, code)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_default_database_is_sqlite_tuned_for_concurrent_writers(tmp_path: Path) -> None:
    env = {"MOTCUA_DEMO": "1", "MOTCUA_DATA_DIR": str(tmp_path)}
    code = (
        "from django.db import connection as c; c.ensure_connection(); cur = c.cursor();"
        "print(cur.execute('PRAGMA journal_mode').fetchone()[0],"
        " cur.execute('PRAGMA synchronous').fetchone()[0], c.settings_dict['NAME'],"
        " c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = _run_settings(env, code)
    assert result.returncode == 0, result.stderr
    journal, synchronous, name, mode = result.stdout.split()
    assert (journal, synchronous, mode) == ("wal", "1", "IMMEDIATE")  # 1 = NORMAL
    assert name == str(tmp_path / "motcua.sqlite3")


def test_a_bad_boolean_is_refused_with_the_variables_name(tmp_path: Path) -> None:
    result = _run_settings({"MOTCUA_DEMO": "perhaps", "MOTCUA_DATA_DIR": str(tmp_path)}, "")
    assert result.returncode != 0
    assert "MOTCUA_DEMO must be a boolean" in result.stderr
