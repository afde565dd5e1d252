"""The mutation gate's PostgreSQL runs (tests/mutation/on_postgresql.py): a module's mutants
run its PostgreSQL tests after its SQLite tests, on one server for the module's whole run,
and without PostgreSQL the module is not measured, saying why in one line."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.mutation import on_postgresql
from tests.mutation.on_postgresql import PostgresMissing, command_for, database_for

ROOT = Path(__file__).resolve().parents[2]
URL = "postgresql://postgres@127.0.0.1:1/postgres"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-rN", "-p", "no:cacheprovider"]


def run_as_cosmic_ray_does(command: list[str], folder: Path) -> int:
    """cosmic-ray splits the command string it was given and runs it without a shell."""
    return subprocess.run(shlex.split(shlex.join(command)), cwd=folder, check=False).returncode


@pytest.fixture
def suites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a SQLite test that passes unless told (FAIL set) and a PostgreSQL test
    that records the database it was given, in ran.txt. Its pytest loads no plugin: each
    installed one costs a start-up up to a second."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "conftest.py").write_text(
        "def pytest_addoption(parser):\n    parser.addoption('--database', default='sqlite')\n"
    )
    (tmp_path / "test_on_sqlite.py").write_text(
        "import os\n\ndef test_sqlite():\n    assert not os.environ.get('FAIL')\n"
    )
    (tmp_path / "test_on_postgresql.py").write_text(
        "import os, pathlib\n\n"
        "def test_postgresql(request):\n"
        "    pathlib.Path('ran.txt').write_text(\n"
        "        request.config.getoption('database') + ' ' + os.environ['TEST_DATABASE_URL']\n"
        "    )\n"
    )
    return tmp_path


def test_a_mutant_runs_the_postgresql_tests_after_the_sqlite_ones_on_the_gates_server(suites):
    command = command_for(PYTEST, ["test_on_sqlite.py"], ["test_on_postgresql.py"], URL)
    assert run_as_cosmic_ray_does(command, suites) == 0
    assert (suites / "ran.txt").read_text() == f"postgresql {URL}"


def test_a_mutant_the_sqlite_tests_kill_never_starts_the_postgresql_tests(suites, monkeypatch):
    monkeypatch.setenv("FAIL", "1")
    command = command_for(PYTEST, ["test_on_sqlite.py"], ["test_on_postgresql.py"], URL)
    assert run_as_cosmic_ray_does(command, suites) != 0
    assert not (suites / "ran.txt").exists()


def test_a_module_without_postgresql_tests_runs_its_tests_alone_and_starts_no_server(
    monkeypatch,
):
    monkeypatch.setattr(on_postgresql, "PostgresServer", None)
    with database_for("app/rendering.py", []) as url:
        assert url is None
    assert command_for(PYTEST, ["tests/unit/test_rendering.py"], [], url) == [
        *PYTEST,
        "tests/unit/test_rendering.py",
    ]


def test_one_server_serves_the_whole_run_of_a_module_and_stops_after_it(monkeypatch):
    servers: list[Any] = []

    class FakeServer:
        url = URL

        def __enter__(self) -> FakeServer:
            servers.append(self)
            self.running = True
            return self

        def __exit__(self, *exc: object) -> None:
            self.running = False

    monkeypatch.setattr(on_postgresql, "missing_reason", lambda: None)
    monkeypatch.setattr(on_postgresql, "PostgresServer", FakeServer)
    with database_for("app/lookups.py", ["tests/unit/test_row_locks.py"]) as url:
        assert url == URL
        assert [server.running for server in servers] == [True]
    assert [server.running for server in servers] == [False]


def test_without_postgresql_a_module_that_needs_it_is_refused_in_one_line(monkeypatch):
    reason = "PostgreSQL's server binaries (initdb, postgres) are not installed"
    monkeypatch.setattr(on_postgresql, "missing_reason", lambda: reason)
    with (
        pytest.raises(PostgresMissing) as refused,
        database_for("app/lookups.py", ["tests/unit/test_row_locks.py"]),
    ):
        pytest.fail("measured without PostgreSQL")
    assert str(refused.value) == (
        "app/lookups.py: not measured, its mutants need PostgreSQL "
        f"(tests/unit/test_row_locks.py): {reason}"
    )


def test_postgresql_tests_cannot_be_asked_for_without_a_database():
    with pytest.raises(ValueError, match="URL"):
        command_for(PYTEST, ["test_on_sqlite.py"], ["test_on_postgresql.py"], None)


def test_the_modules_and_files_setup_cfg_names_for_postgresql_exist():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg")
    lines = list(filter(None, parser["mutation"]["postgresql"].splitlines()))
    assert lines
    for line in lines:
        module, _, files = line.partition(":")
        assert (ROOT / module.strip()).is_file(), module
        assert files.split()
        for name in files.split():
            assert (ROOT / name).is_file(), name
