"""The benchmark's SQLite databases: N posts by 10 users over 20 tags, built in seconds.

The schema comes from the app (``db.create_all()``) and a few dozen template posts, with
their tags and comments, go through the ORM models, so whatever the models derive from a
post (stored HTML, an excerpt, a count) is filled in by the app's own code. The other posts
are copies of the templates made by ``INSERT ... SELECT``: every column of the table (read
from the SQLAlchemy metadata, so columns added later are copied too) except the id, the
author and the dates. Aggregates over the copies are recomputed in :func:`finish`.

Built files are kept in ``.bench-data/``, named by size and by a hash of the schema and of
this file: a changed model or builder builds them again, anything else reuses them.

    python -m tests.bench.data 1000 100000      # build (or find) them; prints the times
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import Connection, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from app import create_app
from app.accounts.users import create_user
from app.config import CHEAP_ARGON2
from app.extensions import db
from app.models import Comment, Post, Tag, User, tags_from_titles, tags_posts

DATA_DIR = Path(__file__).resolve().parents[2] / ".bench-data"
TEMPLATE_POSTS = 40
# Publish dates: one post every SPAN / N, the newest at NEWEST (fixed, so that a file does
# not depend on the day it was built, and in the past, so that every post is published).
NEWEST = datetime(2025, 6, 1, tzinfo=UTC)
SPAN = timedelta(days=10 * 365)
# Shifts each date by up to half a step: date order is not quite id order, as in real life.
JITTER_PRIME = 7919

MAIN_AUTHOR = "author"
# (username, role): the main author writes 7 posts in 10, two other posters and the admin one
# each; six readers only read.
USERS = (
    (MAIN_AUTHOR, "poster"),
    ("poster2", "poster"),
    ("poster3", "poster"),
    ("admin", "admin"),
    *((f"reader{number}", "default") for number in range(1, 7)),
)
# Post id modulo 10 -> index in USERS of its author.
AUTHOR_BY_DIGIT = (0, 0, 0, 0, 0, 0, 0, 1, 2, 3)
TAGS = (
    "Python", "Flask", "SQLAlchemy", "Testing", "Jinja", "Deployment", "Security", "APIs",
    "Databases", "Performance", "Celery", "Caching", "Docker", "PostgreSQL", "SQLite",
    "Migrations", "Forms", "Authentication", "Tooling", "Career",
)  # fmt: skip

SENTENCES = (
    "Flask keeps the core small and lets the application choose its own pieces.",
    "An application factory builds a fresh app for every test, with its own configuration.",
    "The session is committed once per request, never in the middle of a loop.",
    "Blueprints group the views of one part of the site under a common prefix.",
    "A query that runs once per row of a list is the classic N+1 problem.",
    "The template only formats what the view gives it; it never queries the database.",
    "Every form posts a CSRF token, which the server checks before it reads anything else.",
    "Migrations are reviewed like code: the generated script is only a first draft.",
    "Indexes make reads fast and writes a little slower, so add the ones a page needs.",
    "Pagination with OFFSET reads and throws away every row before the page it shows.",
    "A cache in front of a slow page hides the problem until the cache is cold.",
    "Measure before and after, on data of the size production will have next year.",
    "Passwords are hashed with Argon2, and the parameters live in the configuration.",
    "The JSON API and the HTML pages share the models but not the views.",
    "Logging the SQL of a single request is the quickest way to see what it costs.",
    "Fixtures build exactly the data a test needs, and nothing survives the test.",
    "A background worker sends the mail, so the request returns at once.",
    "Static files are served by the proxy in front of the app, not by Flask itself.",
    "Feature flags let a half-finished change ship without being switched on.",
    "Readers rarely notice a fast page, but they always notice a slow one.",
)
TITLE_WORDS = (
    ("Testing", "Caching", "Paginating", "Profiling", "Deploying", "Securing", "Indexing"),
    ("Flask views", "SQLAlchemy queries", "the JSON API", "blog posts", "Jinja templates"),
    ("with pytest", "in production", "the hard way", "in ten minutes", "without surprises"),
)
CODE_SNIPPETS = (
    "```python\n@blog.get('/')\ndef home():\n    return render_template('home.html')\n```",
    "```python\nposts = db.paginate(select(Post).order_by(Post.publish_date.desc()))\n```",
    "```sh\nflask --app app db upgrade\n```",
)


@dataclass(frozen=True)
class BuiltDatabase:
    """A benchmark database file and how long it took to build (when it was built)."""

    posts: int
    path: Path
    build_seconds: float
    reused: bool


def publish_date(post_id: int, posts: int) -> datetime:
    """The publish date of post ``post_id`` of ``posts``: spread evenly over SPAN, jittered."""
    step = int(SPAN.total_seconds()) // posts
    offset = (posts - post_id) * step - (post_id * JITTER_PRIME) % max(step // 2, 1)
    return NEWEST - timedelta(seconds=offset)


def publish_epoch_sql(id_expression: str, posts: int) -> str:
    """:func:`publish_date` in seconds since 1970 as a SQLite expression: integer arithmetic
    only, as a date function per row costs as much as the rest of the row."""
    step = int(SPAN.total_seconds()) // posts
    return (
        f"({int(NEWEST.timestamp())} - ({posts} - {id_expression}) * {step}"
        f" + ({id_expression} * {JITTER_PRIME}) % {max(step // 2, 1)})"
    )


def stored_date_sql(epoch_expression: str) -> str:
    """Seconds since 1970 as SQLAlchemy stores a UTCDateTime on SQLite."""
    return f"datetime({epoch_expression}, 'unixepoch') || '.000000'"


def template_of_sql(id_expression: str, templates: int) -> str:
    """The id of the template post a copy with id ``id_expression`` is made from."""
    return f"(({id_expression} - 1) % {templates}) + 1"


def author_sql(id_expression: str, user_ids: Sequence[int]) -> str:
    """The author of a copy: AUTHOR_BY_DIGIT of its id's last digit, as a SQLite CASE."""
    cases = " ".join(
        f"WHEN {digit} THEN {user_ids[index]}" for digit, index in enumerate(AUTHOR_BY_DIGIT)
    )
    return f"CASE {id_expression} % 10 {cases} END"


