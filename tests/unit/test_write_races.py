"""Two writes at the same moment both get an answer that is not a server error.

Each request pauses after its first SQL read until the other has read too, or has asked
for the lock that the first holds. On SQLite a transaction that has read cannot write once
another has committed ("database is locked"), so this is the shape that failed; on
PostgreSQL the same shape changed one post's tags twice over (StaleDataError). Every write
must take its lock before it reads.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from app.accounts.users import create_user
from app.api.tokens import issue_token
from app.extensions import db
from app.models import Comment, Post, Tag, tags_from_titles, tags_posts
from tests.support.database import row_count
from tests.support.races import MeetingPoint, in_parallel
from tests.support.sessions import log_in_session

PASSWORD = "a fine long passphrase"


@dataclass
class Scene:
    """The rows two racing requests work on, and a client maker for each identity."""

    app: Flask
    post_id: int
    comment_id: int
    tokens: dict[str, str]
    users: dict[str, Any]

    def api(self, method: str, path: str, who: str = "author", **kwargs: Any) -> Callable:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        client = self.app.test_client()
        return lambda: client.open(path, method=method, headers=headers, **kwargs)

    def form(self, path: str, data: dict[str, str], who: str | None = None) -> Callable:
        client = self.app.test_client()
        if who is not None:
            with self.app.app_context():
                log_in_session(client, db.session.merge(self.users[who]))
        return lambda: client.post(path, data=data)

    def count(self, model: type) -> int:
        with self.app.app_context():
            return row_count(model)

    def tag_counts_match(self) -> bool:
        """Each tag's post_count is its number of post_tags rows."""
        with self.app.app_context():
            rows = (
                select(func.count())
                .select_from(tags_posts)
                .where(tags_posts.c.tag_id == Tag.id)
                .scalar_subquery()
            )
            return not db.session.scalar(select(func.count()).where(Tag.post_count != rows))

    def tag_titles(self) -> list[str]:
        with self.app.app_context():
            return sorted(tag.title for tag in db.session.get_one(Post, self.post_id).tags)


@pytest.fixture
def scene(race_app: Flask) -> Scene:
    with race_app.app_context():
        author = create_user("author", PASSWORD, "poster")
        admin = create_user("admin", PASSWORD, "admin")
        post = Post(title="Raced", text="Text", user=author)
        db.session.add(post)
        post.tags = tags_from_titles(["old"])
        comment = Comment(name="reader", text="First!", post=post)
        db.session.add(comment)
        db.session.commit()
        tokens = {"author": issue_token(author), "admin": issue_token(admin)}
        users = {"author": author, "admin": admin}
        found = Scene(race_app, post.id, comment.id, tokens, users)
        db.session.remove()
    return found


# What a request sends to take its locks: SQLite's write lock, PostgreSQL's row locks.
LOCK_REQUESTS = re.compile(r"^\s*BEGIN IMMEDIATE|\bFOR UPDATE\b", re.IGNORECASE)


@pytest.fixture
def meet_after_first_read(scene: Scene) -> Iterator[None]:
    """Each racing thread waits at its first SELECT for the other thread's first SELECT.

    A thread that asks for a lock first counts as there: the lock is either free (and its
    first SELECT follows at once) or held by the other thread, waiting at its first SELECT,
    which goes on now instead of after its patience. The test's own thread (setting the
    scene, counting rows) takes no part.
    """
    meet = MeetingPoint(patience=5)
    test_thread = threading.get_ident()
    met = threading.local()

    def before_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.get_ident() != test_thread and LOCK_REQUESTS.search(statement):
            meet.arrive()

    def after_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.get_ident() == test_thread or getattr(met, "done", False):
            return
        if statement.lstrip().upper().startswith("SELECT"):
            met.done = True
            meet()

    with scene.app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "after_cursor_execute", after_execute)
    yield
    event.remove(engine, "before_cursor_execute", before_execute)
    event.remove(engine, "after_cursor_execute", after_execute)


def statuses(*calls: Callable) -> list[int]:
    return sorted(response.status_code for response in in_parallel(*calls))


pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("meet_after_first_read"),
    pytest.mark.slow,
]


def test_two_api_comments_on_one_post_are_both_saved(scene):
    path = f"/api/post/{scene.post_id}/comments"
    body = {"name": "racer", "text": "Hello"}
    calls = [scene.api("POST", path, json=body), scene.api("POST", path, "admin", json=body)]
    assert statuses(*calls) == [201, 201]
    assert scene.count(Comment) == 3


