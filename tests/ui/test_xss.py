"""A script posted in a post or a comment reaches every page as text and never runs."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.ui.pages import HomePage, PostEditorPage, PostPage
from tests.ui.site import unique

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=\"alert('xss')\">"
NOTHING_INJECTED = "main script, main img, [onerror]"


def test_script_in_a_post_and_a_comment_shows_as_text_and_no_alert_fires(
    browser, base_url, log_in_as, site
):
    title = f"{unique('Title')} {PAYLOAD}"
    log_in_as("poster")
    post = (
        PostEditorPage(browser, base_url)
        .open()
        .write(title=title, text=f"Before {PAYLOAD} after", tags="")
    )
    site.made_post(post.post_id(), "poster")
    post.add_comment("Mallory", PAYLOAD)

    # Read it as the next visitor does, on a fresh load of each page.
    post = PostPage(browser, base_url).open(post.path_now)
    assert not post.alert_is_open()
    assert post.title() == title
    assert PAYLOAD in post.comment_texts()[0]
    # Markdown's raw HTML is sanitised away; the words around it stay.
    assert post.body().text.startswith("Before")
    assert post.body().text.endswith("after")
    assert not browser.find_elements(By.CSS_SELECTOR, NOTHING_INJECTED)

    home = HomePage(browser, base_url).open()
    assert not home.alert_is_open()
    assert title in home.titles()
    assert not browser.find_elements(By.CSS_SELECTOR, NOTHING_INJECTED)
