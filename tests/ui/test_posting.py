"""Flows of writing: a poster publishes a tagged post, an author edits, an admin deletes."""

from __future__ import annotations

from tests.ui.pages import ErrorPage, HomePage, PostEditorPage, PostPage
from tests.ui.site import unique


def test_poster_writes_a_tagged_post_and_finds_it_on_home_and_on_its_tag_page(
    browser, base_url, log_in_as, site
):
    """The book's flow."""
    title, testing, flask = (
        unique("Testing Flask with Selenium"),
        unique("Testing"),
        unique("Flask"),
    )
    log_in_as("poster")
    post = (
        PostEditorPage(browser, base_url)
        .open()
        .write(
            title=title,
            text="Browsers *click* through the **real** app.",
            tags=f"{testing}, {flask}",
        )
    )
    site.made_post(post.post_id(), "poster")
    site.made_tags(testing, flask)
    assert post.title() == title
    assert post.body().find_element("tag name", "em").text == "click"
    assert sorted(post.tags()) == sorted([flask, testing])

    home = HomePage(browser, base_url).open()
    assert title in home.titles()

    tag_page = home.follow_tag(testing, in_post=title)
    assert tag_page.path_now == f"/blog/tag/{testing}"
    assert tag_page.titles() == [title]


def test_author_edits_their_post_and_readers_see_the_new_version(
    browser, base_url, log_in_as, site
):
    draft, final = unique("First draft"), unique("Final version")
    original = site.write_post(draft, text="Old words.")
    log_in_as("poster")
    page = PostPage(browser, base_url).open_id(original)
    page.click(page.edit_link(original))
    editor = PostEditorPage(browser, base_url).loaded()
    assert editor.value("title") == draft

    edited = editor.write(title=final, text="New words.")
    assert edited.path_now == f"/blog/post/{original}"
    assert edited.title() == final
    assert edited.body().text == "New words."
    titles = HomePage(browser, base_url).open().titles()
    assert final in titles
    assert draft not in titles


def test_admin_deletes_another_users_post_and_its_comments_vanish(
    browser, base_url, log_in_as, site
):
    mark = unique("doomed")
    doomed = site.write_post(f"Doomed post {mark}")
    for _ in range(2):
        site.comment(doomed, "Reader", f"A comment on the doomed post {mark}")
    kept = site.write_post(f"Kept post {mark}")
    site.comment(kept, "Reader", f"A comment that stays {mark}")

    log_in_as("admin")
    page = PostPage(browser, base_url).open_id(doomed)
    assert len(page.comments()) == 2
    page.delete()
    assert page.flashes() == ["The post is deleted."]
    titles = HomePage(browser, base_url).open().titles()
    assert f"Kept post {mark}" in titles
    assert f"Doomed post {mark}" not in titles
    assert "404" in ErrorPage(browser, base_url).open(f"/blog/post/{doomed}").heading()
    # Gone from the database too: the admin site lists every comment there is.
    assert site.admin_column("comments", mark, "text") == [f"A comment that stays {mark}"]
