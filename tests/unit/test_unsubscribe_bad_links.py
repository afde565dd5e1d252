"""An unsubscribe link the site signed that names no list or no user (an older or broken
payload: a key missing, an id that is not a number) is a 400 page, never a 500, and
changes nothing; only RFC 8058's exact one-click value stands in for the CSRF token."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

from app.notifications.unsubscribe import NOT_VALID, make_token
from tests.support.html import get_page
from tests.unit.test_unsubscribe import ann, stored  # noqa: F401 (a fixture)


@pytest.mark.parametrize(
    "payload",
    [
        {"uid": 1},
        {"list": "digest"},
        {"uid": "ann", "list": "digest"},
        {"uid": None, "list": "digest"},
    ],
    ids=["no-list", "no-user", "uid-not-a-number", "uid-none"],
)
def test_a_signed_link_without_a_list_or_a_user_id_is_a_400_page(app, client, ann, payload):  # noqa: F811
    token = URLSafeSerializer(app.config["SECRET_KEY"], salt="unsubscribe").dumps(payload)
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400
        assert NOT_VALID in response.get_data(as_text=True)
    assert stored(ann) == (True, True)


def test_another_one_click_value_is_refused_without_the_csrf_token(client, ann, csrf_on):  # noqa: F811
    url = f"/unsubscribe/{make_token(ann, 'digest')}"
    response = client.post(url, data={"List-Unsubscribe": "Two-Clicks"})
    assert response.status_code == 400
    assert "Stop the weekly digest?" in get_page(client, url).get_text(" ", strip=True)
    assert stored(ann) == (True, True)
