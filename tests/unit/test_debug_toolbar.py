"""Flask-DebugToolbar (the book's chapter 10) under the dev config only: on every page there,
with the inline script and styles it needs allowed by that config's policy alone; never
loaded under the test, UI-test or production configs."""

from __future__ import annotations

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import CHEAP_ARGON2
from app.extensions import cache, db
from tests.factories import PostFactory
from tests.unit.test_security_headers import EXPECTED_CSP, STRONG_KEY, csp_directives

TOOLBAR_SCRIPT = "/_debug_toolbar/static/js/toolbar.js"
TOOLBAR_MARKUP = 'id="flDebug"'
NO_DATABASE_FILE = {"DATABASE_URL": "sqlite://"}


def app_of(config: str) -> Flask:
    environ = NO_DATABASE_FILE | ({"SECRET_KEY": STRONG_KEY} if config == "prod" else {})
    return create_app(config, environ=environ, overrides={"ARGON2_PARAMS": CHEAP_ARGON2})


@pytest.fixture(scope="module")
def dev_app() -> Flask:
    return app_of("dev")


@pytest.fixture
def dev_client(dev_app: Flask) -> FlaskClient:
    """A client of the module's dev app, whose page cache is emptied first."""
    with dev_app.app_context():
        cache.clear()
    return dev_app.test_client()


def test_dev_pages_carry_the_toolbar_and_its_files_are_served(dev_client):
    PostFactory(title="Hello")
    for url in ("/blog/", "/login"):
        page = dev_client.get(url).get_data(as_text=True)
        assert page.count(TOOLBAR_MARKUP) == 1
        assert f'src="{TOOLBAR_SCRIPT}"' in page
    with dev_client.get(TOOLBAR_SCRIPT) as script:
        assert script.status_code == 200
        assert script.mimetype == "text/javascript"


def test_the_toolbar_lists_the_sql_a_dev_page_ran(monkeypatch):
    app = app_of("dev")
    # The dev app's own session and in-memory database, not the test's shared connection:
    # Flask-SQLAlchemy records the statements of the app's engine.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with app.app_context():
        db.create_all()
        page = app.test_client().get("/blog/").get_data(as_text=True)
        db.session.remove()
    assert "SQLAlchemy" in page
    assert "FROM post" in page


def test_dev_redirects_are_not_intercepted(dev_client):
    """The toolbar's page between a form and where it leads would stop every login."""
    response = dev_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"


def test_the_dev_policy_lets_the_toolbars_inline_script_and_styles_run(dev_client):
    """The toolbar writes an inline script (where its files are) and style attributes; only
    under dev does the policy allow inline code, and nothing else is loosened."""
    directives = csp_directives(dev_client.get("/blog/"))
    assert directives == EXPECTED_CSP | {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    }


@pytest.mark.parametrize("config", ["test", "ui-test", "prod"])
def test_other_configs_have_no_toolbar_route_markup_or_inline_code(config):
    app = app_of(config)
    assert not [rule for rule in app.url_map.iter_rules() if "_debug_toolbar" in rule.rule]
    client = app.test_client()
    PostFactory(title="Hello")
    page = client.get("/blog/")
    assert page.status_code == 200
    assert "flDebug" not in page.get_data(as_text=True)
    assert csp_directives(page) == EXPECTED_CSP
    with client.get(TOOLBAR_SCRIPT) as script:
        assert script.status_code == 404


def test_a_page_from_the_cache_gets_this_requests_toolbar_and_none_stored_with_it(dev_client):
    """The page is stored before the toolbar goes in: a visitor without cookies gets the
    stored page with a toolbar about their own request (its headers panel shows theirs)."""
    PostFactory(title="Hello")
    first = dev_client.get("/blog/", headers={"User-Agent": "first-request"})
    again = dev_client.get("/blog/", headers={"User-Agent": "second-request"})
    assert dev_client.get_cookie("session") is None
    page = again.get_data(as_text=True)
    assert "Hello" in page
    assert page.count(TOOLBAR_MARKUP) == 1
    assert "second-request" in page
    assert "first-request" not in page
    assert "first-request" in first.get_data(as_text=True)


def test_the_toolbar_goes_in_before_the_page_is_compressed(dev_client):
    PostFactory(title="Hello")
    response = dev_client.get("/blog/", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert TOOLBAR_MARKUP in brotli.decompress(response.get_data()).decode()
