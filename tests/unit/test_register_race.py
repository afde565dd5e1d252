"""Two people registering one name at the same moment: one account, one form error."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.main.forms import RegisterForm
from app.models import User
from tests.support.races import MeetingPoint, in_parallel

pytestmark = pytest.mark.postgresql

PASSWORD = "a fine long passphrase"


def test_simultaneous_registrations_of_one_name_give_one_account(race_app, monkeypatch):
    both_checked = MeetingPoint(patience=10)
    check_name = RegisterForm.validate_username

    def check_then_wait_for_the_other(form, field):
        check_name(form, field)
        both_checked()

    monkeypatch.setattr(RegisterForm, "validate_username", check_then_wait_for_the_other)

    def register(name):
        data = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
        return lambda: race_app.test_client().post("/register", data=data)

    responses = in_parallel(register("racer"), register("RACER"))

    assert sorted(response.status_code for response in responses) == [302, 422]
    loser = next(r for r in responses if r.status_code == 422)
    assert "That username is already taken." in loser.get_data(as_text=True)
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
