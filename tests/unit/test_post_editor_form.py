"""What the post editor's form tells and offers a writer beyond saving: which tag is too
long, and a text area tall enough to write in (saving and errors are in test_post_editor.py)."""

from __future__ import annotations

import string

from app.models import TAG_MAX
from tests.support.html import get_page, one, parse, text_of


def test_a_too_long_tag_error_names_the_first_such_tag_by_its_first_20_characters(
    client, log_in_as
):
    log_in_as("poster", username="writer")
    first = (string.ascii_lowercase * TAG_MAX)[: TAG_MAX + 1]
    second = "z" * (TAG_MAX + 5)
    response = client.post(
        "/blog/new", data={"title": "A title", "text": "Text", "tags": f"fine, {first}, {second}"}
    )
    assert response.status_code == 422
    assert text_of(parse(response.get_data(as_text=True)), ".invalid-feedback") == [
        f"Each tag must be at most {TAG_MAX} characters; shorten 'abcdefghijklmnopqrst'..."
    ]


def test_the_text_area_is_twelve_rows_tall(client, log_in_as):
    log_in_as("poster", username="writer")
    assert one(get_page(client, "/blog/new"), "textarea#text")["rows"] == "12"
