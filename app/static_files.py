"""Static files under names that change with their content, so browsers may keep them a year.

``url_for("static", ...)`` and Bootstrap-Flask's ``url_for("bootstrap.static", ...)`` get
``?v=<hash of the file's content>``; a request whose ``v`` is the file's current hash is
answered with ``Cache-Control: public, max-age=31536000, immutable``. A changed file gets a
new URL, which no browser has cached; an old or missing ``v`` gets Flask's usual
revalidation (``no-cache`` with an ETag), never a year of a file that may have changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, request
from flask.wrappers import Response
from werkzeug.security import safe_join

VERSIONED_ENDPOINTS = frozenset({"static", "bootstrap.static"})
LONG_LIVED = "public, max-age=31536000, immutable"


def init_app(app: Flask) -> None:
    app.url_defaults(add_version)
    app.after_request(long_lived_when_versioned)


def static_folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    return current_app.blueprints["bootstrap"].static_folder


@lru_cache(maxsize=256)
def content_hash(path: str, mtime_ns: int, size: int) -> str:
    """The file's hash, read once per (path, mtime, size): an edited file is hashed again."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def version_of(endpoint: str, filename: str) -> str | None:
    """The ``v`` of a static file, or None when there is no such file."""
    path = safe_join(static_folder(endpoint) or "", filename)
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return content_hash(path, found.st_mtime_ns, found.st_size)


def add_version(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint in VERSIONED_ENDPOINTS and "v" not in values:
        version = version_of(endpoint, str(values.get("filename", "")))
        if version is not None:
            values["v"] = version


def long_lived_when_versioned(response: Response) -> Response:
    if request.endpoint in VERSIONED_ENDPOINTS and response.status_code in (200, 304):
        asked = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if asked and asked == version_of(request.endpoint, filename):
            response.headers["Cache-Control"] = LONG_LIVED
    return response
