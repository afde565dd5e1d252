"""A deleted post's or comment's URL never serves another one: ids are not reused, even when
the newest row is deleted (SQLite hands out the highest id plus one unless told otherwise;
PostgreSQL's sequences never go back)."""

from __future__ import annotations

import pytest

from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.postgresql


@pytest.fixture(autouse=True)
def _known_defect_on_sqlite(request: pytest.FixtureRequest, test_database_url: str | None) -> None:
    """Not fixed on SQLite yet: the post and comment tables need AUTOINCREMENT, a migration
    that rebuilds both (found by nox -s api-fuzz: schemathesis's use-after-free check)."""
    if not test_database_url:
        request.applymarker(
            pytest.mark.xfail(reason="SQLite reuses the newest deleted id", strict=True)
        )


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
