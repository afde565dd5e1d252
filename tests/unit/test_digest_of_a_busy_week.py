"""A busy week's digest lists its newest posts only (MOST_POSTS), but its subject counts every
post of the week and its body says how many more there are and where to read them."""

from __future__ import annotations

import pytest

from app.models import utcnow
from app.notifications import digest as digest_module
from tests.factories import PostFactory, UserFactory
from tests.unit.test_weekly_digest import digest


@pytest.fixture
def busy_week(monkeypatch):
    monkeypatch.setattr(digest_module, "MOST_POSTS", 2)
    for title in ("Monday", "Tuesday", "Wednesday", "Thursday"):
        PostFactory(title=title, publish_date=utcnow())
    UserFactory(username="ann", email="ann@example.org", weekly_digest=True)


def test_the_subject_counts_every_post_and_the_body_says_how_many_more(app, mailbox, busy_week):
    result = digest(app)
    assert result.exit_code == 0, result.output
    [received] = mailbox.messages
    assert received.message["Subject"] == "This week on Mastering Flask Blog: 4 new posts"
    body = received.body
    assert "Thursday" in body
    assert "Wednesday" in body
    assert "Tuesday" not in body
    assert "...and 2 more posts this week: http://localhost/blog/\n" in body


def test_a_week_within_the_limit_says_nothing_more(app, mailbox, busy_week, monkeypatch):
    monkeypatch.setattr(digest_module, "MOST_POSTS", 4)
    digest(app)
    [received] = mailbox.messages
    assert "Monday" in received.body
    assert "more post" not in received.body


def test_one_post_more_is_said_in_the_singular(app, mailbox, busy_week, monkeypatch):
    monkeypatch.setattr(digest_module, "MOST_POSTS", 3)
    digest(app)
    [received] = mailbox.messages
    assert "...and 1 more post this week: http://localhost/blog/\n" in received.body


def test_the_dry_run_says_how_many_posts_were_left_out(app, busy_week):
    result = digest(app, "--dry-run")
    assert result.output.splitlines() == [
        "ann <ann@example.org>: Thursday; Wednesday (and 2 more)",
        "Dry run: 1 digest not sent.",
    ]