def markdown_text(rng: random.Random) -> str:
    """A few paragraphs of Markdown: a heading, emphasis, code, a link, a list, maybe code."""

    def paragraph() -> str:
        words = rng.sample(SENTENCES, rng.randint(3, 5))
        words[0] = words[0].replace("Flask", "**Flask**").replace("query", "`query`")
        words[-1] = f"{words[-1]} See [the docs](https://flask.palletsprojects.com/)."
        return " ".join(words)

    blocks = [paragraph(), f"## {rng.choice(TITLE_WORDS[0])} step by step", paragraph()]
    blocks.append("\n".join(f"- *{item}*" for item in rng.sample(SENTENCES, rng.randint(2, 4))))
    if rng.random() < 0.5:
        blocks.append(rng.choice(CODE_SNIPPETS))
    blocks.extend(paragraph() for _ in range(rng.randint(1, 2)))
    return "\n\n".join(blocks)


def template_tags(number: int, rng: random.Random, tags: Sequence[Tag]) -> list[Tag]:
    """1 to 4 tags: the ``number``-th tag (so every tag is used), then tags with falling
    weights, so that the first tags are on many posts and the last on few."""
    chosen = {tags[number % len(tags)]}
    weights = [1 / (rank + 1) for rank in range(len(tags))]
    while len(chosen) < 1 + number % 4:
        chosen.add(rng.choices(tags, weights)[0])
    return sorted(chosen, key=lambda tag: tag.title)


