"""Reading pages the way a visitor sees them: parsed HTML queried with CSS selectors."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def get_page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    """The page at ``url``, parsed, after checking it answered ``status``."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return parse(response.get_data(as_text=True))


def text_of(soup: BeautifulSoup, selector: str) -> list[str]:
    """The visible text of each element ``selector`` matches, whitespace collapsed."""
    return [" ".join(element.get_text(" ").split()) for element in soup.select(selector)]


def hrefs(soup: BeautifulSoup, selector: str) -> list[str]:
    return [str(element["href"]) for element in soup.select(selector)]


def textarea_value(soup: BeautifulSoup, selector: str) -> str:
    """What a browser shows in the textarea: HTML drops one line break right after the tag."""
    text = soup.select_one(selector).get_text()
    for line_break in ("\r\n", "\n"):
        if text.startswith(line_break):
            return text[len(line_break) :]
    return text


def form_controls(page: BeautifulSoup) -> dict[str, str]:
    """Each visible control of the page's forms by id, with what a visitor reads for it:
    the text of its label, or a button's caption."""
    controls = {}
    for control in page.select("main form input, main form textarea, main form button"):
        if control.get("type") == "hidden" or not control.get("id"):
            continue
        label = page.select_one(f'label[for="{control["id"]}"]')
        if label is not None:
            controls[control["id"]] = " ".join(label.get_text(" ").split())
        else:
            controls[control["id"]] = control.get("value") or control.get_text(strip=True)
    return controls
