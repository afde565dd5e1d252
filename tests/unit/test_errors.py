"""Every error has its own page in the site's layout, and no traceback is ever shown."""

from __future__ import annotations

from typing import NoReturn

import pytest

from app.blog.routes import NewestFirstPagination
from app.extensions import db
from app.models import Tag
from tests.factories import PostFactory
from tests.support.html import get_page, one, parse, text_of


def _stage_a_bad_row_then_fail(*args: object, **kwargs: object) -> NoReturn:
    """A query that fails with a row the database would refuse pending in the session."""
    db.session.add(Tag(title=""))
    raise ZeroDivisionError


def test_unknown_url_gets_the_not_found_page_in_the_site_layout(client):
    page = get_page(client, "/no/such/page", status=404)
    assert text_of(page, "h1") == ["404 Not Found"]
    assert text_of(page, "nav .navbar-brand") == ["Mastering Flask Blog"]
    assert one(page, "main a.btn")["href"] == "/blog/"


def test_wrong_method_gets_the_method_not_allowed_page_with_the_allowed_ones(client):
    response = client.post("/blog/")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.mimetype == "text/html"
    assert text_of(parse(response.get_data(as_text=True)), "h1") == ["405 Method Not Allowed"]


def test_forbidden_gets_its_own_page_in_the_site_layout(client, log_in_as):
    """A reader without the poster role asks for the post editor."""
    log_in_as("default", username="reader")
    page = get_page(client, "/blog/new", status=403)
    assert text_of(page, "h1") == ["403 Forbidden"]
    assert "reader" in text_of(page, "nav.navbar .username")
    assert "Traceback" not in page.get_text()


@pytest.fixture
def failing_home(app, monkeypatch):
    """The home page fails the way a bug does, and Flask handles it as in production."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken_page(*args, **kwargs):
        # A failed flush leaves the session unusable until it is rolled back.
        db.session.add(Tag(title=""))
        db.session.flush()

    monkeypatch.setattr(NewestFirstPagination, "_query_items", broken_page)


@pytest.mark.usefixtures("failing_home")
def test_server_error_gets_its_page_without_any_traceback(client):
    response = client.get("/blog/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert text_of(parse(html), "h1") == ["500 Internal Server Error"]
    assert "Traceback" not in html
    assert "IntegrityError" not in html
    assert "CHECK constraint" not in html


def test_after_a_server_error_the_database_session_works_again(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    with monkeypatch.context() as patch:
        patch.setattr(
            NewestFirstPagination,
            "_query_items",
            _stage_a_bad_row_then_fail,
        )
        assert client.get("/blog/").status_code == 500
    PostFactory(title="Still here")
    assert text_of(get_page(client, "/blog/"), "article.post h2") == ["Still here"]


def test_a_logged_in_users_server_error_page_is_in_the_site_layout_with_their_name(
    client, monkeypatch, app, log_in_as
):
    """The page reads who is logged in for the navbar: the failed request's pending row must
    be gone by then, or the page itself fails."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    log_in_as("poster", username="alice")
    # Fails before the view reads who is logged in: the page reads it after the failure.
    monkeypatch.setattr("app.blog.routes.newest_posts_page", _stage_a_bad_row_then_fail)
    response = client.get("/blog/")
    assert response.status_code == 500
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["500 Internal Server Error"]
    assert text_of(page, "nav.navbar .nav-account a.username") == ["alice"]


def test_a_row_deleted_by_another_request_meanwhile_is_a_404_page(app):
    """The race (tests/unit/test_write_races.py) reaches this only on some timings."""
    from sqlalchemy import inspect
    from sqlalchemy.orm.exc import ObjectDeletedError

    from app.errors import DELETED_MEANWHILE, handle_deleted_meanwhile
    from app.models import Post

    with app.test_request_context("/blog/post/1"):
        response = app.make_response(handle_deleted_meanwhile(ObjectDeletedError(inspect(Post()))))
    assert response.status_code == 404
    assert DELETED_MEANWHILE in response.get_data(as_text=True)
