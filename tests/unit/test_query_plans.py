"""Every list the site shows reads its rows in the order of an index: SQLite's plan for the
statements each page runs has no full table scan and no sort of the rows (``USE TEMP B-TREE
FOR ORDER BY``), so a page costs the same at 1,000 posts as at 100,000. Lists read only the
author's id and name, never the password hash or the session token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from app.extensions import db
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.support.database import rows_for_the_module


@pytest.fixture(scope="module", autouse=True)
def _on_sqlite(test_database_url: str | None) -> None:
    if test_database_url:
        pytest.skip("SQLite only: the plans read are SQLite's EXPLAIN QUERY PLAN")


FULL_SCAN = re.compile(r"^SCAN \w+$")
SORT = "USE TEMP B-TREE FOR ORDER BY"


def selects_run(client, url: str) -> list[tuple[str, tuple]]:
    """The SELECT statements a request for ``url`` runs, with their parameters."""
    run: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            run.append((statement, parameters))

    db.session.expunge_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return run


def plan(statement: str, parameters: tuple) -> list[str]:
    rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return [row[3] for row in rows]


def make_blog() -> int:
    """Posts by "writer" and others, tagged "common", with comments; the newest post's id."""
    writer = PosterFactory(username="writer")
    common = TagFactory(title="common")
    post = None
    for number in range(12):
        post = PostFactory(user=writer if number % 2 else PosterFactory(), tags=[common])
        CommentFactory.create_batch(3, post=post)
    assert post is not None
    return post.id


@pytest.fixture(scope="module")
def blog(app: Flask) -> Iterator[int]:
    """The blog of every test here, made once: the requests only read it."""
    yield from rows_for_the_module(app, make_blog)


# Each page, the statement that lists its rows (found by a piece of its SQL), and the plan
# lines that show it reads them in an index's order.
LISTS = {
    "home": (
        "/blog/",
        "FROM post LEFT OUTER JOIN",
        ["SCAN post USING INDEX ix_post_publish_date_id"],
    ),
    "tag": (
        "/blog/tag/common",
        "FROM post LEFT OUTER JOIN",
        [
            "SCAN post USING INDEX ix_post_publish_date_id",
            "SEARCH post_tags USING COVERING INDEX sqlite_autoindex_post_tags_1"
            " (post_id=? AND tag_id=?)",
        ],
    ),
    "feed": (
        "/blog/feed.atom",
        "FROM post LEFT OUTER JOIN",
        ["SCAN post USING INDEX ix_post_publish_date_id"],
    ),
    "tag feed": (
        "/blog/feed/tag/common.atom",
        "FROM post LEFT OUTER JOIN",
        [
            "SCAN post USING INDEX ix_post_publish_date_id",
            "SEARCH post_tags USING COVERING INDEX sqlite_autoindex_post_tags_1"
            " (post_id=? AND tag_id=?)",
        ],
    ),
    "user": (
        "/blog/user/writer",
        "FROM post LEFT OUTER JOIN",
        ["SEARCH post USING INDEX ix_post_user_id_publish_date_id (user_id=?)"],
    ),
    "post comments": (
        "/blog/post/{id}",
        "FROM comment",
        ["SEARCH comment USING INDEX ix_comment_post_id_date_id (post_id=?)"],
    ),
    "api list": (
        "/api/post",
        "FROM post ORDER BY",
        [
            "SCAN post USING INDEX ix_post_publish_date_id",
            "SEARCH comment USING COVERING INDEX ix_comment_post_id_date_id (post_id=?)",
        ],
    ),
    "api comments": (
        "/api/post/{id}/comments",
        "FROM comment WHERE",
        ["SEARCH comment USING INDEX ix_comment_post_id_date_id (post_id=?)"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("page", LISTS)
def test_each_list_is_read_in_index_order_without_a_sort(client, blog, page):
    url, marker, expected = LISTS[page]
    run = selects_run(client, url.format(id=blog))
    listing = [plan(*found) for found in run if marker in " ".join(found[0].split())]
    assert listing, f"no statement with {marker!r} in {run}"
    assert all(line in listing[0] for line in expected), listing[0]
    assert SORT not in listing[0]


@pytest.mark.parametrize("page", LISTS)
def test_no_statement_of_any_page_scans_a_whole_table_or_sorts_many_rows(client, blog, page):
    url = LISTS[page][0].format(id=blog)
    for statement, parameters in selects_run(client, url):
        lines = plan(statement, parameters)
        assert not any(FULL_SCAN.match(line) for line in lines), (statement, lines)
        # The page's posts' tags, in title order: at most a page of posts' tags are sorted.
        if "WHERE post_tags.post_id IN" not in statement:
            assert SORT not in lines, (statement, lines)


def test_the_sidebar_reads_the_top_tags_from_their_index(client, blog):
    run = selects_run(client, "/blog/")
    (top_tags,) = [found for found in run if "tag.post_count AS uses" in found[0]]
    assert plan(*top_tags) == [
        "SEARCH tag USING COVERING INDEX ix_tag_post_count_title (post_count>?)"
    ]


def test_the_tag_page_counts_its_posts_from_post_tags_alone(client, blog):
    run = selects_run(client, "/blog/tag/common")
    (count,) = [found for found in run if found[0].lstrip().startswith("SELECT count(*)")]
    assert " ".join(count[0].split()).startswith(
        "SELECT count(*) AS count_1 FROM post_tags WHERE post_tags.tag_id = ?"
    )
    assert plan(*count) == [
        "SEARCH post_tags USING COVERING INDEX ix_post_tags_tag_id_post_id (tag_id=?)"
    ]


@pytest.mark.parametrize(
    "url", ["/blog/", "/blog/tag/common", "/blog/post/{id}", "/api/post", "/blog/feed.atom"]
)
def test_lists_never_read_the_authors_password_hash_or_session_token(client, blog, url):
    for statement, _ in selects_run(client, url.format(id=blog)):
        assert "password_hash" not in statement
        assert "session_token" not in statement


def test_the_user_page_reads_the_hash_only_where_it_looks_the_user_up(client, blog):
    reading = [s for s, _ in selects_run(client, "/blog/user/writer") if "password_hash" in s]
    assert len(reading) == 1
    assert "lower(user.username)" in reading[0]


def test_the_api_list_counts_comments_without_loading_them(client, blog):
    busy = PostFactory()
    CommentFactory.create_batch(3, post=busy)
    # The newest two, first in the list.
    expected = {PostFactory().id: 0, busy.id: 3, blog: 3}
    run = selects_run(client, "/api/post")
    items = client.get("/api/post").json["items"]
    assert {item["id"]: item["comment_count"] for item in items[:3]} == expected
    assert not any("comment.text" in statement for statement, _ in run)
