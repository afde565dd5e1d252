"""/api/openapi.json is pinned: any change to what the API documents (paths, parameters,
schemas, security, responses) shows up as a diff of tests/unit/snapshots/openapi.json.

After a change that is meant, write the new document and review its diff:
``UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/unit/test_api_openapi_snapshot.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def test_the_openapi_document_is_the_one_pinned(client):
    served = client.get("/api/openapi.json").get_json()
    text = json.dumps(served, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API's OpenAPI document changed; if meant, run with UPDATE_SNAPSHOTS=1 and review"
        " the diff of tests/unit/snapshots/openapi.json"
    )
