"""Each blog page costs the same few SQL statements however many posts, comments and tags
there are: no query per post, per author, per tag or per comment (no N+1).

These count a page rendered in full: the page cache is empty at the start of each test and
of each ``isolated_example`` (conftest). Warm, anonymous pages run fewer statements still
(tests/unit/test_page_cache.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import event

from app.extensions import cache, db
from app.models import Post, User
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.support.database import statements_run
from tests.support.html import parse, text_of
from tests.support.sessions import log_in_session

# The OFFSET parameter, as SQLite (``?``, by position) or psycopg (``%(name)s::INTEGER``)
# marks it.
LIMIT_OFFSET = re.compile(r"LIMIT \S+ OFFSET (?:\?|%\((\w+)\)s(?:::INTEGER)?)$")

# The book's home page used 8; none of ours may need more.
MOST_STATEMENTS = 8


def build_blog(posts: int) -> tuple[int, User]:
    """``posts`` posts with a shared tag and a tag of their own, alternately by "writer" and
    by an author of their own, each commented; the first post gets ``posts`` comments.
    Returns that first post's id and the writer. Saved in one commit (factories commit
    each object: 50 posts took 300 commits)."""
    writer = PosterFactory(username="writer")
    common = TagFactory(title="common")
    built: list[object] = []
    # The roles' look-ups would otherwise flush posts not yet added.
    with db.session.no_autoflush:
        for number in range(posts):
            post = PostFactory.build(
                user=writer if number % 2 == 0 else PosterFactory.build(),
                tags=[common, TagFactory.build()],
            )
            built += [post, *CommentFactory.build_batch(posts if not built else 2, post=post)]
        db.session.add_all(built)
    db.session.commit()
    first = built[0]
    assert isinstance(first, Post)
    return first.id, writer


PAGES: dict[str, Callable[[int], str]] = {
    "home": lambda post_id: "/blog/",
    "post": lambda post_id: f"/blog/post/{post_id}",
    "tag": lambda post_id: "/blog/tag/common",
    "user": lambda post_id: "/blog/user/writer",
    "feed": lambda post_id: "/blog/feed.atom",
    "tag feed": lambda post_id: "/blog/feed/tag/common.atom",
}


def statements_for(client, url: str) -> list[str]:
    # Production requests start with an empty session; the objects the factories left in
    # it would otherwise answer lazy loads without any SQL and hide an N+1.
    db.session.expunge_all()
    with statements_run() as run:
        response = client.get(url)
    assert response.status_code == 200
    return run


@pytest.mark.parametrize("visitor", ["anonymous", "the writer"])
def test_each_page_costs_the_same_few_statements_with_1_or_50_posts(
    client, isolated_example, visitor
):
    """The writer, logged in, also sees the edit and delete buttons on their own posts. Each
    page is counted from an empty page cache (one page's cached sidebar would hide the
    next page's queries)."""
    counts: dict[int, dict[str, int]] = {}
    for posts in (1, 50):
        with isolated_example():
            post_id, writer = build_blog(posts)
            if visitor == "the writer":
                log_in_session(client, writer)
            counts[posts] = {}
            for page, url in PAGES.items():
                cache.clear()
                counts[posts][page] = len(statements_for(client, url(post_id)))
    assert counts[1] == counts[50], counts
    assert max(counts[50].values()) <= MOST_STATEMENTS, counts


def test_the_counter_sees_each_statement_a_page_runs(client):
    """A counter that saw nothing would pass the test above for any page."""
    post_id, _ = build_blog(1)
    run = statements_for(client, f"/blog/post/{post_id}")
    assert any("FROM post " in statement for statement in run)
    assert any("FROM comment " in statement for statement in run)


LAST_FIVE = ["Post 5", "Post 4", "Post 3", "Post 2", "Post 1"]


@pytest.mark.parametrize(
    ("url", "titles", "offset"),
    [
        ("/blog/3", LAST_FIVE, 0),
        ("/blog/tag/common?page=3", LAST_FIVE, 0),
        ("/blog/user/writer?page=3", LAST_FIVE, 0),
        ("/blog/2", [f"Post {n}" for n in range(15, 5, -1)], 10),
    ],
)
def test_a_late_page_is_read_from_the_older_end_and_shows_the_same_posts(
    client, url, titles, offset
):
    """Skipping 99,990 newer posts to reach the last page of 100,000 took 200 ms: a page past
    the middle is read oldest first with a small offset, then shown newest first."""
    writer = PosterFactory(username="writer")
    common = TagFactory(title="common")
    for number in range(1, 26):
        PostFactory(title=f"Post {number}", user=writer, tags=[common])
    offsets: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        found = LIMIT_OFFSET.search(statement.rstrip())
        if found:
            offsets.append(parameters[found[1]] if found[1] else parameters[-1])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert text_of(parse(response.get_data(as_text=True)), "article.post h2 a") == titles
    assert max(offsets) == offset


def test_a_comment_is_saved_without_reading_the_other_comments_or_tags(client):
    """The comment form's POST holds the write lock from its first read (app.database): it
    reads the post, not its comments and tags, which only the page shows, and nothing once
    it has committed."""
    post = PostFactory(tags=[TagFactory()])
    CommentFactory.create_batch(3, post=post)
    url = f"/blog/post/{post.id}"
    db.session.expunge_all()
    with statements_run() as run:
        response = client.post(url, data={"name": "Bob", "text": "Hi."})
    assert response.status_code == 302
    reads = [s for s in run if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if re.search(r"FROM (comment|post_tags|tag)\b", s)], reads
    # Nothing read again once saved: on SQLite a read after the commit takes the write lock
    # again.
    inserted = next(n for n, s in enumerate(run) if s.startswith("INSERT INTO comment"))
    assert not [s for s in run[inserted:] if s.lstrip().upper().startswith("SELECT")]
