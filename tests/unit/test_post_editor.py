"""Writing, previewing, editing and deleting posts (as someone allowed to; refusals are in
test_permissions.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import TAG_MAX, TITLE_MAX, Comment, Post, Tag
from tests.factories import (
    CommentFactory,
    PostFactory,
    TagFactory,
)
from tests.support.database import fresh_session, row_count
from tests.support.html import form_controls, get_page, parse
from tests.support.sessions import csrf_token_from, log_in_session, session_data

pytestmark = pytest.mark.postgresql

TEXT = "Some *Markdown* text."


def only_post() -> Post:
    """The one stored post, with its tags (read through a fresh session, then detached)."""
    with fresh_session() as session:
        return session.scalars(select(Post).options(selectinload(Post.tags))).one()


def write(client, url="/blog/new", **fields):
    data = {"title": "A title", "text": TEXT, "tags": ""} | fields
    return client.post(url, data=data)


def test_new_post_form_has_the_fields_and_buttons(client, log_in_as):
    log_in_as("poster", username="writer")
    assert form_controls(get_page(client, "/blog/new")) == {
        "title": "Title",
        "text": "Text (Markdown)",
        "tags": "Tags",
        "submit": "Save",
        "preview": "Preview",
    }


def test_saving_a_new_post_stores_it_under_its_author_and_shows_it(client, log_in_as):
    poster = log_in_as("poster", username="writer")
    response = write(client, title="Hello world", text=TEXT)
    post = only_post()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/blog/post/{post.id}"
    assert (post.title, post.text, post.user_id) == ("Hello world", TEXT, poster.id)
    assert ("success", "Your post is published.") in session_data(client)["_flashes"]


def test_title_is_stripped_of_surrounding_spaces(client, log_in_as):
    log_in_as("poster", username="writer")
    write(client, title="  Spaced out  ")
    assert only_post().title == "Spaced out"


def test_comma_separated_tags_are_created_on_first_use_and_reused_after(client, log_in_as):
    log_in_as("poster", username="writer")
    existing = TagFactory(title="flask")
    write(client, tags="python, flask,, python , web  dev,")
    assert [tag.title for tag in only_post().tags] == sorted(["python", "flask", "web dev"])
    assert row_count(Tag) == 3
    assert db.session.get_one(Tag, existing.id).title == "flask"


def test_the_same_new_tag_on_two_posts_is_one_tag(client, log_in_as):
    log_in_as("poster", username="writer")
    write(client, title="One", tags="shared")
    write(client, title="Two", tags="shared")
    assert row_count(Post) == 2
    assert row_count(Tag) == 1


def test_title_is_required_and_limited(client, log_in_as):
    log_in_as("poster", username="writer")
    for title, message in (
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * (TITLE_MAX + 1), f"between 1 and {TITLE_MAX} characters"),
    ):
        response = write(client, title=title)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert row_count(Post) == 0


def test_the_longest_title_is_accepted(client, log_in_as):
    log_in_as("poster", username="writer")
    assert write(client, title="x" * TITLE_MAX).status_code == 302


def test_text_is_required(client, log_in_as):
    log_in_as("poster", username="writer")
    response = write(client, text="  ")
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    assert row_count(Post) == 0


def test_control_characters_in_title_or_text_are_refused(client, log_in_as):
    log_in_as("poster", username="writer")
    for fields in ({"title": "nul\x00title"}, {"text": "nul\x00text"}):
        response = write(client, **fields)
        assert response.status_code == 422
        assert "remove the control characters" in response.get_data(as_text=True)
    assert row_count(Post) == 0


def test_text_keeps_tabs_and_line_breaks_as_lf(client, log_in_as):
    log_in_as("poster", username="writer")
    write(client, text="line one\r\n\tline two\r\n")
    assert only_post().text == "line one\n\tline two"


def test_a_too_long_tag_is_a_form_error_and_saves_nothing(client, log_in_as):
    log_in_as("poster", username="writer")
    response = write(client, tags="fine, " + "t" * (TAG_MAX + 1))
    assert response.status_code == 422
    assert f"Each tag must be at most {TAG_MAX} characters" in response.get_data(as_text=True)
    assert (row_count(Post), row_count(Tag)) == (0, 0)


def test_preview_shows_the_rendered_markdown_and_saves_nothing(client, log_in_as):
    log_in_as("poster", username="writer")
    response = write(client, text="**bold** <script>alert(1)</script>", tags="t", preview="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div class="card-body post-body" id="preview-body">' in page
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    # The form keeps what was typed, ready to be saved.
    assert 'value="A title"' in page
    assert (row_count(Post), row_count(Tag)) == (0, 0)


def test_preview_page_gives_every_element_a_distinct_id(client, log_in_as):
    """The preview and its button are both on the page: an id names one element only."""
    log_in_as("poster", username="writer")
    page = parse(write(client, preview="1").get_data(as_text=True))
    ids = [element["id"] for element in page.select("[id]")]
    assert "preview" in ids
    assert len(ids) == len(set(ids))


def test_preview_of_an_invalid_form_shows_the_errors(client, log_in_as):
    log_in_as("poster", username="writer")
    response = write(client, title="", preview="1")
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_edit_form_is_prefilled(client):
    post = PostFactory(
        title="Old title", text="Old *text*", tags=[TagFactory(title="b"), TagFactory(title="a")]
    )
    log_in_session(client, post.user)
    page = client.get(f"/blog/edit/{post.id}").get_data(as_text=True)
    assert 'value="Old title"' in page
    assert "Old *text*</textarea>" in page
    assert 'value="a, b"' in page


def test_editing_changes_title_text_and_tags_but_not_author_or_date(client):
    post = PostFactory(tags=[TagFactory(title="old")])
    author_id, published = post.user_id, post.publish_date
    log_in_session(client, post.user)
    response = write(client, f"/blog/edit/{post.id}", title="New", text="New text", tags="new")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/blog/post/{post.id}"
    edited = only_post()
    assert (edited.title, edited.text, [tag.title for tag in edited.tags]) == (
        "New",
        "New text",
        ["new"],
    )
    assert (edited.user_id, edited.publish_date) == (author_id, published)


def test_an_admin_edit_keeps_the_original_author(client, log_in_as):
    post = PostFactory()
    log_in_as("admin")
    write(client, f"/blog/edit/{post.id}", title="By the admin")
    edited = only_post()
    assert (edited.title, edited.user_id) == ("By the admin", post.user_id)


def test_an_invalid_edit_changes_nothing(client):
    post = PostFactory(title="Kept")
    log_in_session(client, post.user)
    response = write(client, f"/blog/edit/{post.id}", title="", tags="x" * (TAG_MAX + 1))
    assert response.status_code == 422
    assert only_post().title == "Kept"
    assert row_count(Tag) == 0


def test_previewing_an_edit_changes_nothing(client):
    post = PostFactory(title="Kept")
    log_in_session(client, post.user)
    response = write(client, f"/blog/edit/{post.id}", title="Changed", preview="1")
    assert response.status_code == 200
    assert only_post().title == "Kept"


def test_deleting_removes_the_post_and_its_comments_but_keeps_tags(client):
    post = PostFactory(tags=[TagFactory(title="kept")])
    CommentFactory(post=post)
    other = CommentFactory()
    log_in_session(client, post.user)
    response = client.post(f"/blog/delete/{post.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
    assert row_count(Post, Post.id == post.id) == 0
    with fresh_session() as session:
        assert session.scalars(select(Comment.id)).all() == [other.id]
    assert row_count(Tag) == 1
    assert ("info", "The post is deleted.") in session_data(client)["_flashes"]


def test_edit_and_delete_of_a_missing_post_are_404(client, log_in_as):
    log_in_as("admin")
    assert client.get("/blog/edit/999").status_code == 404
    assert write(client, "/blog/edit/999").status_code == 404
    assert client.post("/blog/delete/999").status_code == 404


@pytest.mark.parametrize("post_id", [2**31, 2**63, 10**30])
def test_ids_no_post_can_have_are_404_not_database_errors(client, post_id, log_in_as):
    log_in_as("admin")
    assert client.get(f"/blog/edit/{post_id}").status_code == 404
    assert write(client, f"/blog/edit/{post_id}").status_code == 404
    assert client.post(f"/blog/delete/{post_id}").status_code == 404


def test_delete_by_get_is_not_allowed(client):
    post = PostFactory()
    log_in_session(client, post.user)
    assert client.get(f"/blog/delete/{post.id}").status_code == 405
    assert row_count(Post) == 1


def test_edit_page_offers_a_delete_button_posting_with_a_csrf_token(client, csrf_on):
    post = PostFactory()
    log_in_session(client, post.user)
    page = client.get(f"/blog/edit/{post.id}").get_data(as_text=True)
    assert f'action="/blog/delete/{post.id}"' in page
    assert 'id="delete"' in page
    response = client.post(f"/blog/delete/{post.id}", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert row_count(Post) == 0


def test_delete_without_csrf_token_is_refused(client, csrf_on):
    post = PostFactory()
    log_in_session(client, post.user)
    assert client.post(f"/blog/delete/{post.id}").status_code == 400
    assert row_count(Post) == 1
