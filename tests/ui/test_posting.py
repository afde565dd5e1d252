"""Flows of writing: a poster publishes a tagged post, an author edits, an admin deletes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Comment
from tests.factories import CommentFactory, PostFactory
from tests.ui.pages import ErrorPage, HomePage, PostEditorPage, PostPage

pytestmark = pytest.mark.needs_db


def test_poster_writes_a_tagged_post_and_finds_it_on_home_and_on_its_tag_page(
    browser, base_url, log_in_as
):
    """The book's flow."""
    log_in_as("poster")
    post = (
        PostEditorPage(browser, base_url)
        .open()
        .write(
            title="Testing Flask with Selenium",
            text="Browsers *click* through the **real** app.",
            tags="Testing, Flask",
        )
    )
    assert post.title() == "Testing Flask with Selenium"
    assert post.body().find_element("tag name", "em").text == "click"
    assert sorted(post.tags()) == ["Flask", "Testing"]

    home = HomePage(browser, base_url).open()
    assert home.titles()[0] == "Testing Flask with Selenium"

    tag_page = home.follow_tag("Testing", in_post="Testing Flask with Selenium")
    assert tag_page.path_now == "/blog/tag/Testing"
    assert tag_page.titles() == ["Testing Flask with Selenium"]


def test_author_edits_their_post_and_readers_see_the_new_version(
    browser, base_url, log_in_as, seeded_user
):
    original = PostFactory(title="First draft", text="Old words.", user=seeded_user("poster"))
    log_in_as("poster")
    page = PostPage(browser, base_url).open_id(original.id)
    page.click(page.edit_link(original.id))
    editor = PostEditorPage(browser, base_url).loaded()
    assert editor.value("title") == "First draft"

    edited = editor.write(title="Final version", text="New words.")
    assert edited.path_now == f"/blog/post/{original.id}"
    assert edited.title() == "Final version"
    assert edited.body().text == "New words."
    assert HomePage(browser, base_url).open().titles() == ["Final version"]


def test_admin_deletes_another_users_post_and_its_comments_vanish(
    browser, base_url, log_in_as, seeded_user, db_now
):
    doomed = PostFactory(title="Doomed post", user=seeded_user("poster"))
    CommentFactory.create_batch(2, post=doomed, text="A comment on the doomed post")
    kept = PostFactory(title="Kept post")
    CommentFactory(post=kept, text="A comment that stays")

    log_in_as("admin")
    page = PostPage(browser, base_url).open_id(doomed.id)
    assert len(page.comments()) == 2
    page.delete()
    assert page.flashes() == ["The post is deleted."]
    assert HomePage(browser, base_url).open().titles() == ["Kept post"]
    assert "404" in ErrorPage(browser, base_url).open(f"/blog/post/{doomed.id}").heading()
    assert db_now().scalars(select(Comment.text)).all() == ["A comment that stays"]
