"""schemathesis: every operation of /api/openapi.json, with every check (ignored_auth too).

Fails on any server error, any response the document does not describe, and any secured
operation that answers without a valid token.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.accounts.throttle import login_throttle
from app.extensions import db
from app.models import INT_MAX, Comment, Post
from tests.fuzz.conftest import COUNTS, CURRENT, UNLIMITED

# The document comes from an app of its own (reading it needs no database); the requests go
# through the test client to the session's app, in the test's rolled-back transaction. Some
# checks probe the document's app, which must not meet the API's rate limit either.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app("test", environ={"API_WRITE_RATE_LIMIT": UNLIMITED})
)


@schema.auth(refresh_interval=None, retry_on=[])
class AdminBearerToken:
    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        # Also asked while collecting, before any test has its admin.
        token: str = CURRENT.get("token", "none-yet")
        return token

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook  # before_call hooks are global only; this session has one schema
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, **kwargs: Any) -> None:
    """Uncompressed answers: schemathesis's WSGI transport reads the body without decoding a
    Content-Encoding (tests/unit/test_compression.py covers the compressed JSON)."""
    case.headers["Accept-Encoding"] = "identity"


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    """Half the ids name rows that exist, so updates and deletes succeed too, not only 404."""
    return st.just(path_parameters) | st.just(existing_ids(path_parameters))


def existing_ids(path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not path_parameters:
        return path_parameters
    return {name: _existing_id(name, value) for name, value in path_parameters.items()}


def _existing_id(name: str, value: Any) -> Any:
    """Another valid id for a valid one; an invalid value (negative tests) stays as it is."""
    models: dict[str, type[Post] | type[Comment]] = {"post_id": Post, "comment_id": Comment}
    model = models.get(name)
    valid = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT_MAX
    if model is None or not valid:
        return value
    ids = db.session.scalars(select(model.id).order_by(model.id)).all()
    return ids[value % len(ids)] if ids else value


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    COUNTS["cases"] += 1
    case.call_and_validate(session=CURRENT["client"])


# A base class schemathesis builds from the document at run time, which mypy cannot follow.
class ApiWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of calls along the links schemathesis infers from the document (create a
    post, then read, change, comment on or delete it), so use_after_free and
    ensure_resource_availability get something to check.

    Each scenario starts from the fixture's rows and no failed logins counted: which links apply
    depends on earlier answers, so a scenario replayed on another database state would draw
    other data, and hypothesis rightly calls that flaky."""

    def setup(self) -> None:
        login_throttle().reset()
        self.isolation = CURRENT["isolated"]()
        self.isolation.__enter__()

    def teardown(self) -> None:
        self.isolation.__exit__(None, None, None)

    def before_call(self, case: schemathesis.Case) -> None:
        COUNTS["cases"] += 1
        COUNTS["workflow steps"] += 1
        super().before_call(case)

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {**super().get_call_kwargs(case), "session": CURRENT["client"]}


def test_api_workflows_conform_to_its_openapi_document() -> None:
    ApiWorkflow.run()
