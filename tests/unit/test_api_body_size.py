"""How large a JSON body the API reads: 2 MiB (README, Limits), room for the longest post
however its characters are escaped."""

from __future__ import annotations

import json

import pytest

from app.models import POST_TEXT_MAX
from tests.support.api import admin_headers, assert_json_error

LIMIT = 2 * 1024 * 1024


def post_body(size: int) -> bytes:
    """A new post whose JSON is ``size`` bytes long (its text far over POST_TEXT_MAX)."""
    empty = json.dumps({"title": "Big", "text": ""}).encode()
    return json.dumps({"title": "Big", "text": "x" * (size - len(empty))}).encode()


def send(client, body: bytes):
    return client.post(
        "/api/post", data=body, content_type="application/json", headers=admin_headers()
    )


@pytest.mark.parametrize(("size", "status"), [(LIMIT, 422), (LIMIT + 1, 413)])
def test_a_body_up_to_two_mib_is_read_and_one_byte_more_is_413(client, size, status):
    """Two MiB are read and judged (the text is too long: 422); a byte more is not read."""
    body = post_body(size)
    assert len(body) == size
    assert_json_error(send(client, body), status)


def test_the_longest_post_fits_with_every_character_escaped(client):
    """JSON may escape any character; an astral one takes 12 bytes (two \\uXXXX)."""
    body = json.dumps({"title": "Longest", "text": "\U0001f600" * POST_TEXT_MAX})
    assert len(body) > 12 * POST_TEXT_MAX
    response = send(client, body.encode())
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
