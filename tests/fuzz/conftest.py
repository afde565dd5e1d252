"""The schemathesis run against the app in-process: data, a token, and request counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from flask import Flask, Response, request, request_finished
from flask.testing import FlaskClient

from app.api.tokens import issue_token
from tests.factories import AdminFactory, CommentFactory, PostFactory

COUNTS: Counter[str] = Counter()
UNLIMITED = "1000000 per minute"
# The current test's client and its admin's Bearer token. Autouse, not test arguments:
# hypothesis rightly warns about function-scoped fixtures shared by generated examples, and
# here sharing them is the point (one operation's requests build on one database state).
CURRENT: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def blog_data(
    app: Flask,
    client: FlaskClient,
    isolated_example: Callable[[], AbstractContextManager[None]],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    """An admin's token for secured operations, and posts and comments for ids to find;
    every request the app serves is counted. Thousands of writes from one address would
    otherwise meet the API's rate limit (a documented 429) instead of its logic."""
    monkeypatch.setitem(app.config, "API_WRITE_RATE_LIMIT", UNLIMITED)
    admin = AdminFactory(username="fuzz-admin")
    for post in PostFactory.create_batch(3, user=admin):
        CommentFactory.create_batch(2, post=post)
    CURRENT.update(client=client, token=issue_token(admin), isolated=isolated_example)

    def count(sender: Flask, response: Response, **extra: Any) -> None:
        COUNTS["requests"] += 1
        COUNTS[f"{request.method} {response.status_code}"] += 1

    # Any app: the checks' probes may go to the app the document was read from.
    request_finished.connect(count)
    try:
        yield
    finally:
        request_finished.disconnect(count)
        CURRENT.clear()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(
        f"api-fuzz: {COUNTS['cases']} generated test cases "
        f"({COUNTS['workflow steps']} of them workflow steps), "
        f"{COUNTS['requests']} requests served (the checks' own probes included)"
    )
    by_status = ", ".join(f"{key}: {n}" for key, n in sorted(COUNTS.items()) if key[0].isupper())
    terminalreporter.write_line(f"api-fuzz responses: {by_status}")
