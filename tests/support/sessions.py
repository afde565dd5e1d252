"""Logging test clients in: through the real login form, or straight into the session."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from app.models import User
from tests.factories.models import DEFAULT_PASSWORD


def submit_login(
    client: FlaskClient,
    username: str,
    password: str = DEFAULT_PASSWORD,
    *,
    remember: bool = False,
    query: str = "",
    address: str = "127.0.0.1",
) -> Any:
    """POST the login form as a browser at ``address`` would; ``query`` is e.g. ``?next=/x``."""
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login" + query, data=data, environ_base={"REMOTE_ADDR": address})


def log_in_session(client: FlaskClient, user: User | str) -> None:
    """Put ``user`` (or the user of that ``get_id()``) in the client's session without the
    form (for tests about other pages)."""
    with client.session_transaction() as session:
        session["_user_id"] = user if isinstance(user, str) else user.get_id()
        session["_fresh"] = True


def session_data(client: FlaskClient) -> dict[str, Any]:
    """What the client's session cookie holds now."""
    with client.session_transaction() as session:
        return dict(session)


def csrf_token_from(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, "the page has a form with a CSRF token"
    return found.group(1)
