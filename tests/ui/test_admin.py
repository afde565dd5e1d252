"""Flows of the admin site: an admin moderates comments and edits a post; its pages break
no rule of the Content-Security-Policy (the harness fails a flow on any violation)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.factories import CommentFactory, PostFactory, TagFactory
from tests.ui.pages import AdminListPage, ErrorPage, PostPage

pytestmark = pytest.mark.needs_db


def test_admin_removes_a_spam_comment_and_the_post_no_longer_shows_it(
    browser, base_url, log_in_as, seeded_user
):
    post = PostFactory(title="A good post", user=seeded_user("poster"))
    CommentFactory(post=post, name="Spammer", text="Cheap pills at spam.example")
    CommentFactory(post=post, name="Reader", text="Thanks for the post")

    log_in_as("admin")
    comments = AdminListPage(browser, base_url).open_part("comments")
    assert sorted(comments.column("name")) == ["Reader", "Spammer"]
    comments = comments.delete_row_with("Cheap pills")
    assert "Record was successfully deleted." in " ".join(comments.flashes())
    assert comments.column("name") == ["Reader"]

    page = PostPage(browser, base_url).open_id(post.id)
    texts = page.comment_texts()
    assert len(texts) == 1
    assert "Thanks for the post" in texts[0]


def test_admin_edits_a_post_and_its_tags_in_the_admin_site(
    browser, base_url, log_in_as, seeded_user
):
    TagFactory(title="news")
    post = PostFactory(title="Draft", text="Old words.", user=seeded_user("poster"))

    log_in_as("admin")
    posts = AdminListPage(browser, base_url).open_part("posts").search("Draft")
    form = posts.edit_row_with("Draft")
    form.fill("title", "Published")
    form.fill("text", "New *words*.")
    form.choose("tags", "news")
    form.save()
    posts = AdminListPage(browser, base_url).open_part("posts")
    assert posts.column("title") == ["Published"]
    assert posts.column("tags") == ["news"]

    page = PostPage(browser, base_url).open_id(post.id)
    assert page.title() == "Published"
    assert page.body().find_element("tag name", "em").text == "words"
    assert page.tags() == ["news"]


@pytest.mark.parametrize(("part", "row"), [("users", "poster"), ("tags", "flask")])
def test_admin_opens_the_users_and_tags_lists_and_their_forms(
    browser, base_url, log_in_as, part, row
):
    TagFactory(title="flask")
    log_in_as("admin")
    form = AdminListPage(browser, base_url).open_part(part).edit_row_with(row)
    assert (
        form.find((By.ID, "title" if part == "tags" else "username")).get_attribute("value") == row
    )


def test_a_reader_gets_the_403_page_at_the_admin_site(browser, base_url, log_in_as):
    log_in_as("default")
    assert "403" in ErrorPage(browser, base_url).open("/admin/").heading()
