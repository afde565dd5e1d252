"""What the admin site's forms change: through the models (stored HTML, post counts), with
the site's own rules for bad input (a form error, nothing saved), and CSRF checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db
from app.models import Comment, Post, Tag, User
from tests.factories import (
    AdminFactory,
    CommentFactory,
    PostFactory,
    RoleFactory,
    TagFactory,
    UserFactory,
)
from tests.support.database import database_rows
from tests.support.html import get_page, parse, text_of
from tests.support.sessions import csrf_token_from, log_in_session

pytestmark = pytest.mark.postgresql


@pytest.fixture
def admin(client):
    user = AdminFactory(username="boss")
    log_in_session(client, user)
    return user


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def form_errors(response) -> list[str]:
    return text_of(parse(response.get_data(as_text=True)), ".invalid-feedback li")


def test_saving_a_post_renders_its_text_again(client, admin):
    post = PostFactory(text="Old text")
    response = client.post(
        f"/admin/posts/edit/?id={post.id}",
        data={"title": "New title", "text": "Some **bold** news"},
    )
    assert response.status_code == 302
    saved = fresh(Post, post.id)
    assert saved.title == "New title"
    assert saved.text == "Some **bold** news"
    assert "<strong>bold</strong>" in saved.html
    assert saved.excerpt == "Some bold news"
    page = get_page(client, f"/blog/post/{post.id}")
    assert "bold" in text_of(page, "strong")


def test_changing_a_posts_tags_keeps_the_tag_counts(client, admin):
    kept, dropped, added = TagFactory(title="kept"), TagFactory(title="dropped"), TagFactory()
    post = PostFactory(tags=[kept, dropped])
    client.post(
        f"/admin/posts/edit/?id={post.id}",
        data={"title": post.title, "text": post.text, "tags": [str(kept.id), str(added.id)]},
    )
    assert sorted(tag.title for tag in fresh(Post, post.id).tags) == sorted(["kept", added.title])
    assert [fresh(Tag, tag.id).post_count for tag in (kept, dropped, added)] == [1, 0, 1]


def test_deleting_a_post_deletes_its_comments_and_counts_down(client, admin):
    tag = TagFactory()
    post = PostFactory(tags=[tag])
    CommentFactory(post=post)
    author_id = post.user_id
    response = client.post("/admin/posts/delete/", data={"id": str(post.id)})
    assert response.status_code == 302
    assert fresh(Post, post.id) is None
    assert db.session.scalars(select(Comment)).all() == []
    assert fresh(Tag, tag.id).post_count == 0
    assert fresh(User, author_id).post_count == 0


def test_deleting_a_comment_removes_it_from_the_post_page(client, admin):
    post = PostFactory()
    CommentFactory(post=post, name="Spammer", text="Buy now")
    CommentFactory(post=post, name="Reader", text="Nice post")
    spam = db.session.scalars(select(Comment).where(Comment.name == "Spammer")).one()
    response = client.post("/admin/comments/delete/", data={"id": str(spam.id)})
    assert response.status_code == 302
    assert "Record was successfully deleted." in client.get("/admin/comments/").get_data(
        as_text=True
    )
    page = get_page(client, f"/blog/post/{post.id}")
    text = page.get_text()
    assert "Buy now" not in text
    assert "Nice post" in text


def test_an_admin_changes_a_users_roles_and_nothing_else(client, admin):
    user = UserFactory(username="reader")
    secrets = (user.password_hash, user.session_token)
    poster = RoleFactory(name="poster")
    response = client.post(
        f"/admin/users/edit/?id={user.id}",
        data={
            "username": "reader",
            "roles": [str(poster.id)],
            "password_hash": "x",
            "session_token": "y",
        },
    )
    assert response.status_code == 302
    saved = fresh(User, user.id)
    assert [role.name for role in saved.roles] == ["poster"]
    assert (saved.password_hash, saved.session_token) == secrets


def test_the_user_form_offers_the_roles_by_name(client, admin):
    RoleFactory(name="poster")
    page = get_page(client, f"/admin/users/edit/?id={admin.id}")
    assert sorted(text_of(page, "#roles option")) == ["admin", "poster"]
    fields = {field["name"] for field in page.select("form.admin-form [name]")}
    assert fields == {"username", "roles", "_continue_editing"}


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        pytest.param(
            "/admin/users/edit/?id={user}",
            {"username": "BOSS"},
            "That username is already taken.",
            id="username taken, in another case",
        ),
        pytest.param(
            "/admin/users/edit/?id={user}",
            {"username": "no spaces"},
            "Use only letters, digits, dots, dashes and underscores.",
            id="username with a space",
        ),
        pytest.param(
            "/admin/users/edit/?id={user}",
            {"username": "a\x00b"},
            "Use only letters, digits, dots, dashes and underscores.",
            id="username with a NUL",
        ),
        pytest.param(
            "/admin/users/edit/?id={user}",
            {"username": "x" * 65},
            "Field cannot be longer than 64 characters.",
            id="username too long",
        ),
        pytest.param(
            "/admin/posts/edit/?id={post}",
            {"title": "x" * 256, "text": "Text"},
            "Field cannot be longer than 255 characters.",
            id="title too long",
        ),
        pytest.param(
            "/admin/posts/edit/?id={post}",
            {"title": "A title", "text": "x" * 100_001},
            "Please keep it to at most 100,000 characters.",
            id="text too long",
        ),
        pytest.param(
            "/admin/posts/edit/?id={post}",
            {"title": "A\x00title", "text": "Text"},
            "Please remove the control characters from this field.",
            id="title with a NUL",
        ),
        pytest.param(
            "/admin/posts/edit/?id={post}",
            {"title": "   ", "text": "Text"},
            "This field is required.",
            id="blank title",
        ),
        pytest.param(
            "/admin/tags/new/", {"title": "taken"}, "Already exists.", id="tag title taken"
        ),
        pytest.param(
            "/admin/tags/edit/?id={tag}",
            {"title": " \t "},
            "This field is required.",
            id="blank tag title",
        ),
        pytest.param(
            "/admin/tags/new/",
            {"title": "t" * 65},
            "Field cannot be longer than 64 characters.",
            id="tag title too long",
        ),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(client, admin, url, data, message):
    user = UserFactory(username="reader")
    post = PostFactory()
    tag = TagFactory(title="taken")
    before = database_rows()
    response = client.post(url.format(user=user.id, post=post.id, tag=tag.id), data=data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert database_rows() == before


def test_a_new_tag_is_stored_cleaned_as_the_editor_stores_tags(client, admin):
    response = client.post("/admin/tags/new/", data={"title": "  Flask \t Testing "})
    assert response.status_code == 302
    assert db.session.scalars(select(Tag.title)).all() == ["Flask Testing"]


def test_deleting_a_tag_takes_it_off_its_posts(client, admin):
    tag = TagFactory(title="gone")
    post = PostFactory(tags=[tag, TagFactory(title="stays")])
    client.post("/admin/tags/delete/", data={"id": str(tag.id)})
    assert [tag.title for tag in fresh(Post, post.id).tags] == ["stays"]


@pytest.mark.usefixtures("csrf_on")
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/comments/delete/", {"id": "{comment}"}),
        ("/admin/posts/delete/", {"id": "{post}"}),
        ("/admin/posts/edit/?id={post}", {"title": "Changed", "text": "Changed"}),
        ("/admin/users/edit/?id={user}", {"username": "changed"}),
        ("/admin/tags/new/", {"title": "new"}),
        ("/admin/tags/edit/?id={tag}", {"title": "changed"}),
        ("/admin/tags/delete/", {"id": "{tag}"}),
    ],
)
def test_a_form_without_its_csrf_token_is_refused(client, admin, url, data):
    comment = CommentFactory(post__tags=[TagFactory()])
    ids = {
        "comment": comment.id,
        "post": comment.post_id,
        "user": comment.post.user_id,
        "tag": comment.post.tags[0].id,
    }
    before = database_rows()
    response = client.post(
        url.format(**ids), data={name: value.format(**ids) for name, value in data.items()}
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert database_rows() == before


@pytest.mark.usefixtures("csrf_on")
def test_the_delete_button_carries_its_csrf_token(client, admin):
    comment = CommentFactory()
    page = client.get("/admin/comments/").get_data(as_text=True)
    response = client.post(
        "/admin/comments/delete/",
        data={"id": str(comment.id), "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    assert fresh(Comment, comment.id) is None


@pytest.mark.usefixtures("csrf_on")
def test_the_edit_form_carries_its_csrf_token(client, admin):
    tag = TagFactory(title="old")
    page = client.get(f"/admin/tags/edit/?id={tag.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/tags/edit/?id={tag.id}",
        data={"title": "new", "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    assert fresh(Tag, tag.id).title == "new"


def test_a_database_that_cannot_save_is_a_503_not_a_saved_half(client, admin, monkeypatch):
    tag = TagFactory(title="old")

    def unavailable() -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    with monkeypatch.context() as failing:
        failing.setattr(db.session, "commit", unavailable)
        response = client.post(f"/admin/tags/edit/?id={tag.id}", data={"title": "new"})
    assert response.status_code == 503
    assert fresh(Tag, tag.id).title == "old"


def test_a_unique_value_taken_meanwhile_is_a_message_not_a_saved_half(client, admin, monkeypatch):
    tag = TagFactory(title="old")

    def taken_meanwhile() -> None:
        raise IntegrityError("UPDATE", {}, Exception("UNIQUE constraint failed: tag.title"))

    with monkeypatch.context() as failing:
        failing.setattr(db.session, "commit", taken_meanwhile)
        response = client.post(f"/admin/tags/edit/?id={tag.id}", data={"title": "new"})
    assert response.status_code == 200
    assert "conflicting change meanwhile" in response.get_data(as_text=True)
    assert "UNIQUE" not in response.get_data(as_text=True)
    assert fresh(Tag, tag.id).title == "old"
