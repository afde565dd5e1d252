"""Flask-DebugToolbar (the book's chapter 10): a panel of the request's SQL, templates,
headers, config and timings on every page, under the dev config only (``DEBUG_TB_ENABLED``).

It writes an inline script and style attributes into each page, which the site's policy
forbids: under the dev config alone, app.security_headers allows inline code.
"""

from __future__ import annotations

from flask import Flask
from flask_debugtoolbar import DebugToolbarExtension


def init_app(app: Flask) -> None:
    """Call after the compression's init_app, so the toolbar goes into a page before it is
    compressed, and before the caching's, so a page is stored without a toolbar and one sent
    from the cache gets a toolbar about its own request (after_request hooks run last
    registered first, before_request hooks first registered first)."""
    if app.config["DEBUG_TB_ENABLED"]:
        DebugToolbarExtension(app)
