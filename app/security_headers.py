"""Security headers on every response (pages, errors, the JSON API, static files), set by
Flask-Talisman in an ``after_request`` hook so error handlers' responses get them too.

The Content-Security-Policy allows only this site's own files: no inline code, no other
origin. The templates keep to that (Bootstrap and the site's CSS and JS are served from
``/static`` and ``/bootstrap/static``); ``tests/unit/test_pages_csp.py`` checks the pages and
the Selenium flows fail on any violation the browser reports.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Bootstrap's CSS draws checkboxes, selects and the alerts' close button as data: SVGs.
    "img-src": "'self' data:",
    "object-src": "'none'",
    # Neither falls back to default-src: an injected <base> or form could point elsewhere.
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Flask-DebugToolbar (app.debug_toolbar, dev config only) writes an inline script (where its
# files are) and style attributes into each page.
DEBUG_TOOLBAR_POLICY: dict[str, str] = CONTENT_SECURITY_POLICY | {
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
}

# Features a blog never uses, off for the page and anything it might embed. Chromium logs an
# error on every page for a name it does not know (tests/ui/test_browser_policies.py). FLoC's
# interest-cohort is left out: withdrawn in 2022, replaced by browsing-topics.
UNUSED_FEATURES = (
    "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
    "hid", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
)  # fmt: skip
PERMISSIONS_POLICY: dict[str, str] = dict.fromkeys(UNUSED_FEATURES, "()")

# Same-origin pages get the full Referer (Flask-WTF checks it on HTTPS form posts); the
# sites that posts and comments link to get none, so no reader's path through the blog
# (which post, which author, which tag) leaks to them.
REFERRER_POLICY = "same-origin"

HSTS_MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    # One Talisman per app: it keeps its settings on itself, and tests build apps of
    # several configs in one process.
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=(
            DEBUG_TOOLBAR_POLICY if app.config["DEBUG_TB_ENABLED"] else CONTENT_SECURITY_POLICY
        ),
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy=REFERRER_POLICY,
        frame_options="DENY",
        x_content_type_options=True,
        # TLS ends at the proxy in front of the app, which redirects plain http itself: here
        # every request is plain http, and a redirect would loop.
        force_https=False,
        # Sent only on https requests (or ones the proxy marks X-Forwarded-Proto: https).
        # Only under ProdConfig: a browser would refuse http://localhost for a year after.
        strict_transport_security=app.config["HSTS_ENABLED"],
        strict_transport_security_max_age=HSTS_MAX_AGE,
        # The blog cannot know what else runs on its domain's subdomains.
        strict_transport_security_include_subdomains=False,
        # Talisman would overwrite these with its own defaults (Secure from the first request
        # on, breaking every session over plain http in development and the UI tests).
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
