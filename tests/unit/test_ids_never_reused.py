"""A deleted post's, comment's or account's URL never serves another one: ids are not reused,
even when the newest row is deleted (SQLite hands out the highest id plus one unless a table
has AUTOINCREMENT; PostgreSQL's sequences never go back)."""

from __future__ import annotations

import pytest

from app.accounts.users import delete_user
from app.extensions import db
from app.models import User
from app.notifications.unsubscribe import make_token
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.support.database import fresh_session

pytestmark = pytest.mark.postgresql


def test_a_deleted_comments_url_stays_404_after_a_new_comment(client, api_headers):
    post = PostFactory()
    newest = CommentFactory(post=post)
    gone, headers = newest.id, api_headers("author", post)
    assert client.delete(f"/api/comments/{gone}", headers=headers).status_code == 204
    created = client.post(
        f"/api/post/{post.id}/comments", json={"name": "Bob", "text": "New."}, headers=headers
    )
    assert created.status_code == 201
    assert created.get_json()["id"] != gone
    assert client.get(f"/api/comments/{gone}").status_code == 404


def test_a_deleted_posts_url_stays_404_after_a_new_post(client, api_headers):
    newest = PostFactory()
    gone, headers = newest.id, api_headers("author", newest)
    assert client.delete(f"/api/post/{gone}", headers=headers).status_code == 204
    created = client.post("/api/post", json={"title": "Next", "text": "New."}, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["id"] != gone
    assert client.get(f"/blog/post/{gone}").status_code == 404


def test_a_deleted_accounts_unsubscribe_link_never_unsubscribes_the_next_account(client):
    gone = UserFactory(weekly_digest=True)
    link = f"/unsubscribe/{make_token(gone, 'digest')}"
    delete_user(gone)
    db.session.commit()
    newcomer = UserFactory(weekly_digest=True)
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    with fresh_session() as session:
        assert session.get_one(User, newcomer.id).weekly_digest is True
