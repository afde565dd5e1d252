"""The pages that list and show posts: home, a post with its comments, tag and user pages."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC

from tests.ui.pages.base import Locator, Page

POST_TITLES = (By.CSS_SELECTOR, "article.post h2 a")
NEXT = (By.CSS_SELECTOR, 'nav[aria-label="Pagination"] a[rel="next"]')
PREV = (By.CSS_SELECTOR, 'nav[aria-label="Pagination"] a[rel="prev"]')


class PostListPage(Page):
    """A list of post summaries with a pager: home, a tag's page, a user's page."""

    def titles(self) -> list[str]:
        return [link.text for link in self.find_all(POST_TITLES)]

    def open_post(self, title: str) -> PostPage:
        """Follow the post's title link in its summary."""
        link = self.post_article(title).find_element(By.CSS_SELECTOR, "h2 a")
        self.click_away(link)
        return PostPage(self.driver, self.base_url).loaded()

    def next_page(self) -> PostListPage:
        return self._follow(NEXT)

    def previous_page(self) -> PostListPage:
        return self._follow(PREV)

    def has_next(self) -> bool:
        return bool(self.find_all(NEXT))

    def has_previous(self) -> bool:
        return bool(self.find_all(PREV))

    def _follow(self, locator: Locator) -> PostListPage:
        return self._go(self.find(locator))

    def _go(self, link: WebElement) -> PostListPage:
        """Click a link to another list and wait until that list has replaced this one."""
        self.click_away(link)
        return PostListPage(self.driver, self.base_url).loaded()

    def post_article(self, title: str) -> WebElement:
        """The summary of the post with this title on the current page."""
        articles = self.find_all((By.CSS_SELECTOR, "article.post"))
        for article in articles:
            if article.find_element(By.CSS_SELECTOR, "h2 a").text == title:
                return article
        raise AssertionError(f"no post {title!r} on {self.path_now}: {self.titles()}")

    def follow_tag(self, title: str, in_post: str) -> PostListPage:
        link = self.post_article(in_post).find_element(By.LINK_TEXT, title)
        return self._go(link).wait_for_heading(title)

    def follow_author(self, in_post: str) -> PostListPage:
        link = self.post_article(in_post).find_element(By.CSS_SELECTOR, "a.author")
        username = link.text
        return self._go(link).wait_for_heading(username)

    def wait_for_heading(self, text: str) -> PostListPage:
        self.wait().until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))
        return self


class HomePage(PostListPage):
    path = "/blog/"

    def open_root(self) -> HomePage:
        """Open ``/`` and follow its redirect to the blog home."""
        return self.open("/")


class PostPage(Page):
    ready = (By.CSS_SELECTOR, "article.post-full h1")

    def open_id(self, post_id: int) -> PostPage:
        return self.open(f"/blog/post/{post_id}")

    def post_id(self) -> int:
        """The id of the post shown, from the page's URL."""
        return int(self.path_now.removeprefix("/blog/post/").partition("#")[0])

    def title(self) -> str:
        return self.find(self.ready).text

    def body(self) -> WebElement:
        return self.find((By.CSS_SELECTOR, "article.post-full .post-body"))

    def tags(self) -> list[str]:
        return [link.text for link in self.find_all((By.CSS_SELECTOR, "article.post-full a.tag"))]

    def comments(self) -> list[WebElement]:
        return self.find_all((By.CSS_SELECTOR, "div.comment"))

    def comment_texts(self) -> list[str]:
        return [comment.text for comment in self.comments()]

    def add_comment(self, name: str, text: str) -> PostPage:
        self.fill("name", name)
        self.fill("text", text)
        self.submit()
        return self.loaded()

    def edit_link(self, post_id: int) -> Locator:
        return (By.CSS_SELECTOR, f'a[href$="/blog/edit/{post_id}"]')

    def delete(self) -> None:
        """Press the post's delete button (a POST form) and wait for the page after it."""
        self.click_away(self.find((By.CSS_SELECTOR, 'form[action*="/blog/delete/"] button')))
        Page(self.driver, self.base_url).loaded()
