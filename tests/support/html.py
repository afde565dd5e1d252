"""Reading pages the way a visitor sees them: parsed HTML queried with CSS selectors."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def get_page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    """The page at ``url``, parsed, after checking it answered ``status``."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return parse(response.get_data(as_text=True))


def text_of(soup: Tag, selector: str) -> list[str]:
    """The visible text of each element ``selector`` matches, whitespace collapsed."""
    return [" ".join(element.get_text(" ").split()) for element in soup.select(selector)]


def hrefs(soup: Tag, selector: str) -> list[str]:
    return [str(element["href"]) for element in soup.select(selector)]


def textarea_value(soup: Tag, selector: str) -> str:
    """What a browser shows in the textarea: HTML drops one line break right after the tag."""
    text = one(soup, selector).get_text()
    for line_break in ("\r\n", "\n"):
        if text.startswith(line_break):
            return text[len(line_break) :]
    return text


def form_controls(page: BeautifulSoup) -> dict[str, str]:
    """Each visible control of the page's forms by id, with what a visitor reads for it:
    the text of its label, or a button's caption."""
    controls: dict[str, str] = {}
    for control in page.select("main form input, main form textarea, main form button"):
        control_id = control.get("id")
        if control.get("type") == "hidden" or not isinstance(control_id, str):
            continue
        label = page.select_one(f'label[for="{control_id}"]')
        if label is not None:
            controls[control_id] = " ".join(label.get_text(" ").split())
        else:
            controls[control_id] = str(control.get("value") or control.get_text(strip=True))
    return controls


def one(soup: Tag, selector: str) -> Tag:
    """The first element ``selector`` matches; the test fails, naming it, when none does."""
    element = soup.select_one(selector)
    assert element is not None, f"Nothing on the page matches {selector!r}"
    return element
