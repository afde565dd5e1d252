"""The nox sessions' command lines: what `nox -s NAME -- ARGS` runs."""

from __future__ import annotations

import configparser
import os
import shlex
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

import noxfile

ROOT = Path(__file__).resolve().parents[2]


class RecordingSession:
    """Stands in for nox's session: records the commands instead of running them."""

    def __init__(self, *posargs: str) -> None:
        self.posargs = list(posargs)
        self.commands: list[list[str]] = []
        self.environments: list[dict[str, str]] = []

    def install(self, *args: str) -> None:
        pass

    def log(self, *args: Any) -> None:
        pass

    def run(self, *args: str, **kwargs: Any) -> None:
        self.commands.append(list(args))
        self.environments.append(kwargs.get("env", {}))

    def error(self, message: str) -> None:
        raise SystemExit(message)


def pytest_args(command: list[str]) -> list[str]:
    """What goes to pytest, less the ui session's report options and the plugins the unit
    sessions turn off."""
    report = ("--html=", "--self-contained-html")
    args = [arg for arg in command[command.index("pytest") + 1 :] if not arg.startswith(report)]
    off = list(noxfile.UNIT_TEST_PLUGINS_OFF)
    return args[len(off) :] if args[: len(off)] == off else args


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(noxfile, "COVERAGE_DATA", tmp_path / ".coverage-data")
    monkeypatch.setenv("CHROME_BIN", "/usr/bin/chromium")
    monkeypatch.setenv("CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.mark.parametrize(
    ("session", "posargs", "expected"),
    [
        (noxfile.tests, [], ["tests/unit", "-n", "auto"]),
        (noxfile.tests, ["-x", "--lf"], ["tests/unit", "-n", "auto", "-x", "--lf"]),
        (noxfile.tests, ["tests/unit/test_config.py"], ["tests/unit/test_config.py"]),
        (
            noxfile.tests,
            ["tests/unit/test_models_post.py::test_database_deletes_comments_with_the_post_too"],
            ["tests/unit/test_models_post.py::test_database_deletes_comments_with_the_post_too"],
        ),
        (
            noxfile.tests,
            ["tests/unit/test_models_post.py", "-k", "comments"],
            ["tests/unit/test_models_post.py", "-k", "comments"],
        ),
        (noxfile.ui, [], ["tests/ui"]),
        (noxfile.ui, ["tests/ui/test_reading.py"], ["tests/ui/test_reading.py"]),
        (noxfile.api_fuzz, ["-x"], ["tests/fuzz", "-q", "-x"]),
        (noxfile.load, ["tests/load/test_crash.py"], ["tests/load/test_crash.py"]),
        (
            noxfile.tests_postgres,
            [],
            ["--database=postgresql", "tests/unit", "-m", "postgresql", "-n", "2"],
        ),
        (
            noxfile.tests_postgres,
            ["tests/unit/test_boundaries.py"],
            ["--database=postgresql", "tests/unit/test_boundaries.py"],
        ),
        (noxfile.load_postgres, [], ["--database=postgresql", "tests/load", "-q"]),
        (noxfile.bench, ["-k", "home"], ["tests/bench", "-q", "-k", "home"]),
        (noxfile.tdd, [], ["--testmon", "tests/unit"]),
        (noxfile.tdd, ["-x"], ["--testmon", "tests/unit", "-x"]),
        (noxfile.tdd, ["tests/unit/test_config.py"], ["--testmon", "tests/unit/test_config.py"]),
    ],
)
def test_session_arguments_that_name_a_test_path_replace_the_default_path(
    session, posargs, expected
):
    recorded = RecordingSession(*posargs)
    session(recorded)
    assert pytest_args(recorded.commands[-1]) == expected


@pytest.mark.parametrize("session", [noxfile.tests, noxfile.tests_postgres, noxfile.tdd])
def test_the_unit_sessions_start_without_the_plugins_of_the_fuzz_and_ui_runs(session):
    """Every start-up (each tdd run, each xdist worker) loaded schemathesis's plugin (1 s of
    CPU), pytest-html's, anyio's, faker's and pytest-redis's (loaded by the tests that
    start a redis-server); the unit tests use none of the others."""
    recorded = RecordingSession()
    session(recorded)
    command = recorded.commands[-1]
    plugins_off = {command[i + 1] for i, arg in enumerate(command) if arg == "-p"}
    assert {"no:schemathesis", "no:html", "no:anyio", "no:faker", "no:pytest_redis"} <= plugins_off


