"""The weekly digest's limits: the seven days end at the moment it runs (a post of that
moment is in, one of exactly seven days before is out), a busy week sends its newest 50
posts, and one post makes a subject in the singular."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import PostFactory, UserFactory
from tests.unit.test_weekly_digest import SUNDAY, clock, digest  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgresql


@pytest.fixture
def reader(clock):  # noqa: F811 (the fixture imported above)
    return UserFactory(username="ann", email="ann@example.org", weekly_digest=True)


def test_the_week_ends_at_the_moment_it_runs_and_starts_seven_days_before(app, mailbox, reader):
    PostFactory(title="Just now", publish_date=SUNDAY)
    PostFactory(title="Just in", publish_date=SUNDAY - timedelta(days=7) + timedelta(seconds=1))
    PostFactory(title="Last week", publish_date=SUNDAY - timedelta(days=7))
    PostFactory(title="Not yet", publish_date=SUNDAY + timedelta(seconds=1))
    result = digest(app, "--dry-run")
    assert result.output.splitlines()[0] == "ann <ann@example.org>: Just now; Just in"


def test_a_busy_week_sends_its_newest_50_posts_and_counts_the_rest(app, mailbox, reader):
    for minute in range(51):
        PostFactory(title=f"Post {minute}", publish_date=SUNDAY - timedelta(minutes=minute))
    digest(app)
    [received] = mailbox.messages
    assert received.message["Subject"] == "This week on Mastering Flask Blog: 51 new posts"
    assert "Post 49\n" in received.body
    assert "Post 50\n" not in received.body
    assert "...and 1 more post this week: http://localhost/blog/\n" in received.body


def test_one_post_is_one_new_post(app, mailbox, reader):
    PostFactory(title="Alone", publish_date=SUNDAY - timedelta(days=1))
    result = digest(app)
    assert "Digest of 1 post for 1 user sent" in result.output
    [received] = mailbox.messages
    assert received.message["Subject"] == "This week on Mastering Flask Blog: 1 new post"
