"""Every page costs about the same on a large blog as on a small one: its uncached p50 at
100k posts is at most 1.5x its p50 at 1k, with the same SQL statements. The numbers are
in the table at the end of the run (tests/bench/conftest.py)."""

from __future__ import annotations

import pytest

from tests.bench.measure import PAGES
from tests.bench.report import BenchRun


@pytest.mark.parametrize("page", PAGES)
def test_page_is_as_fast_on_the_largest_database(bench: BenchRun, page: str) -> None:
    problem = bench.too_slow(page)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_the_same_sql_statements_at_every_size(bench: BenchRun, page: str) -> None:
    problem = bench.other_statements(page)
    if problem:
        pytest.fail(problem, pytrace=False)


def test_cache_makes_the_home_page_faster(bench: BenchRun) -> None:
    """Only with --bench-cache-speedup (the target: 10)."""
    if not bench.min_cache_speedup:
        pytest.skip("the cache's speedup is checked only with --bench-cache-speedup")
    problem = bench.slow_cache("home")
    if problem:
        pytest.fail(problem, pytrace=False)
