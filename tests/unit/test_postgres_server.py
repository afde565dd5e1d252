"""The throwaway PostgreSQL server of ``--database postgresql`` (tests/support/postgres_server.py):
Debian's binaries found off PATH, an unprivileged owner under root, 127.0.0.1 only, and
nothing left behind once it stops."""

from __future__ import annotations

import os
import pwd
import socket
from pathlib import Path

import pytest

from tests.support import postgres_server
from tests.support.postgres_server import (
    PostgresServer,
    binaries_folder,
    missing_reason,
    server_account,
)

pytest_plugins = ("pytester",)

pytestmark = pytest.mark.postgresql


def make_binaries(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    return folder


def test_the_newest_major_version_under_usr_lib_postgresql_is_chosen(tmp_path):
    for major in ("9.6", "15", "16"):
        make_binaries(tmp_path / major / "bin", "initdb", "postgres")
    make_binaries(tmp_path / "17" / "bin", "psql")  # a client alone runs no server
    assert binaries_folder(str(tmp_path / "*" / "bin"), search_path="") == tmp_path / "16" / "bin"


def test_the_binaries_are_found_on_path_too(tmp_path):
    found = make_binaries(tmp_path / "bin", "initdb", "postgres")
    assert binaries_folder(str(tmp_path / "none" / "*"), search_path=str(found)) == found


def test_missing_binaries_are_a_reason_that_says_what_to_install(tmp_path):
    reason = missing_reason(str(tmp_path / "*" / "bin"), search_path=str(tmp_path))
    assert reason is not None
    assert "initdb" in reason
    assert "apt-get install postgresql" in reason


def test_under_root_the_server_runs_as_an_unprivileged_account(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    account = server_account()
    assert account is not None
    assert account.pw_uid != 0
    assert account.pw_name in ("postgres", "nobody")


def test_another_user_runs_the_server_as_themselves(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert server_account() is None


def test_a_throwaway_server_serves_127_0_0_1_not_as_root_and_leaves_nothing_behind():
    """One server for every check: starting one costs a second or two."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    import psycopg

    with PostgresServer() as server:
        assert server.url.startswith("postgresql://postgres@127.0.0.1:")
        with psycopg.connect(server.url, connect_timeout=5) as connection:
            settings = [
                connection.execute(f"SHOW {name}").fetchall()[0][0]
                for name in ("is_superuser", "listen_addresses", "server_encoding")
            ]
            pid = connection.execute("SELECT pg_backend_pid()").fetchall()[0][0]
            owner = pwd.getpwuid(Path(f"/proc/{pid}").stat().st_uid).pw_name
    assert settings == ["on", "127.0.0.1", "UTF8"]
    assert owner != "root"
    assert not server.folder.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0


INNER_TEST = """
def test_on_the_database(test_database_url):
    assert test_database_url
"""


@pytest.mark.parametrize(
    ("option", "outcome"), [("--database=postgresql", "skipped"), ("--database=sqlite", "failed")]
)
def test_without_the_binaries_a_test_on_postgresql_skips_saying_what_to_install(
    pytester, monkeypatch, option, outcome
):
    """And on SQLite ``test_database_url`` is None: the inner test fails there."""
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setattr(postgres_server, "missing_reason", lambda: "no PostgreSQL: apt-get it")
    pytester.makeconftest("pytest_plugins = ('tests.support.postgres_server',)")
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_inprocess(
        option, "--disable-plugin-autoload", "-p", "no:cacheprovider", "-rs"
    )
    result.assert_outcomes(**{outcome: 1})
    if outcome == "skipped":
        result.stdout.fnmatch_lines(["SKIPPED * no PostgreSQL: apt-get it"])