def create_templates(posts: int, users: Sequence[User], tags: Sequence[Tag]) -> int:
    """The first posts, through the ORM: ids 1..templates, each with 1 to 5 comments (3 on
    average) and 1 to 4 tags. Returns how many."""
    rng = random.Random(2015)
    templates = min(TEMPLATE_POSTS, posts)
    for post_id in range(1, templates + 1):
        published = publish_date(post_id, posts)
        title = " ".join(rng.choice(words) for words in TITLE_WORDS)
        post = Post(
            id=post_id,
            title=title,
            text=markdown_text(rng),
            publish_date=published,
            user=users[AUTHOR_BY_DIGIT[post_id % 10]],
            tags=template_tags(post_id, rng, tags),
        )
        post.comments = [
            Comment(
                name=rng.choice(("Ann", "Bob", "Chen", "Dana", f"reader{number}")),
                text=" ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
                date=published + timedelta(hours=number, minutes=rng.randint(0, 59)),
            )
            for number in range(1, 2 + (post_id * 3) % 5)
        ]
        db.session.add(post)
    db.session.commit()
    return templates


def copy_rows(
    connection: Connection,
    table: Table,
    source: str,
    overrides: Mapping[str, str],
    omit: frozenset[str] = frozenset(),
) -> None:
    """``INSERT INTO table SELECT`` every column of ``table`` from the rows ``src`` of the
    ``source`` clause (``FROM ... src ...``), except ``overrides`` (column -> SQL expression)
    and ``omit`` (left to their defaults, such as an autoincrement id)."""
    quote = connection.dialect.identifier_preparer.quote
    columns = [column.name for column in table.columns if column.name not in omit]
    values = [overrides.get(name, f"src.{quote(name)}") for name in columns]
    # Every piece is a column name of the models or an expression of this module's own.
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
        f"SELECT {', '.join(values)} {source}"
    )


def multiply(connection: Connection, posts: int, templates: int, user_ids: Sequence[int]) -> None:
    """Posts templates+1..posts as copies of the templates, with their tags and comments."""
    if posts <= templates:
        return
    # posts - templates numbers, made by SQLite itself (no round trip per row).
    numbers = (
        f"WITH RECURSIVE seq(n) AS (SELECT {templates + 1} UNION ALL "  # noqa: S608
        f"SELECT n + 1 FROM seq WHERE n < {posts}) SELECT n FROM seq"
    )
    copy_rows(
        connection,
        db.metadata.tables["post"],
        f"FROM ({numbers}) AS seq "
        f"JOIN post AS src ON src.id = {template_of_sql('seq.n', templates)}",
        {
            "id": "seq.n",
            "publish_date": stored_date_sql(publish_epoch_sql("seq.n", posts)),
            "user_id": author_sql("seq.n", user_ids),
        },
    )
    template_id = template_of_sql("copy.id", templates)
    copies = f"FROM post AS copy JOIN post AS template ON template.id = {template_id}"
    copy_rows(
        connection,
        tags_posts,
        f"{copies} JOIN post_tags AS src ON src.post_id = template.id "
        f"WHERE copy.id > {templates} ORDER BY copy.id, src.tag_id",
        {"post_id": "copy.id"},
    )
    # A comment is as long after its copy's publish date as the template's after its own.
    connection.exec_driver_sql(
        "CREATE TEMP TABLE comment_delay AS SELECT comment.id AS comment_id, "
        "strftime('%s', comment.date) - strftime('%s', post.publish_date) AS seconds "
        "FROM comment JOIN post ON post.id = comment.post_id"
    )
    copy_rows(
        connection,
        db.metadata.tables["comment"],
        f"{copies} JOIN comment AS src ON src.post_id = template.id "
        "JOIN comment_delay ON comment_delay.comment_id = src.id "
        f"WHERE copy.id > {templates} ORDER BY copy.id, src.id",
        {
            "post_id": "copy.id",
            "date": stored_date_sql(
                f"{publish_epoch_sql('copy.id', posts)} + comment_delay.seconds"
            ),
        },
        omit=frozenset({"id"}),
    )
    connection.exec_driver_sql("DROP TABLE comment_delay")


