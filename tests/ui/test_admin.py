"""Flows of the admin site: an admin moderates comments and edits a post; its pages break
no rule of the Content-Security-Policy (the harness fails a flow on any violation)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.ui.pages import AdminListPage, ErrorPage, PostPage
from tests.ui.site import Site, unique


def test_admin_removes_a_spam_comment_and_the_post_no_longer_shows_it(
    browser, base_url, log_in_as, site
):
    mark = unique("spam")
    post = site.write_post(f"A good post {mark}")
    site.comment(post, "Spammer", f"Cheap pills at spam.example {mark}")
    site.comment(post, "Reader", f"Thanks for the post {mark}")

    log_in_as("admin")
    comments = AdminListPage(browser, base_url).open_part("comments").search(mark)
    assert sorted(comments.column("name")) == ["Reader", "Spammer"]
    comments = comments.delete_row_with("Cheap pills")
    assert "Record was successfully deleted." in " ".join(comments.flashes())
    assert comments.column("name") == ["Reader"]

    page = PostPage(browser, base_url).open_id(post)
    texts = page.comment_texts()
    assert len(texts) == 1
    assert "Thanks for the post" in texts[0]


def test_admin_edits_a_post_and_its_tags_in_the_admin_site(browser, base_url, log_in_as, site):
    mark, news = unique("draft"), unique("news")
    site.make_tag(news)
    post = site.write_post(f"Draft {mark}", text="Old words.")

    log_in_as("admin")
    form = AdminListPage(browser, base_url).open_part("posts").search(mark).edit_row_with(mark)
    form.fill("title", f"Published {mark}")
    form.fill("text", "New *words*.")
    form.choose("tags", news)
    posts = form.save()
    assert posts.column("title") == [f"Published {mark}"]
    assert posts.column("tags") == [news]

    page = PostPage(browser, base_url).open_id(post)
    assert page.title() == f"Published {mark}"
    assert page.body().find_element("tag name", "em").text == "words"
    assert page.tags() == [news]


@pytest.fixture(scope="module")
def flask_tag(logins):
    """A tag for this module's flows, made once and deleted after them."""
    made, title = Site(logins), unique("flask")
    made.make_tag(title)
    yield title
    made.clean_up()


@pytest.mark.parametrize("part", ["users", "tags"])
def test_admin_opens_the_users_and_tags_lists_and_their_forms(
    browser, base_url, log_in_as, accounts, flask_tag, part
):
    row = accounts["poster"].username if part == "users" else flask_tag
    log_in_as("admin")
    form = AdminListPage(browser, base_url).open_part(part).search(row).edit_row_with(row)
    assert (
        form.find((By.ID, "title" if part == "tags" else "username")).get_attribute("value") == row
    )


def test_a_reader_gets_the_403_page_at_the_admin_site(browser, base_url, log_in_as):
    log_in_as("default")
    assert "403" in ErrorPage(browser, base_url).open("/admin/").heading()