def test_two_comment_forms_on_one_post_are_both_saved(scene):
    path = f"/blog/post/{scene.post_id}"
    data = {"name": "racer", "text": "Hello"}
    assert statuses(scene.form(path, data), scene.form(path, data)) == [302, 302]
    assert scene.count(Comment) == 3


def test_two_api_posts_with_the_same_new_tags_are_both_saved_with_one_tag_each(scene):
    body = {"title": "New", "text": "Text", "tags": ["fresh", "shared"]}
    calls = [scene.api("POST", "/api/post", json=body), scene.api("POST", "/api/post", json=body)]
    assert statuses(*calls) == [201, 201]
    assert scene.count(Post) == 3
    assert scene.count(Tag) == 3
    assert scene.tag_counts_match()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param([{"tags": ["a", "b"]}, {"tags": ["b", "c"]}], id="tags alone"),
        pytest.param(
            [{"title": "One", "tags": ["a"]}, {"title": "Two", "tags": ["c"]}], id="title and tags"
        ),
    ],
)
def test_two_changes_of_one_post_apply_one_after_the_other(scene, changes):
    path = f"/api/post/{scene.post_id}"
    calls = [
        scene.api("PUT", path, json=changes[0]),
        scene.api("PUT", path, "admin", json=changes[1]),
    ]
    assert statuses(*calls) == [200, 200]
    assert scene.tag_titles() in [sorted(change["tags"]) for change in changes]
    assert scene.tag_counts_match()


def test_two_deletes_of_one_post_give_one_204_and_one_404(scene):
    path = f"/api/post/{scene.post_id}"
    assert statuses(scene.api("DELETE", path), scene.api("DELETE", path, "admin")) == [204, 404]
    assert scene.count(Post) == 0
    assert scene.count(Comment) == 0


def test_two_changes_of_one_comment_both_answer(scene):
    path = f"/api/comments/{scene.comment_id}"
    calls = [
        scene.api("PUT", path, json={"text": "Edited"}),
        scene.api("PUT", path, "admin", json={"text": "Moderated"}),
    ]
    assert statuses(*calls) == [200, 200]


def test_a_comment_and_the_deletion_of_its_post_never_fail_as_a_server_error(scene):
    calls = [
        scene.api("POST", f"/api/post/{scene.post_id}/comments", json={"name": "n", "text": "t"}),
        scene.api("DELETE", f"/api/post/{scene.post_id}", "admin"),
    ]
    # Either the comment came first (and went with the post) or the post was already gone.
    assert statuses(*calls) in ([201, 204], [204, 404])
    assert scene.count(Comment) == 0


def test_an_edit_in_the_post_editor_and_a_comment_both_succeed(scene):
    calls = [
        scene.form(f"/blog/edit/{scene.post_id}", {"title": "Edited", "text": "T"}, "author"),
        scene.form(f"/blog/post/{scene.post_id}", {"name": "racer", "text": "Hello"}),
    ]
    assert statuses(*calls) == [302, 302]
    assert scene.count(Comment) == 2


def test_logging_out_in_two_browsers_at_once_succeeds_in_both(scene):
    calls = [scene.form("/logout", {}, "author"), scene.form("/logout", {}, "author")]
    assert statuses(*calls) == [302, 302]


def test_two_admins_changing_one_posts_tags_apply_one_after_the_other(scene):
    with scene.app.app_context():
        ids = {tag.title: str(tag.id) for tag in tags_from_titles(["a", "b", "c"])}
        db.session.commit()
    path = f"/admin/posts/edit/?id={scene.post_id}"
    changes = [["a", "b"], ["b", "c"]]
    calls = [
        scene.form(path, {"title": "T", "text": "T", "tags": [ids[t] for t in tags]}, "admin")
        for tags in changes
    ]
    assert statuses(*calls) == [302, 302]
    assert scene.tag_titles() in changes
    assert scene.tag_counts_match()


def test_an_admin_deleting_a_comment_and_a_new_comment_both_succeed(scene):
    calls = [
        scene.form("/admin/comments/delete/", {"id": str(scene.comment_id)}, "admin"),
        scene.form(f"/blog/post/{scene.post_id}", {"name": "racer", "text": "Hello"}),
    ]
    assert statuses(*calls) == [302, 302]
    assert scene.count(Comment) == 1
