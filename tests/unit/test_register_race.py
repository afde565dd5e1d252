"""Two people registering one name at the same moment: one account, one form error."""

from __future__ import annotations

import tempfile
import threading

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from app.main.forms import RegisterForm
from app.models import User
from app.seed import ensure_roles

PASSWORD = "a fine long passphrase"


@pytest.fixture
def race_app(monkeypatch):
    """An app on its own database file, with a real session per thread (not the test's
    rolled-back connection), so that two requests truly run side by side."""
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=FlaskSession, db=db)))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/race.sqlite"
        app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            ensure_roles()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()


def test_simultaneous_registrations_of_one_name_give_one_account(race_app, monkeypatch):
    both_checked = threading.Barrier(2)
    check_name = RegisterForm.validate_username

    def check_then_wait_for_the_other(form, field):
        check_name(form, field)
        both_checked.wait(timeout=10)

    monkeypatch.setattr(RegisterForm, "validate_username", check_then_wait_for_the_other)
    responses = {}

    def register(name):
        client = race_app.test_client()
        data = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
        responses[name] = client.post("/register", data=data)

    threads = [threading.Thread(target=register, args=(n,)) for n in ("racer", "RACER")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [302, 400]
    loser = next(r for r in responses.values() if r.status_code == 400)
    assert "That username is already taken." in loser.get_data(as_text=True)
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
