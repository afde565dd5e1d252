"""conftest's ``race_app``: an app whose threads each get their own session, for a test."""

from __future__ import annotations

import pytest

from app.extensions import db

pytest_plugins = ("pytester",)

INNER_TEST = """
def test_with_a_race_app(race_app):
    assert race_app.name
"""


def test_a_race_app_leaves_db_session_as_the_test_found_it(pytester: pytest.Pytester):
    """After a race test the tests' fixtures (and the rows shared by a module) use db.session
    again: ``race_app`` put it back after the test's own session had been put back, so it was
    left as that test's session, on its closed connection."""
    found = db.session
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_inprocess(
        "--disable-plugin-autoload", "-p", "pytest_flask.plugin", "-p", "conftest", "-rN"
    )
    result.assert_outcomes(passed=1)
    assert db.session is found
