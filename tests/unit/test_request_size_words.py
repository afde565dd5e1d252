"""How the 413 pages say sizes (2 MiB, 512 KiB, 19.1 MiB: never 1.02e+03 KiB), and that a
body of exactly MAX_CONTENT_LENGTH is read while one byte more is refused."""

from __future__ import annotations

import pytest

from app.request_shapes import size
from tests.factories import PostFactory


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (2 * 1024 * 1024, "2 MiB"),
        (20_000_000, "19.1 MiB"),
        (1000 * 1024 * 1024, "1000 MiB"),
        (1023488, "1000 KiB"),
        (1024 * 1024, "1 MiB"),
        (1024 * 1024 - 1, "1024 KiB"),
        (1000 * 1024, "1000 KiB"),
        (512 * 1024, "512 KiB"),
        (1536, "1.5 KiB"),
    ],
)
def test_sizes_read_as_people_read_them(length, said):
    assert size(length) == said


def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(client, app, monkeypatch):
    post = PostFactory()
    form = {"name": "Eve", "text": "x"}
    exact = len("name=Eve&text=x")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", exact)
    assert client.post(f"/blog/post/{post.id}", data=form).status_code == 302
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", exact - 1)
    refused = client.post(f"/blog/post/{post.id}", data=form)
    assert refused.status_code == 413
    assert "This request is 0.0146 KiB; this site takes at most 0.0137 KiB" in refused.get_data(
        as_text=True
    )
