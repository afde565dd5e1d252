"""A bad APP_CONFIG, SECRET_KEY or DATABASE_URL stops every way of starting the blog with one
line naming the variable, not a traceback: the flask command, gunicorn and run_test_server.py.

gunicorn runs as a real process (its master halts when a worker cannot load the app); the
flask command and run_test_server.py run in this process, through the very code their
programs run (Flask's click group loading ``--app app``, run_test_server's ``main``): a new
interpreter for each case cost 1.5 s. ``test_cli.py`` runs the real ``flask`` command once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import cli as flask_command

ROOT = Path(__file__).resolve().parents[2]

BAD_ENVIRONMENTS = {
    "unknown config": ({"APP_CONFIG": "staging"}, "APP_CONFIG: unknown config 'staging'"),
    "prod without a secret key": ({"APP_CONFIG": "prod"}, "needs a strong SECRET_KEY"),
    "unparsable database url": ({"DATABASE_URL": "not a url"}, "DATABASE_URL: 'not a url'"),
    "unknown database driver": ({"DATABASE_URL": "mysq://u@db/blog"}, "DATABASE_URL: 'mysq'"),
}


OWN_VARIABLES = ("APP_CONFIG", "SECRET_KEY", "DATABASE_URL", "FLASK_", "BLOG_")


def environment_with(bad: dict[str, str]) -> dict[str, str | None]:
    """This environment less the blog's own variables, plus ``bad``: as changes (None
    removes a variable)."""
    return {**{key: None for key in os.environ if key.startswith(OWN_VARIABLES)}, **bad}


def run(command: list[str], bad: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``command`` in the repository, in this environment less the blog's own variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_VARIABLES)}
    return subprocess.run(
        command, cwd=ROOT, env={**env, **bad}, capture_output=True, text=True, timeout=120
    )


def assert_one_line_naming(result: subprocess.CompletedProcess[str], message: str) -> None:
    """gunicorn logs its own lines around it; one line names the variable, no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert len([line for line in output.splitlines() if message in line]) == 1, output


@pytest.mark.parametrize(("bad", "message"), BAD_ENVIRONMENTS.values(), ids=BAD_ENVIRONMENTS)
def test_the_flask_command_prints_one_line_naming_the_variable(bad, message, monkeypatch):
    """``flask --app app init-db``: the `flask` program is this click group's main()."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", list(sys.path))  # --app puts the app's folder first
    result = CliRunner().invoke(
        flask_command, ["--app", "app", "init-db"], env=environment_with(bad), prog_name="flask"
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: "), result.output
    assert result.output.count("\n") == 1, result.output
    assert message in result.output


@pytest.mark.slow
def test_gunicorn_stops_with_one_line_naming_the_variable():
    pytest.importorskip("gunicorn")
    bad, message = BAD_ENVIRONMENTS["unknown database driver"]
    result = run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        {**bad, "GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_WORKERS": "1"},
    )
    assert_one_line_naming(result, message)


def test_run_test_server_prints_one_line_naming_the_variable(monkeypatch, capsys):
    """Its exit status is main()'s (``sys.exit(main())``)."""
    from run_test_server import main

    bad, message = BAD_ENVIRONMENTS["unparsable database url"]
    for name, value in environment_with(bad).items():
        if value is None:
            monkeypatch.delenv(name)
        else:
            monkeypatch.setenv(name, value)
    assert main(["--port", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"run_test_server.py: {message}"), err
    assert err.count("\n") == 1, err
