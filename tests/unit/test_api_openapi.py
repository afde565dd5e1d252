"""The OpenAPI 3 document at /api/openapi.json describes every endpoint and its security."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import AUTH_STATES, headers_for

WRITES = {
    ("/api/post", "post"),
    ("/api/post/{post_id}", "put"),
    ("/api/post/{post_id}", "delete"),
    ("/api/post/{post_id}/comments", "post"),
    ("/api/comments/{comment_id}", "put"),
    ("/api/comments/{comment_id}", "delete"),
}


def spec(client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document: dict[str, Any] = response.get_json()
    return document


def test_openapi_document_lists_every_endpoint(client):
    document = spec(client)
    assert document["openapi"].startswith("3.")
    operations = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert operations == WRITES | {
        ("/api/auth", "post"),
        ("/api/post", "get"),
        ("/api/post/{post_id}", "get"),
        ("/api/post/{post_id}/comments", "get"),
        ("/api/comments/{comment_id}", "get"),
    }


def test_writes_require_bearer_auth_and_reads_accept_it(client):
    document = spec(client)
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if (path, method) in WRITES:
                assert operation["security"] == [{"bearerAuth": []}], (path, method)
                assert "401" in operation["responses"]
                commenting = (path, method) == ("/api/post/{post_id}/comments", "post")
                assert ("403" in operation["responses"]) is not commenting
            elif path != "/api/auth":
                assert operation["security"] == [{}, {"bearerAuth": []}], (path, method)


def test_error_schema_requires_all_four_fields(client):
    schemas = spec(client)["components"]["schemas"]
    assert sorted(schemas["Error"]["required"]) == ["code", "errors", "message", "status"]


def test_post_output_schema_has_only_public_fields(client):
    properties = spec(client)["components"]["schemas"]["Post"]["properties"]
    assert set(properties) == {
        "id", "title", "text", "html", "publish_date", "author", "tags", "comment_count", "links",
    }  # fmt: skip


@pytest.mark.parametrize("state", AUTH_STATES)
def test_openapi_document_is_public_in_every_auth_state(client, state):
    response = client.get("/api/openapi.json", headers=headers_for(state))
    assert response.status_code == 200
    assert "paths" in response.get_json()
