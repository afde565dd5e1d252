"""Behind a reverse proxy the visitor's address comes from X-Forwarded-For, but only when
TRUSTED_PROXIES says how many proxies set it; otherwise anyone could pick the address that
the login throttle and the rate limits count."""

from __future__ import annotations

import pytest
from flask_sqlalchemy.session import Session
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.config import ConfigError
from app.extensions import db


@pytest.fixture
def proxied_app(monkeypatch):
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=Session, db=db)))
    app = create_app("test", environ={"TRUSTED_PROXIES": "1"})
    with app.app_context():
        db.create_all()
    return app


def wrong_logins_from(client, forwarded_for: str, times: int) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for}
    return [
        client.post(
            "/login", data={"username": "alice", "password": "a guess"}, headers=headers
        ).status_code
        for _ in range(times)
    ]


def test_without_trusted_proxies_x_forwarded_for_changes_nothing(client):
    for number in range(5):
        assert wrong_logins_from(client, f"192.0.2.{number}", 1) == [422]
    assert wrong_logins_from(client, "192.0.2.99", 1) == [429]


def test_behind_one_trusted_proxy_each_forwarded_address_counts_on_its_own(proxied_app):
    client = proxied_app.test_client()
    assert wrong_logins_from(client, "192.0.2.1", 6) == [422] * 5 + [429]
    assert wrong_logins_from(client, "192.0.2.2", 1) == [422]


@pytest.mark.parametrize("value", ["one", "-1", "1.5"])
def test_a_bad_trusted_proxies_value_is_a_one_line_error(value):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app("test", environ={"TRUSTED_PROXIES": value})
