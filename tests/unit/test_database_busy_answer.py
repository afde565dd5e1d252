"""A database that cannot serve a request: the visitor is told to come back in 5 seconds,
and the operator reads why in the log."""

from __future__ import annotations

import logging
from typing import NoReturn

import pytest
from sqlalchemy.exc import OperationalError

from app.blog.routes import NewestFirstPagination
from tests.support.html import parse, text_of


def _database_gives_up(*args: object, **kwargs: object) -> NoReturn:
    raise OperationalError("SELECT 1", {}, Exception("database is locked"))


@pytest.fixture
def busy_database(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(NewestFirstPagination, "_query_items", _database_gives_up)


@pytest.mark.usefixtures("busy_database")
def test_a_busy_database_asks_the_visitor_to_retry_after_5_seconds(client):
    response = client.get("/blog/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert text_of(parse(response.get_data(as_text=True)), "h1") == ["503 Service Unavailable"]


@pytest.mark.usefixtures("busy_database")
def test_a_busy_database_is_logged_with_the_databases_reason(client, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/blog/")
    assert "Database unavailable: database is locked" in caplog.messages
