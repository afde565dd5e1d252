"""The bench session's options, its one measurement (shared by every check) and its table,
printed at the end whether the checks pass or not."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from tests.bench.data import ensure_database
from tests.bench.measure import CACHES, Target, run
from tests.bench.report import BenchRun

RUNS: list[BenchRun] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bench", "nox -s bench")
    group.addoption(
        "--bench-sizes", default="1000,100000",
        help="Posts in each database, comma-separated; the smallest is the reference "
        "(default 1000,100000)",
    )  # fmt: skip
    group.addoption("--bench-warmup", type=int, default=3, help="Untimed rounds (default 3)")
    group.addoption(
        "--bench-repeat", type=int, default=30, help="Timed rounds at most (default 30)"
    )
    group.addoption(
        "--bench-seconds", type=float, default=120,
        help="Stop the timed rounds after this long, once --bench-least ran (default 120)",
    )  # fmt: skip
    group.addoption(
        "--bench-least", type=int, default=10, help="Timed rounds at least (default 10)"
    )
    group.addoption(
        "--bench-max-ratio", type=float, default=1.5,
        help="Fail when a page's uncached p50 at a larger size exceeds this many times its "
        "p50 at the smallest (default 1.5)",
    )  # fmt: skip
    group.addoption(
        "--bench-cache-speedup", type=float, default=0,
        help="Also fail when the cached home page's p50 is not this many times faster than "
        "uncached (default 0: not checked)",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated_database() -> None:
    """Not here: the root conftest's rolled-back transaction belongs to the test app."""


@pytest.fixture(autouse=True)
def _fresh_login_throttle() -> None:
    """Not here: the bench's apps keep their own (unused) throttle."""


@pytest.fixture(scope="session")
def bench(pytestconfig: pytest.Config) -> BenchRun:
    """Build (or reuse) the databases, time every page on each, once for the session."""
    option = pytestconfig.getoption
    sizes = sorted({int(size) for size in option("--bench-sizes").split(",")})
    if len(sizes) < 2:
        raise pytest.UsageError("--bench-sizes needs at least two sizes to compare")
    databases = [ensure_database(posts) for posts in sizes]
    targets = [Target.start(database, cache) for database in databases for cache in CACHES]
    # The apps and their data stay for the whole run: a collection now, and none of their
    # objects scanned again by the collector during the timed requests.
    gc.collect()
    gc.freeze()
    try:
        results = run(
            targets,
            warmup=option("--bench-warmup"),
            repeat=option("--bench-repeat"),
            seconds=option("--bench-seconds"),
            least=option("--bench-least"),
        )
    finally:
        gc.unfreeze()
        for target in targets:
            target.stop()
    measured = BenchRun(
        databases, option("--bench-max-ratio"), option("--bench-cache-speedup"), results
    )
    RUNS.append(measured)
    return measured


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The table of every page, size and cache, whether the checks passed or not."""
    for measured in RUNS:
        terminalreporter.section("bench")
        for line in measured.lines():
            terminalreporter.write_line(line)