def test_each_mutants_unit_test_run_starts_without_those_plugins_too():
    """tests/mutation/run.py starts pytest once per mutant: the start-up is paid each time."""
    recorded = RecordingSession()
    noxfile.mutation(recorded)
    assert shlex.split(recorded.environments[-1]["PYTEST_ADDOPTS"]) == list(
        noxfile.UNIT_TEST_PLUGINS_OFF
    )


def test_api_fuzz_keeps_the_schemathesis_plugin_it_runs_on():
    recorded = RecordingSession()
    noxfile.api_fuzz(recorded)
    assert "no:schemathesis" not in recorded.commands[-1]


def test_every_session_writes_bytecode_even_where_the_environment_says_not_to():
    """Sessions' processes share compiled modules: uv installs none, and containers often
    set PYTHONDONTWRITEBYTECODE (an empty value turns it off)."""
    assert os.environ["PYTHONDONTWRITEBYTECODE"] == ""


def test_the_tests_session_runs_under_coverage():
    recorded = RecordingSession("tests/unit/test_config.py")
    noxfile.tests(recorded)
    assert recorded.commands[-1][:4] == ["coverage", "run", "-m", "pytest"]


def test_the_default_run_covers_postgresql_before_the_coverage_gate_combines_it(tmp_path):
    sessions = list(noxfile.nox.options.sessions or ())
    assert sessions.index("tests") < sessions.index("tests-postgres") < sessions.index("coverage")
    assert "load-postgres" not in sessions
    noxfile.tests_postgres(RecordingSession())
    for kind in ("unit", "ui"):
        (noxfile.COVERAGE_DATA / kind).mkdir(exist_ok=True)
    recorded = RecordingSession()
    noxfile.coverage(recorded)
    combine = next(command for command in recorded.commands if command[1:3] == ["combine", "-q"])
    assert str(noxfile.COVERAGE_DATA / "postgres") in combine


def test_the_tdd_loop_runs_only_when_named_and_keeps_its_data_out_of_git():
    assert "tdd" not in (noxfile.nox.options.sessions or ())
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert any(fnmatch(".testmondata", pattern) for pattern in ignored)


def test_serve_runs_with_the_debugger_and_reloader_under_the_dev_config(monkeypatch):
    monkeypatch.delenv("APP_CONFIG", raising=False)
    recorded = RecordingSession()
    noxfile.serve(recorded)
    assert recorded.commands[-1][:4] == ["flask", "--app", "app", "--debug"]
    assert recorded.commands[-1][4] == "run"


def test_serve_runs_without_the_debugger_under_another_config(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "prod")
    recorded = RecordingSession()
    noxfile.serve(recorded)
    assert "--debug" not in recorded.commands[-1]


def test_the_html_coverage_report_lists_every_file_and_the_terminal_only_the_missed():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert config.getboolean("coverage:report", "skip_covered") is True
    assert config.getboolean("coverage:html", "skip_covered") is False


def test_the_html_coverage_report_shows_which_tests_ran_each_line():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert config.get("coverage:run", "dynamic_context") == "test_function"
    assert config.getboolean("coverage:html", "show_contexts") is True


@pytest.mark.parametrize(
    ("posargs", "branch"), [([], "origin/main"), (["upstream/develop"], "upstream/develop")]
)
def test_diff_cover_fails_a_change_whose_lines_are_not_all_covered(posargs, branch):
    """Lines the branch changed, against origin/main unless another branch is named."""
    recorded = RecordingSession(*posargs)
    noxfile.diff_cover(recorded)
    assert recorded.commands[0][:4] == ["coverage", "xml", "-o", "coverage.xml"]
    command = recorded.commands[-1]
    assert command[:2] == ["diff-cover", "coverage.xml"]
    assert f"--compare-branch={branch}" in command
    assert "--fail-under=100" in command


def test_diff_cover_runs_only_when_named():
    assert "diff-cover" not in (noxfile.nox.options.sessions or ())


def test_the_worker_runs_celery_with_beat_against_the_broker_only_when_named(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
    recorded = RecordingSession("--concurrency=2")
    noxfile.worker(recorded)
    assert recorded.commands[-1][:4] == ["celery", "-A", "wsgi:celery_app", "worker"]
    assert "--beat" in recorded.commands[-1]
    assert recorded.commands[-1][-1] == "--concurrency=2"
    assert "worker" not in (noxfile.nox.options.sessions or ())


def test_the_worker_says_it_needs_a_broker(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    with pytest.raises(SystemExit, match="Set CELERY_BROKER_URL"):
        noxfile.worker(RecordingSession())
