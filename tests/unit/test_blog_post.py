"""The post page: the post rendered from Markdown, its tags, its comments and the comment form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import COMMENT_NAME_MAX, Comment
from tests.factories import CommentFactory, PostFactory, TagFactory
from tests.factories.models import EPOCH
from tests.support.database import fresh_session, row_count
from tests.support.html import get_page, hrefs, one, parse, text_of, textarea_value

pytestmark = pytest.mark.postgresql


def test_post_page_shows_the_post_with_its_author_date_and_tags(client):
    post = PostFactory(title="Hello", tags=[TagFactory(title="Flask"), TagFactory(title="Ajax")])
    page = get_page(client, f"/blog/post/{post.id}")
    assert text_of(page, "h1") == ["Hello"]
    assert text_of(page, "article a.author") == [post.user.username]
    assert hrefs(page, "article a.author") == [f"/blog/user/{post.user.username}"]
    assert text_of(page, "article time") == [post.publish_date.strftime("%Y-%m-%d")]
    assert text_of(page, "article a.tag") == ["Ajax", "Flask"]


def test_post_text_is_rendered_from_markdown(client):
    post = PostFactory(text="## Part one\n\nSome *emphasis* and [a link](https://example.org).")
    body = one(get_page(client, f"/blog/post/{post.id}"), ".post-body")
    assert text_of(body, "h2") == ["Part one"]
    assert text_of(body, "em") == ["emphasis"]
    assert hrefs(body, "a") == ["https://example.org"]


def test_comments_are_shown_newest_first(client):
    post = PostFactory()
    CommentFactory(post=post, name="First", text="early", date=EPOCH)
    CommentFactory(post=post, name="Second", text="late", date=EPOCH + timedelta(days=1))
    CommentFactory(text="on another post")
    page = get_page(client, f"/blog/post/{post.id}")
    assert text_of(page, "div.comment .comment-name") == ["Second", "First"]
    assert text_of(page, "div.comment .comment-text") == ["late", "early"]


def test_comments_posted_at_the_same_moment_show_the_later_one_first(client):
    """The post page orders ties as the API does, so both show one order."""
    post = PostFactory()
    CommentFactory(post=post, name="Earlier", date=EPOCH)
    CommentFactory(post=post, name="Later", date=EPOCH)
    page = get_page(client, f"/blog/post/{post.id}")
    assert text_of(page, "div.comment .comment-name") == ["Later", "Earlier"]


def test_comment_text_keeps_its_line_breaks_as_plain_text(client):
    post = PostFactory()
    CommentFactory(post=post, text="line one\nline *two*")
    [text] = get_page(client, f"/blog/post/{post.id}").select("div.comment .comment-text")
    assert text.get_text() == "line one\nline *two*"
    assert "comment-text" in text["class"]


def test_post_without_comments_says_so(client):
    post = PostFactory()
    page = get_page(client, f"/blog/post/{post.id}")
    assert page.select("div.comment") == []
    assert "No comments yet." in text_of(page, "#comments")[0]


def test_unknown_post_is_not_found(client):
    page = get_page(client, "/blog/post/999", status=404)
    assert "There is no post number 999." in text_of(page, "main")[0]


@pytest.mark.parametrize("post_id", ["2147483648", "99999999999999999999", "9" * 5000])
def test_post_ids_no_post_can_have_are_not_found(client, post_id):
    assert client.get(f"/blog/post/{post_id}").status_code == 404
    assert client.post(f"/blog/post/{post_id}", data={"name": "a", "text": "b"}).status_code == 404


def test_comment_form_is_empty_for_anonymous_visitors(client):
    post = PostFactory()
    page = get_page(client, f"/blog/post/{post.id}")
    assert one(page, "form input#name").get("value", "") == ""
    assert textarea_value(page, "form textarea#text") == ""


def test_comment_form_posts_name_and_text_back_to_the_post(client):
    post = PostFactory()
    form = one(get_page(client, f"/blog/post/{post.id}"), "#comments form")
    assert (form["method"], form["action"]) == ("post", f"/blog/post/{post.id}")
    assert [field["id"] for field in form.select("input:not([type=hidden]), textarea")] == [
        "name",
        "text",
    ]
    assert text_of(form, "button#submit[type=submit]") == ["Post comment"]


def test_comment_form_prefills_a_logged_in_users_name(client, log_in_as):
    post = PostFactory()
    log_in_as("default", username="carol")
    page = get_page(client, f"/blog/post/{post.id}")
    assert one(page, "form input#name")["value"] == "carol"


def test_valid_comment_is_saved_flashed_and_redirected_back_to_the_post(client):
    post = PostFactory()
    response = client.post(
        f"/blog/post/{post.id}", data={"name": "  Dora  ", "text": "Nice post!\r\nThanks."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/blog/post/{post.id}#comments"
    with fresh_session() as session:
        [comment] = session.scalars(select(Comment)).all()
    assert (comment.name, comment.text, comment.post_id) == ("Dora", "Nice post!\nThanks.", post.id)
    page = get_page(client, f"/blog/post/{post.id}")
    assert text_of(page, ".alert-success") == ["Thank you, your comment is posted."]
    assert text_of(page, "div.comment .comment-name") == ["Dora"]


def test_new_comment_comes_before_older_ones(client):
    post = PostFactory()
    CommentFactory(post=post, name="Old")
    client.post(f"/blog/post/{post.id}", data={"name": "New", "text": "hi"})
    page = get_page(client, f"/blog/post/{post.id}")
    assert text_of(page, "div.comment .comment-name") == ["New", "Old"]


def test_comment_name_of_the_longest_allowed_length_is_saved(client):
    post = PostFactory()
    name = "n" * COMMENT_NAME_MAX
    response = client.post(f"/blog/post/{post.id}", data={"name": name, "text": "hi"})
    assert response.status_code == 302
    with fresh_session() as session:
        assert session.scalar(select(Comment.name)) == name


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "text": "hi"}, "name", "Please give your name."),
        ({"name": "   ", "text": "hi"}, "name", "Please give your name."),
        ({"text": "hi"}, "name", "Please give your name."),
        ({"name": "n" * 256, "text": "hi"}, "name", "at most 255 characters"),
        ({"name": "a\x00b", "text": "hi"}, "name", "control characters"),
        ({"name": "a\nb", "text": "hi"}, "name", "control characters"),
        ({"name": "Eve", "text": ""}, "text", "Please write a comment."),
        ({"name": "Eve", "text": " \r\n "}, "text", "Please write a comment."),
        ({"name": "Eve"}, "text", "Please write a comment."),
        ({"name": "Eve", "text": "bell\x07"}, "text", "control characters"),
    ],
)
def test_invalid_comment_is_shown_again_with_the_error_and_nothing_is_saved(
    client, data, field, message
):
    post = PostFactory()
    response = client.post(f"/blog/post/{post.id}", data=data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "is-invalid" in one(page, f"form #{field}")["class"]
    assert message in text_of(page, "form .invalid-feedback")[0]
    assert page.select(".alert-success") == []
    assert row_count(Comment) == 0


def test_invalid_comment_keeps_what_was_typed(client):
    post = PostFactory()
    response = client.post(f"/blog/post/{post.id}", data={"name": "Eve", "text": ""})
    page = parse(response.get_data(as_text=True))
    assert one(page, "form input#name")["value"] == "Eve"


def test_comment_on_an_unknown_post_is_not_found_and_not_saved(client):
    response = client.post("/blog/post/999", data={"name": "Eve", "text": "hi"})
    assert response.status_code == 404
    assert row_count(Comment) == 0


@given(name=st.text(max_size=300), text=st.text(max_size=300))
def test_any_comment_is_either_saved_as_given_or_refused_without_saving(
    client, isolated_example, name, text
):
    with isolated_example():
        post = PostFactory()
        response = client.post(f"/blog/post/{post.id}", data={"name": name, "text": text})
        assert response.status_code in (302, 422)
        with fresh_session() as session:
            saved = session.scalars(select(Comment)).all()
        if response.status_code == 422:
            assert saved == []
        else:
            [comment] = saved
            assert comment.name == name.strip()
            assert comment.text == text.replace("\r\n", "\n").replace("\r", "\n").strip()
