"""What a client is told when the API refuses it: the WWW-Authenticate challenge of each kind
of 401 (RFC 6750), and the message of a 422."""

from __future__ import annotations

from werkzeug.datastructures import WWWAuthenticate

from app.api.tokens import issue_token
from tests.factories import AdminFactory

NEW_POST = {"title": "Hello", "text": "Some text", "tags": []}


def challenge(response) -> tuple[str, dict[str, str]]:
    """The scheme and parameters of the response's WWW-Authenticate header."""
    parsed = WWWAuthenticate.from_header(response.headers["WWW-Authenticate"])
    assert parsed is not None, "the response has a WWW-Authenticate header"
    return parsed.type, {name: value or "" for name, value in parsed.parameters.items()}


NEEDS_TOKEN = (
    "This needs a token: send 'Authorization: Bearer <token>' (get one from POST /api/auth)."
)


def test_a_write_without_a_token_is_challenged_for_one_without_naming_an_error(client):
    """No credentials at all: RFC 6750 says the challenge names no error."""
    response = client.post("/api/post", json=NEW_POST)
    assert response.status_code == 401
    assert challenge(response) == ("bearer", {"realm": "api"})
    assert response.get_json()["message"] == NEEDS_TOKEN


def test_a_header_of_another_scheme_is_told_to_send_a_bearer_token(client):
    response = client.post("/api/post", json=NEW_POST, headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401
    assert challenge(response) == ("bearer", {"realm": "api"})
    assert response.get_json()["message"] == NEEDS_TOKEN


def test_a_token_that_is_not_valid_is_challenged_with_invalid_token(client):
    response = client.post("/api/post", json=NEW_POST, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert challenge(response) == ("bearer", {"realm": "api", "error": "invalid_token"})
    assert response.get_json()["message"] != NEEDS_TOKEN


def test_a_read_with_a_token_that_is_not_valid_is_refused_too(client):
    response = client.get("/api/post", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert challenge(response) == ("bearer", {"realm": "api", "error": "invalid_token"})


def test_the_scheme_is_case_insensitive_and_spaces_around_the_token_are_ignored(client):
    """RFC 7235: the auth scheme is case-insensitive."""
    token = issue_token(AdminFactory())
    response = client.post(
        "/api/post", json=NEW_POST, headers={"Authorization": f"bEaReR  {token} "}
    )
    assert response.status_code == 201


def test_a_422_says_to_look_at_the_fields_and_names_them(client):
    token = issue_token(AdminFactory())
    response = client.post(
        "/api/post", json={"title": "", "text": "x"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "The request has invalid fields; see errors."
    assert body["status"] == "Unprocessable Entity"
    assert "title" in body["errors"]["json"]


def test_an_error_without_field_messages_keeps_its_own_message(client):
    response = client.get("/api/post/4242")
    assert response.status_code == 404
    body = response.get_json()
    assert body["errors"] == {}
    assert "4242" in body["message"]
    assert body["status"] == "Not Found"


def test_a_body_that_is_not_json_keeps_the_400s_own_message(client):
    """Only a 422 sends the client to the field messages; a body that cannot be read is a
    400 saying so."""
    token = issue_token(AdminFactory())
    response = client.post(
        "/api/post",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["errors"] == {"json": ["Invalid JSON body."]}
    assert body["message"] != "The request has invalid fields; see errors."
    assert body["status"] == "Bad Request"
