"""The weekly digest: the last seven days' posts to the users who turned it on, once per user
per ISO week (``flask digest``, beat's task); ``flask digest --dry-run`` says who would get
which posts and sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app import create_app
from app.config import ConfigError
from app.jobs import DIGEST_TASK
from app.models import User
from tests.factories import PostFactory, UserFactory
from tests.support.database import fresh_session

# The digest's week and each mail's key (a unique row) on each database.
pytestmark = pytest.mark.postgresql

# A Sunday, 18:00 UTC: when beat sends it by default.
SUNDAY = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(SUNDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def week(clock):
    """Two posts this week, one older; readers with the digest on, off, and without address."""
    PostFactory(title="Old news", publish_date=SUNDAY - timedelta(days=8))
    PostFactory(
        title="Queues", text="Tasks **off** the request.", publish_date=SUNDAY - timedelta(days=2)
    )
    PostFactory(title="Beat", text="Every Sunday.", publish_date=SUNDAY - timedelta(hours=1))
    UserFactory(username="ann", email="ann@example.org", weekly_digest=True)
    UserFactory(username="bob", email="bob@example.org")
    UserFactory(username="carl", weekly_digest=True)


def digest(app, *args):
    return app.test_cli_runner().invoke(args=["digest", *args])


def test_the_dry_run_says_who_would_get_which_posts_and_sends_nothing(app, mailbox, week):
    result = digest(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ann <ann@example.org>: Beat; Queues",
        "Dry run: 1 digest not sent.",
    ]
    assert mailbox.messages == []


def test_the_digest_lists_the_weeks_posts_newest_first_with_excerpts_and_links(app, mailbox, week):
    result = digest(app)
    assert result.exit_code == 0, result.output
    assert "Digest of 2 posts for 1 user sent (week 2026-W48" in result.output
    [received] = mailbox.messages
    assert received.rcpt_tos == ["ann@example.org"]
    assert received.message["Subject"] == "This week on Mastering Flask Blog: 2 new posts"
    body = received.body
    assert body.index("Beat") < body.index("Queues")
    assert "Tasks off the request." in body
    assert "http://localhost/blog/post/" in body
    assert "Old news" not in body
    unsubscribe = str(received.message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://localhost/unsubscribe/")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_links_point_at_site_url_when_it_is_set(app, mailbox, week, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://blog.example.org")
    digest(app)
    [received] = mailbox.messages
    assert "https://blog.example.org/blog/post/" in received.body
    assert "localhost" not in received.body


def test_a_second_run_in_the_same_week_sends_nothing_and_the_next_week_sends_again(
    app, mailbox, week, clock
):
    digest(app)
    clock.shift(timedelta(days=-3))
    digest(app)
    assert len(mailbox.messages) == 1
    clock.shift(timedelta(days=4))
    digest(app)
    assert [m.rcpt_tos for m in mailbox.messages] == [["ann@example.org"]] * 2


def test_no_posts_this_week_no_mail(app, mailbox, clock):
    PostFactory(publish_date=SUNDAY - timedelta(days=10))
    UserFactory(email="ann@example.org", weekly_digest=True)
    result = digest(app)
    assert result.output == "No posts in the last seven days: no digest to send.\n"
    assert mailbox.messages == []


def test_beats_task_sends_the_digest_and_counts_its_users(app, mailbox, week):
    assert app.extensions["celery"].tasks[DIGEST_TASK].apply().get() == 1
    assert len(mailbox.messages) == 1


def test_with_a_broker_the_command_says_the_mails_are_queued(app, week, monkeypatch):
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr("app.notifications.digest.send_mail", lambda *args: None)
    assert " queued (week 2026-W48" in digest(app).output


def test_new_users_have_the_digest_off_and_comment_mails_on():
    dana = UserFactory()
    with fresh_session() as session:
        stored = session.get_one(User, dana.id)
        assert (stored.weekly_digest, stored.notify_comments) == (False, True)


def test_beat_sends_the_digest_on_sundays_at_18_utc_by_default(app):
    schedule = app.extensions["celery"].conf.beat_schedule["weekly-digest"]
    assert schedule["task"] == DIGEST_TASK
    cron = schedule["schedule"]
    assert (cron.minute, cron.hour, cron.day_of_week) == ({0}, {18}, {0})
    assert app.extensions["celery"].conf.timezone == "UTC"


def test_the_schedule_comes_from_the_environment():
    app = create_app("test", environ={"BLOG_DIGEST_SCHEDULE": "30 7 * * mon"})
    cron = app.extensions["celery"].conf.beat_schedule["weekly-digest"]["schedule"]
    assert (cron.minute, cron.hour, cron.day_of_week) == ({30}, {7}, {1})


@pytest.mark.parametrize("value", ["sunday 18:00", "0 25 * * sun", "0 18 * *"])
def test_a_schedule_that_is_not_five_crontab_fields_stops_the_app_with_one_line(value):
    with pytest.raises(ConfigError, match="DIGEST_SCHEDULE must be five crontab fields"):
        create_app("test", environ={"BLOG_DIGEST_SCHEDULE": value})
