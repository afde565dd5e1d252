"""The mutants only PostgreSQL tells apart: row locks (``FOR UPDATE``), a no-op on SQLite.

setup.cfg ``[mutation] postgresql`` names, per module, test files that run on PostgreSQL
after the module's tests passed on SQLite: a mutant is killed when either run fails. The
gate starts one throwaway server (tests/support/postgres_server.py, about 3 s) for a
module's whole run and gives each mutant's pytest its URL in ``TEST_DATABASE_URL``, instead
of a server per mutant. Without PostgreSQL's binaries such a module is not measured and
fails the gate, saying what to install: a gate that skipped it would pass while measuring
less than it claims (and its lock mutants would look killed by nothing or survive unseen).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.postgres_server import PostgresServer, missing_reason


class PostgresMissing(Exception):
    """A module's mutants need PostgreSQL and this machine has none; the message is one line."""


def command_for(
    pytest: list[str], tests: list[str], postgresql_tests: list[str], database_url: str | None
) -> list[str]:
    """``pytest`` on ``tests``; with ``postgresql_tests``, those next on ``database_url``,
    only when the first run passed (a shell's ``&&``: cosmic-ray runs one command)."""
    on_sqlite = [*pytest, *tests]
    if not postgresql_tests:
        return on_sqlite
    if not database_url:
        raise ValueError("PostgreSQL tests need the URL of a database")
    on_postgresql = [
        "env", f"TEST_DATABASE_URL={database_url}", *pytest, "--database=postgresql",
        *postgresql_tests,
    ]  # fmt: skip
    return ["sh", "-c", f"{shlex.join(on_sqlite)} && exec {shlex.join(on_postgresql)}"]


@contextmanager
def database_for(module: str, postgresql_tests: list[str]) -> Iterator[str | None]:
    """The URL of a throwaway server for the module's whole run, stopped afterwards; None
    when the module has no PostgreSQL tests. Raises PostgresMissing without the binaries."""
    if not postgresql_tests:
        yield None
        return
    reason = missing_reason()
    if reason:
        raise PostgresMissing(
            f"{module}: not measured, its mutants need PostgreSQL "
            f"({' '.join(postgresql_tests)}): {reason}"
        )
    with PostgresServer() as server:
        yield server.url
