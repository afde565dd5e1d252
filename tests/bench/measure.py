"""Timing the pages in-process: one app per database size and cache, requests interleaved.

Every app serves the same six pages; a round sends each page once to every app, in turn,
so that whatever else the machine is doing slows all of them alike. The first rounds warm
up (connections, templates, the cache) and are not counted.
"""

from __future__ import annotations

import itertools
import secrets
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, func, select

from app import create_app
from app.config import CHEAP_ARGON2
from app.extensions import db
from app.models import Comment, Post, Tag, User, tags_posts
from tests.bench.data import BuiltDatabase

PAGES = ("home", "last page", "tag", "user", "post", "API list")
# Flask-Caching's names: the same app without and with a cache in memory.
CACHES = {"uncached": "NullCache", "cached": "SimpleCache"}
# BEGIN (which the app's engine events send as SQL) is bookkeeping, not the page's work.
BOOKKEEPING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class BenchError(RuntimeError):
    """A page could not be measured (it did not answer 200)."""


def bench_app(database: Path, cache_type: str) -> Flask:
    """The app as production runs it (ProdConfig: CSRF on, no debug, not TESTING) on
    ``database``, with cheap password hashing, counts in memory and ``cache_type``."""
    return create_app(
        "prod",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "ARGON2_PARAMS": CHEAP_ARGON2,
            "RATELIMIT_STORAGE_URI": "memory://",
            "CACHE_TYPE": cache_type,
        },
        # Only these: a DATABASE_URL or cache setting of the caller's shell must not leak in.
        environ={"SECRET_KEY": secrets.token_urlsafe(48)},
    )


class StatementCounter:
    """Counts the SQL statements an engine runs, bookkeeping aside."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.record)

    def record(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(BOOKKEEPING):
            self.count += 1


def page_urls(app: Flask) -> dict[str, str]:
    """The URL of each page in PAGES on ``app``'s database: the home page, its last page,
    the most used tag, the author with the most posts, the newest post among those with
    the most comments, and the API's first page of posts."""
    with app.app_context():
        posts = db.session.scalar(select(func.count()).select_from(Post)) or 0
        per_page = app.config["POSTS_PER_PAGE"]
        uses = func.count(tags_posts.c.post_id)
        tag = db.session.scalar(
            select(Tag.title).join(tags_posts).group_by(Tag.id).order_by(uses.desc()).limit(1)
        )
        author = db.session.scalar(
            select(User.username).join(Post).group_by(User.id).order_by(func.count().desc())
        )
        comments = func.count(Comment.id)
        commented = db.session.scalar(
            select(Comment.post_id)
            .group_by(Comment.post_id)
            .order_by(comments.desc(), Comment.post_id.desc())
            .limit(1)
        )
        db.session.remove()
    if tag is None or author is None or commented is None:
        raise BenchError("The benchmark database needs posts with tags and comments")
    return {
        "home": "/blog/",
        "last page": f"/blog/{max(1, -(-posts // per_page))}",
        "tag": f"/blog/tag/{quote(tag)}",
        "user": f"/blog/user/{quote(author)}",
        "post": f"/blog/post/{commented}",
        "API list": "/api/post",
    }


@dataclass
class Target:
    """One app (a database size and a cache setting) and its anonymous visitor."""

    database: BuiltDatabase
    cache: str
    app: Flask
    client: FlaskClient
    counter: StatementCounter
    urls: dict[str, str]
    samples: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    @classmethod
    def start(cls, database: BuiltDatabase, cache: str) -> Target:
        app = bench_app(database.path, CACHES[cache])
        with app.app_context():
            counter = StatementCounter(db.engine)
        # No cookies: every request is a first visit, as most anonymous readers' are.
        client = app.test_client(use_cookies=False)
        return cls(database, cache, app, client, counter, page_urls(app))

    def get(self, page: str) -> tuple[float, int]:
        """Request ``page`` once: (milliseconds, SQL statements)."""
        url = self.urls[page]
        self.counter.count = 0
        started = time.perf_counter()
        response = self.client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise BenchError(
                f"{url} answered {response.status_code} at {self.database.posts:,} posts "
                f"({self.cache}); the benchmark times pages that work"
            )
        return elapsed, self.counter.count

    def stop(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@dataclass(frozen=True)
class Result:
    """One page of one target: percentiles of the timed requests and their SQL statements."""

    page: str
    posts: int
    cache: str
    url: str
    p50: float
    p90: float
    statements: int
    timed: int


def run(
    targets: Sequence[Target], warmup: int, repeat: int, seconds: float, least: int
) -> list[Result]:
    """``warmup`` rounds over every page and target, then timed rounds: ``repeat`` of them,
    or as many as fit in ``seconds`` but at least ``least``. The order of the targets flips
    each round so that none always goes first."""
    deadline = None
    for number in itertools.count():
        timed = number - warmup
        if timed == 0:
            deadline = time.monotonic() + seconds
        if timed >= repeat or (
            deadline is not None and timed >= least and time.monotonic() > deadline
        ):
            break
        order = targets if number % 2 == 0 else list(reversed(targets))
        for page in PAGES:
            for target in order:
                sample = target.get(page)
                if timed >= 0:
                    target.samples.setdefault(page, []).append(sample)
    return [summarise(target, page) for target in targets for page in PAGES]


def summarise(target: Target, page: str) -> Result:
    samples = target.samples[page]
    times = [milliseconds for milliseconds, _ in samples]
    deciles = statistics.quantiles(times, n=10, method="inclusive") if len(times) > 1 else times * 9
    return Result(
        page=page,
        posts=target.database.posts,
        cache=target.cache,
        url=target.urls[page],
        p50=statistics.median(times),
        p90=deciles[8],
        # The usual count: a cache that expires during the run adds a request that queries.
        statements=round(statistics.median(count for _, count in samples)),
        timed=len(samples),
    )
