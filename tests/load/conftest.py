"""Fixtures of the load session: a gunicorn server per shape on a fresh database, the
accounts' API tokens, and the table of figures printed at the end, pass or fail."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.load.clients import CLIENTS, FIGURES, api_token, in_parallel
from tests.load.server import (
    SHAPES,
    Account,
    GunicornServer,
    Shape,
    StoredRows,
    database_kind,
    free_port,
    fresh_database,
    gunicorn_missing,
    make_accounts,
    prepare_database,
    server_environment,
)


@pytest.fixture(autouse=True)
def _isolated_database() -> None:
    """Not here: the root conftest's rolled-back transaction belongs to the in-process app
    (and, on PostgreSQL, would create tables in the admin database)."""


@pytest.fixture(autouse=True)
def _fresh_login_throttle() -> None:
    """Not here: the servers under test keep their own throttle."""


class Tokens:
    """API tokens of one server, one per account and client, each got by logging in once."""

    def __init__(self, server: GunicornServer, accounts: dict[str, Account]) -> None:
        self.server = server
        self.accounts = accounts
        self.tokens: dict[tuple[str, int], str] = {}

    def fetch(self, wanted: list[tuple[str, int]]) -> None:
        def log_in(key: tuple[str, int]) -> Callable[[], str]:
            account = self.accounts[key[0]]
            return lambda: api_token(self.server.base_url, account.username, account.password)

        missing = [key for key in dict.fromkeys(wanted) if key not in self.tokens]
        self.tokens.update(zip(missing, in_parallel([log_in(key) for key in missing]), strict=True))

    def __call__(self, account: str, client: int) -> str:
        return self.tokens[account, client]


# Who writes in which scenario: the author of the posts under test for the PUTs, the
# readers for comments, and every kind of writer for new posts.
POST_WRITERS = ("poster", "poster2", "admin")
TOKENS_NEEDED = [
    *((name, client) for name in ("poster", "reader") for client in range(CLIENTS)),
    *((POST_WRITERS[client % 3], client) for client in range(CLIENTS)),
]


class LoadServer:
    """A running server with what the scenarios need to know about it."""

    def __init__(
        self, server: GunicornServer, accounts: dict[str, Account], stored: StoredRows
    ) -> None:
        self.server = server
        self.base_url = server.base_url
        self.shape = server.shape
        self.posts = server.posts
        self.accounts = accounts
        self.stored = stored
        self.database = database_kind(server.env["DATABASE_URL"])
        self.tokens = Tokens(server, accounts)


def require_gunicorn() -> None:
    reason = gunicorn_missing()
    if reason:
        pytest.fail(reason, pytrace=False)


def launch(shape: Shape, database_url: str, log_path: Path) -> tuple[GunicornServer, Any]:
    """Schema, accounts and posts on ``database_url``, then gunicorn on a free port."""
    accounts = make_accounts()
    env = server_environment(database_url, shape, free_port(), log_path.parent)
    server = GunicornServer(shape, env, log_path)
    try:
        server.posts = prepare_database(env, accounts)
        server.start()
    except RuntimeError as error:
        pytest.fail(f"The load server could not start ({shape.name}): {error}", pytrace=False)
    return server, accounts


@pytest.fixture(scope="session", params=SHAPES, ids=[shape.id for shape in SHAPES])
def load_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    test_database_url: str | None,
) -> Iterator[LoadServer]:
    """gunicorn in one shape on a database of its own, shared by the scenarios. Every token
    is fetched up front, before any scenario runs: the failed-login scenario then throttles
    the loopback address without locking out the others."""
    require_gunicorn()
    shape: Shape = request.param
    folder = tmp_path_factory.mktemp(f"load-{shape.id}")
    with fresh_database(folder, test_database_url) as url:
        server, accounts = launch(shape, url, folder / "gunicorn.log")
        stored = StoredRows(url)
        try:
            running = LoadServer(server, accounts, stored)
            running.tokens.fetch(TOKENS_NEEDED)
            yield running
        finally:
            server.stop()
            stored.close()


class CrashRig:
    """A server that a test kills and starts again on the same database and address."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.stored = StoredRows(url)
        self.server: GunicornServer | None = None
        self.accounts: dict[str, Account] = {}

    def launch(self, shape: Shape) -> GunicornServer:
        self.server, self.accounts = launch(shape, self.url, self.folder / "gunicorn.log")
        return self.server

    def restart(self) -> None:
        """The same server (same database, address and secret key) after it died."""
        assert self.server is not None
        try:
            self.server.start()
        except RuntimeError as error:
            pytest.fail(f"The load server did not come back: {error}", pytrace=False)


@pytest.fixture
def crash_rig(tmp_path: Path, test_database_url: str | None) -> Iterator[CrashRig]:
    """A database and log folder of the test's own, for a server it will kill."""
    require_gunicorn()
    with fresh_database(tmp_path, test_database_url) as url:
        rig = CrashRig(url, tmp_path)
        try:
            yield rig
        finally:
            if rig.server is not None:
                rig.server.stop()
            rig.stored.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test shows the end of its server's log."""
    report = yield
    if report.failed:
        for value in getattr(item, "funcargs", {}).values():
            server = getattr(value, "server", value)
            if isinstance(server, GunicornServer):
                report.sections.append(("gunicorn log (end)", server.log_tail()))
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures of every scenario that ran, whether it passed or not."""
    if not FIGURES:
        return
    terminalreporter.section("load figures")
    terminalreporter.write_line(
        f"{'scenario':<34} {'server':<21} {'database':<10} {'answers':<32} "
        f"{'stored':<28} {'wall':>8}"
    )
    for figures in FIGURES:
        terminalreporter.write_line(figures.line())
