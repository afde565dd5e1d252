"""Every response carries the security headers a browser enforces: a Content-Security-Policy
that allows only this site's own files, no framing, no MIME sniffing, a same-origin Referer,
a Permissions-Policy that turns off what a blog never uses, and HSTS under ProdConfig only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from app.blog.routes import NewestFirstPagination
from app.config import CHEAP_ARGON2
from app.extensions import db
from app.models import Tag
from tests.factories import PostFactory
from tests.support.html import get_page, hrefs

STRONG_KEY = "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Bootstrap's CSS draws its form controls' checkmarks and arrows with data: SVGs.
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
UNUSED_FEATURES = {
    "browsing-topics", "camera", "geolocation", "microphone", "payment", "usb",
}  # fmt: skip
HSTS_ONE_YEAR = "max-age=31536000"


def _stage_a_bad_row_then_fail(*args: object, **kwargs: object) -> NoReturn:
    """A query that fails with a row the database would refuse pending in the session."""
    db.session.add(Tag(title=""))
    raise ZeroDivisionError


def csp_directives(response: TestResponse) -> dict[str, list[str]]:
    """The policy as a browser reads it: directive name -> its source expressions."""
    directives: dict[str, list[str]] = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name.lower() not in directives, f"{name} given twice: browsers use the first"
        directives[name.lower()] = sources
    return directives


def permissions(response: TestResponse) -> dict[str, str]:
    """``camera=(), usb=()`` -> ``{"camera": "()", "usb": "()"}``."""
    features = {}
    for item in response.headers["Permissions-Policy"].split(","):
        feature, _, allowlist = item.strip().partition("=")
        features[feature] = allowlist
    return features


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("secret internals")


def _failing_home(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(
        NewestFirstPagination,
        "_query_items",
        _stage_a_bad_row_then_fail,
    )
    return client.get("/blog/")


def _failing_api(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("app.api.posts.post_or_404", _broken)
    return client.get(f"/api/post/{PostFactory().id}")


def _forged_form(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return client.post("/logout", data={"csrf_token": "forged"})


def _bootstrap_css(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    [bootstrap] = [url for url in hrefs(get_page(client, "/blog/"), "link") if "bootstrap" in url]
    return client.get(bootstrap)


# Each kind of response the site sends, with the status that proves it is that kind.
Request = Callable[[FlaskClient, Flask, pytest.MonkeyPatch], Any]
RESPONSES: dict[str, tuple[int, Request]] = {
    "page": (200, lambda client, *_: client.get("/blog/")),
    "redirect": (302, lambda client, *_: client.get("/")),
    "not-found page": (404, lambda client, *_: client.get("/no/such/page")),
    "method-not-allowed page": (405, lambda client, *_: client.post("/blog/")),
    "csrf-failure page": (400, _forged_form),
    "server-error page": (500, _failing_home),
    "api response": (200, lambda client, *_: client.get("/api/post")),
    "api openapi document": (200, lambda client, *_: client.get("/api/openapi.json")),
    "api not-found error": (404, lambda client, *_: client.get("/api/post/4242")),
    "api server error": (500, _failing_api),
    "static file": (200, lambda client, *_: client.get("/static/css/blog.css")),
    "bootstrap file": (200, _bootstrap_css),
}


@pytest.fixture(params=list(RESPONSES), ids=list(RESPONSES))
def response(
    request: pytest.FixtureRequest,
    client: FlaskClient,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TestResponse]:
    status, make = RESPONSES[request.param]
    answer = make(client, app, monkeypatch)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    yield answer
    answer.close()


def test_every_response_allows_only_the_sites_own_files(response):
    assert csp_directives(response) == EXPECTED_CSP


def test_the_policy_allows_no_inline_code_and_no_other_origin(response):
    """An injected ``<script>`` or ``style=`` cannot run, and nothing loads from elsewhere."""
    for directive, sources in csp_directives(response).items():
        for source in sources:
            assert source in ("'self'", "'none'", "data:"), f"{directive} allows {source}"


def test_every_response_refuses_to_be_framed(response):
    """Clickjacking: frame-ancestors for current browsers, X-Frame-Options for older ones."""
    assert response.headers["X-Frame-Options"] == "DENY"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


def test_every_response_forbids_mime_sniffing(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_response_sends_no_referer_to_other_sites(response):
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_response_turns_off_browser_features_a_blog_never_uses(response):
    features = permissions(response)
    assert set(features) >= UNUSED_FEATURES
    assert set(features.values()) == {"()"}


def test_no_response_of_the_test_config_asks_for_https(response):
    assert "Strict-Transport-Security" not in response.headers


@pytest.fixture(scope="module")
def prod_app() -> Flask:
    """One app under the prod config for the tests of its headers (they only read)."""
    return create_app(
        "prod",
        environ={"SECRET_KEY": STRONG_KEY},
        overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://", "ARGON2_PARAMS": CHEAP_ARGON2},
    )


@pytest.mark.parametrize("url", ["/blog/", "/no/such/page", "/api/post", "/static/css/blog.css"])
def test_prod_tells_browsers_to_use_https_for_a_year(prod_app, url):
    with prod_app.test_client().get(url, base_url="https://localhost") as response:
        assert response.headers["Strict-Transport-Security"] == HSTS_ONE_YEAR


def test_prod_behind_a_tls_proxy_sends_hsts_on_requests_forwarded_from_https(prod_app):
    """TLS ends at the proxy, which tells the app the scheme the browser used."""
    response = prod_app.test_client().get("/blog/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == HSTS_ONE_YEAR


def test_prod_never_redirects_plain_http_itself(prod_app):
    """Redirecting to https is the proxy's job: the app only ever sees plain http from it."""
    response = prod_app.test_client().get("/blog/")
    assert response.status_code == 200


@pytest.mark.parametrize("config", ["dev", "test", "ui-test"])
def test_other_configs_never_send_hsts(config):
    """A developer's browser would otherwise refuse plain http to localhost for a year."""
    app = create_app(config, environ={}, overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    response = app.test_client().get("/blog/", base_url="https://localhost")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("config", ["dev", "ui-test"])
def test_session_cookie_works_over_plain_http_outside_prod(config):
    """The login page puts its CSRF token in the session; over http the cookie must not be
    Secure, or the browser would drop it and every form would fail."""
    app = create_app(config, environ={}, overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    # Talisman would switch the cookie to Secure at the first request, not at startup.
    app.test_client().get("/blog/")
    response = app.test_client().get("/login")
    [cookie] = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("session=")
    assert "Secure" not in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
