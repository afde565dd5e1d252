"""Two posters saving posts with the same new tag at the same moment: both posts are
saved, and they share one tag."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import app.blog.editing
from app.accounts.users import create_user
from app.extensions import db
from app.models import Post, Tag
from tests.support.races import MeetingPoint, in_parallel
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql


def test_simultaneous_first_uses_of_a_tag_make_one_tag(race_app, monkeypatch):
    with race_app.app_context():
        posters = [create_user(name, "a fine long passphrase", "poster") for name in "ab"]
        db.session.commit()
        clients = [race_app.test_client() for _ in posters]
        for client, poster in zip(clients, posters, strict=True):
            log_in_session(client, poster)
        db.session.remove()

    # Both requests have read (their user, the form) before either creates the tag.
    both_ready = MeetingPoint()
    make_tags = app.blog.editing.tags_from_titles

    def wait_then_make_tags(titles):
        both_ready()
        return make_tags(titles)

    monkeypatch.setattr(app.blog.editing, "tags_from_titles", wait_then_make_tags)

    def save(client, title):
        data = {"title": title, "text": "Text", "tags": "brand new, shared"}
        return lambda: client.post("/blog/new", data=data)

    responses = in_parallel(save(clients[0], "First"), save(clients[1], "Second"))

    assert [response.status_code for response in responses] == [302, 302]
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 2
        assert sorted(db.session.scalars(select(Tag.title))) == ["brand new", "shared"]
        for post in db.session.scalars(select(Post)):
            assert [tag.title for tag in post.tags] == ["brand new", "shared"]