def finish(connection: Connection) -> None:
    """Recompute what the models derive from many rows, now that the copies are in (the post
    counts of tags and users), then refresh the query planner's statistics. Columns of a
    post that depend on the post alone (its stored HTML) need nothing here: the copies take
    them from their template."""
    connection.exec_driver_sql(
        "UPDATE tag SET post_count = (SELECT count(*) FROM post_tags WHERE tag_id = tag.id)"
    )
    connection.exec_driver_sql(
        'UPDATE "user" SET post_count = (SELECT count(*) FROM post WHERE user_id = "user".id)'
    )
    connection.exec_driver_sql("ANALYZE")


def builder_app(database: str) -> Flask:
    """The app whose models and ORM code make the database at the SQLAlchemy URL given."""
    return create_app(
        "test",
        overrides={
            "SQLALCHEMY_DATABASE_URI": database,
            "ARGON2_PARAMS": CHEAP_ARGON2,
            "RATELIMIT_STORAGE_URI": "memory://",
        },
        environ={},
    )


def schema_hash() -> str:
    """A hash of the schema the models create on SQLite and of this builder's source."""
    # Every module with models is imported once an app has been made.
    builder_app("sqlite://")
    dialect = sqlite.dialect()
    parts = [Path(__file__).read_text(encoding="utf-8")]
    for table in db.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)))
        parts.extend(
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda index: index.name or "")
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def database_path(posts: int) -> Path:
    return DATA_DIR / f"blog-{posts}-{schema_hash()}.sqlite"


def build(path: Path, posts: int) -> None:
    """Make the database of ``posts`` posts at ``path`` (which must not exist)."""
    app = builder_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        users = [create_user(name, f"{name}-password", role) for name, role in USERS]
        tags = tags_from_titles(TAGS)
        templates = create_templates(posts, users, tags)
        user_ids = [user.id for user in users]
        db.session.remove()
        db.engine.dispose()
        with db.engine.connect() as connection:
            # One writer and a file thrown away if the build fails: no journal, no fsync.
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA journal_mode=OFF")
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-262144")
            with connection.begin():
                multiply(connection, posts, templates, user_ids)
                finish(connection)
            raw.execute("PRAGMA journal_mode=WAL")
        db.engine.dispose()


def ensure_database(posts: int) -> BuiltDatabase:
    """The database of ``posts`` posts for today's schema, built unless already there."""
    if posts < 1:
        raise ValueError("A benchmark database needs at least one post")
    path = database_path(posts)
    timing = path.with_suffix(".json")
    if path.exists() and timing.exists():
        return BuiltDatabase(posts, path, json.loads(timing.read_text())["seconds"], True)
    DATA_DIR.mkdir(exist_ok=True)
    for stale in DATA_DIR.glob(f"blog-{posts}-*"):
        stale.unlink()
    for leftover in DATA_DIR.glob(f"building-blog-{posts}-*"):
        leftover.unlink()
    partial = path.with_name(f"building-{path.name}")
    started = time.perf_counter()
    build(partial, posts)
    seconds = time.perf_counter() - started
    # Only a complete file gets the final name: an interrupted build is never reused.
    os.replace(partial, path)
    timing.write_text(json.dumps({"posts": posts, "seconds": round(seconds, 2)}))
    return BuiltDatabase(posts, path, seconds, False)


def main(arguments: Sequence[str]) -> None:
    for posts in map(int, arguments or ("1000", "100000")):
        built = ensure_database(posts)
        state = "reused, built" if built.reused else "built"
        megabytes = built.path.stat().st_size // 1_000_000
        print(f"{posts:>9,} posts: {state} in {built.build_seconds:.1f} s, {megabytes} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
