"""The blog's name is one setting, SITE_NAME (BLOG_SITE_NAME in the environment): every
page's title and brand, the feeds, the mails' subjects, bodies and default sender show the
name a deployment gives it."""

from __future__ import annotations

import pytest

from app import create_app
from app.models import utcnow
from tests.factories import PostFactory, TagFactory, UserFactory
from tests.support.html import get_page, text_of
from tests.unit.test_feeds import read_feed, text
from tests.unit.test_weekly_digest import digest

NAME = "Ann's <Notes> & Co"


@pytest.fixture
def named(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_NAME", NAME)


def test_every_page_carries_the_name_in_its_title_brand_and_feed_link(client, named):
    page = get_page(client, "/login")
    assert page.title is not None
    assert page.title.get_text() == f"Log in · {NAME}"
    assert text_of(page, ".navbar-brand") == [NAME]
    [feed_link] = page.select('link[rel="alternate"]')
    assert feed_link["title"] == NAME


def test_the_feeds_are_titled_with_the_name(client, named):
    TagFactory(title="news")
    assert text(read_feed(client, "/blog/feed.atom"), "atom:title") == NAME
    tagged = read_feed(client, "/blog/feed/tag/news.atom")
    assert text(tagged, "atom:title") == f"{NAME}: posts tagged news"


def test_the_reset_mail_names_the_site_in_its_subject_and_body(client, mailbox, named):
    UserFactory(username="ann", email="ann@example.org")
    client.post("/forgot-password", data={"email": "ann@example.org"})
    [received] = mailbox.wait_for(1)
    assert received.message["Subject"] == f"Reset your password on {NAME}"
    assert NAME in received.body


def test_the_digest_names_the_site_in_its_subject_and_body(app, mailbox, named):
    PostFactory(publish_date=utcnow())
    UserFactory(username="ann", email="ann@example.org", weekly_digest=True)
    result = digest(app)
    assert result.exit_code == 0, result.output
    [received] = mailbox.messages
    assert received.message["Subject"] == f"This week on {NAME}: 1 new post"
    assert f"New on {NAME} this week:" in received.body


@pytest.mark.parametrize(
    ("environ", "sender"),
    [
        ({}, "Mastering Flask Blog <blog@localhost>"),
        ({"BLOG_SITE_NAME": "Ann's Notes"}, "Ann's Notes <blog@localhost>"),
        (
            {"BLOG_SITE_NAME": "Ann's Notes", "MAIL_DEFAULT_SENDER": "Ann <ann@example.org>"},
            "Ann <ann@example.org>",
        ),
    ],
)
def test_mails_come_from_the_site_name_unless_a_sender_is_set(environ, sender):
    app = create_app("test", environ=environ)
    assert app.config["MAIL_DEFAULT_SENDER"] == sender
