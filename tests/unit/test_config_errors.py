"""A bad APP_CONFIG, SECRET_KEY or DATABASE_URL stops every way of starting the blog with one
line naming the variable, not a traceback: the flask command, gunicorn and run_test_server.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BAD_ENVIRONMENTS = {
    "unknown config": ({"APP_CONFIG": "staging"}, "APP_CONFIG: unknown config 'staging'"),
    "prod without a secret key": ({"APP_CONFIG": "prod"}, "needs a strong SECRET_KEY"),
    "unparsable database url": ({"DATABASE_URL": "not a url"}, "DATABASE_URL: 'not a url'"),
    "unknown database driver": ({"DATABASE_URL": "mysq://u@db/blog"}, "DATABASE_URL: 'mysq'"),
}


def run(command: list[str], bad: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``command`` in the repository, in this environment less the blog's own variables."""
    own = ("APP_CONFIG", "SECRET_KEY", "DATABASE_URL", "FLASK_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(own)}
    env = {key: value for key, value in env.items() if not key.startswith("BLOG_")}
    return subprocess.run(
        command, cwd=ROOT, env={**env, **bad}, capture_output=True, text=True, timeout=120
    )


def assert_one_line_naming(result: subprocess.CompletedProcess[str], message: str) -> None:
    """gunicorn logs its own lines around it; one line names the variable, no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert len([line for line in output.splitlines() if message in line]) == 1, output


@pytest.mark.slow
@pytest.mark.parametrize(("bad", "message"), BAD_ENVIRONMENTS.values(), ids=BAD_ENVIRONMENTS)
def test_the_flask_command_prints_one_line_naming_the_variable(bad, message):
    result = run([sys.executable, "-m", "flask", "--app", "app", "init-db"], bad)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


@pytest.mark.slow
def test_gunicorn_stops_with_one_line_naming_the_variable():
    pytest.importorskip("gunicorn")
    bad, message = BAD_ENVIRONMENTS["unknown database driver"]
    result = run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        {**bad, "GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_WORKERS": "1"},
    )
    assert_one_line_naming(result, message)


@pytest.mark.slow
def test_run_test_server_prints_one_line_naming_the_variable():
    bad, message = BAD_ENVIRONMENTS["unparsable database url"]
    result = run([sys.executable, "run_test_server.py", "--port", "0"], bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"run_test_server.py: {message}"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
