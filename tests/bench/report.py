"""The benchmark's verdicts and its one table."""

from __future__ import annotations

from dataclasses import dataclass

from tests.bench.data import BuiltDatabase
from tests.bench.measure import CACHES, PAGES, Result


@dataclass
class BenchRun:
    """The databases used, every page's result, and the limits they are judged by."""

    databases: list[BuiltDatabase]
    max_ratio: float
    min_cache_speedup: float
    results: list[Result]

    @property
    def sizes(self) -> list[int]:
        return sorted(database.posts for database in self.databases)

    def result(self, page: str, posts: int, cache: str) -> Result:
        return next(r for r in self.results if (r.page, r.posts, r.cache) == (page, posts, cache))

    def ratio(self, page: str, posts: int, cache: str) -> float:
        """The page's p50 at ``posts`` over its p50 at the smallest size."""
        return self.result(page, posts, cache).p50 / self.result(page, self.sizes[0], cache).p50

    def speedup(self, page: str, posts: int) -> float:
        """How many times faster the page is with the cache than without (p50s)."""
        return self.result(page, posts, "uncached").p50 / self.result(page, posts, "cached").p50

    def too_slow(self, page: str) -> str | None:
        """Why the page fails the size rule (uncached p50 at a larger size above
        ``max_ratio`` times the smallest size's), or None."""
        smallest = self.sizes[0]
        for posts in self.sizes[1:]:
            ratio = self.ratio(page, posts, "uncached")
            if ratio > self.max_ratio:
                return (
                    f"{page}: p50 uncached at {posts:,} posts is {ratio:.1f}x its p50 at "
                    f"{smallest:,} (limit {self.max_ratio:g}x)"
                )
        return None

    def other_statements(self, page: str) -> str | None:
        """Why the page fails the statement rule (a count that depends on the size), or None."""
        for cache in CACHES:
            counts = {posts: self.result(page, posts, cache).statements for posts in self.sizes}
            if len(set(counts.values())) > 1:
                by_size = ", ".join(f"{count} at {posts:,}" for posts, count in counts.items())
                return f"{page}: {cache}, SQL statements per request differ: {by_size}"
        return None

    def slow_cache(self, page: str) -> str | None:
        """Why the cache does not make the page ``min_cache_speedup`` times faster, or None."""
        for posts in self.sizes:
            speedup = self.speedup(page, posts)
            if speedup < self.min_cache_speedup:
                return (
                    f"{page}: cached p50 at {posts:,} posts is {speedup:.1f}x faster than "
                    f"uncached (at least {self.min_cache_speedup:g}x wanted)"
                )
        return None

    def failures(self) -> list[str]:
        checks = [self.too_slow, self.other_statements]
        if self.min_cache_speedup:
            checks.append(lambda page: self.slow_cache(page) if page == "home" else None)
        return [problem for page in PAGES for check in checks if (problem := check(page))]

    def lines(self) -> list[str]:
        """The table: a row per page, size and cache; then the build times and verdicts."""
        smallest = self.sizes[0]
        ratio_head = f"vs {smallest:,}"
        lines = [
            f"{'page':<10} {'posts':>8} {'cache':<9} {'p50 ms':>8} {'p90 ms':>8} "
            f"{'SQL':>4} {ratio_head:>9} {'cache gain':>10}  url",
        ]
        for page in PAGES:
            for cache in CACHES:
                for posts in self.sizes:
                    result = self.result(page, posts, cache)
                    ratio = ""
                    if posts != smallest:
                        value = self.ratio(page, posts, cache)
                        # "!" marks the ratios the size rule fails on.
                        over = cache == "uncached" and value > self.max_ratio
                        ratio = f"{'!' if over else ''}{value:.2f}x"
                    gain = f"{self.speedup(page, posts):.1f}x" if cache == "cached" else ""
                    lines.append(
                        f"{page:<10} {posts:>8,} {cache:<9} {result.p50:>8.1f} "
                        f"{result.p90:>8.1f} {result.statements:>4} {ratio:>9} {gain:>10}  "
                        f"{result.url}"
                    )
        timed = min(result.timed for result in self.results)
        lines.append(
            f"{timed} timed requests per row, interleaved; "
            + "; ".join(describe(database) for database in self.databases)
        )
        failures = self.failures()
        lines.extend(f"FAIL {failure}" for failure in failures)
        if not failures:
            lines.append(
                f"PASS every page's uncached p50 within {self.max_ratio:g}x of {smallest:,} "
                "posts, with the same SQL statements at every size"
            )
        return lines


def describe(database: BuiltDatabase) -> str:
    state = "reused (built in" if database.reused else "built in"
    closing = ")" if database.reused else ""
    return f"{database.posts:,} posts {state} {database.build_seconds:.1f} s{closing}"
