"""Property: any JSON body to a write endpoint is accepted as given or refused, never a 500,
and a refused request leaves every row of the database as it was."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.factories import AdminFactory, CommentFactory
from tests.support.api import bearer, token_for
from tests.support.database import database_rows

# Lone surrogates (JSON carries them as \ud800 escapes), NUL and blanks, which hypothesis
# rarely draws on its own.
any_char = (
    st.characters(exclude_categories=())
    | st.characters(categories=["Cs"])
    | st.sampled_from("\x00\t\n\r ")
)
# Built from lists: st.text() drops surrogates whatever the alphabet.
any_text = st.lists(any_char, max_size=80).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | any_text
any_json = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)

pytestmark = pytest.mark.postgresql


def bodies(fields: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Objects with the endpoint's fields as the right types (many valid), with junk in
    them, or any JSON at all."""
    plausible = {
        field: st.lists(st.text(max_size=70), max_size=4)
        if field == "tags"
        else st.text() | any_text
        for field in fields
    }
    junk = {field: value | any_text | any_json for field, value in plausible.items()}
    return (
        st.fixed_dictionaries({}, optional=plausible)
        | st.fixed_dictionaries({}, optional=junk)
        | any_json
    )


# (method, URL template, its fields, status when accepted, fields echoed back as given)
WRITES = [
    ("POST", "/api/post", ("title", "text", "tags"), 201, ("title", "text")),
    ("PUT", "/api/post/{post}", ("title", "text", "tags"), 200, ("title", "text")),
    ("POST", "/api/post/{post}/comments", ("name", "text"), 201, ("name", "text")),
    ("PUT", "/api/comments/{comment}", ("name", "text"), 200, ("name", "text")),
    ("POST", "/api/auth", ("username", "password"), 200, ()),
]


class Targets(NamedTuple):
    ids: dict[str, int]
    headers: dict[str, str]
    rows: dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def targets() -> Targets:
    """A comment on a post (the URLs' ids), an admin's headers, and every row as each example
    finds them: made once for every example, whose changes are rolled back."""
    comment = CommentFactory()
    ids = {"post": comment.post_id, "comment": comment.id}
    return Targets(ids, bearer(token_for(AdminFactory())), database_rows())


@pytest.mark.parametrize(("method", "url", "fields", "accepted", "echoed"), WRITES, ids=str)
@given(data=st.data())
def test_any_json_body_is_accepted_as_given_or_refused_without_a_change(
    client, isolated_example, targets, method, url, fields, accepted, echoed, data
):
    payload = json.dumps(data.draw(bodies(fields), label="body"))
    # What the server reads: two escaped surrogates that form a pair read as one character.
    body = json.loads(payload)
    with isolated_example():
        response = client.open(
            url.format(**targets.ids),
            method=method,
            data=payload,
            content_type="application/json",
            headers=targets.headers,
        )
        event(f"status {response.status_code}")
        assert response.status_code < 500
        assert response.mimetype == "application/json"
        if response.status_code == accepted:
            for field in echoed:
                if field in body:
                    assert response.get_json()[field] == body[field]
        else:
            assert 400 <= response.status_code < 500
            assert set(response.get_json()) == {"code", "status", "message", "errors"}
            assert database_rows() == targets.rows
