"""The browser takes the site's security headers as meant (they are set in
app/security_headers.py; tests/unit/test_security_headers.py checks their values)."""

from __future__ import annotations

from tests.ui.pages import Page


def test_the_browser_knows_every_feature_the_permissions_policy_turns_off(
    browser, base_url, browser_console
):
    """Chromium ignores a feature it does not know and logs an error for it on every page."""
    Page(browser, base_url).open("/blog/")
    errors = [
        entry["message"]
        for entry in browser_console.read()
        if "Permissions-Policy" in entry.get("message", "")
    ]
    assert errors == []
