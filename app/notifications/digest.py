"""The weekly digest: the posts of the last seven days (title, excerpt, link) to every user
who turned it on and has an email address, once per user per ISO week, however often it
runs (beat firing twice, ``flask digest`` by hand): each mail's key names the week. No
posts, no mail. Beat sends it at DIGEST_SCHEDULE (app.jobs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import shared_task
from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.mail import absolute_url, make_message, send_mail
from app.models import NEWEST_POSTS_FIRST, Post, User, utcnow
from app.notifications.unsubscribe import unsubscribe_headers, unsubscribe_link
from app.wording import counted

SEND = "app.notifications.digest.send_weekly_digest"
SUBJECT = "This week on {site}: {posts}"
WEEK = timedelta(days=7)
# A digest is a summary: a busy week's oldest posts are left out, and it says how many.
MOST_POSTS = 50


@dataclass(frozen=True)
class Digest:
    posts: list[Post]
    users: list[User]
    week: str
    # Every post of the week, those left out included.
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.posts)


def week_key(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_digest(now: datetime) -> Digest:
    """The posts of the seven days before ``now``, newest first, and who gets them (none
    when there are no posts)."""
    in_week = (Post.publish_date > now - WEEK, Post.publish_date <= now)
    posts = list(
        db.session.scalars(
            select(Post)
            .options(joinedload(Post.user))
            .where(*in_week)
            .order_by(*NEWEST_POSTS_FIRST)
            .limit(MOST_POSTS)
        )
    )
    total = len(posts)
    if total == MOST_POSTS:
        total = db.session.scalar(select(func.count()).select_from(Post).where(*in_week)) or 0
    users: list[User] = []
    if posts:
        users = list(
            db.session.scalars(
                select(User)
                .where(User.weekly_digest.is_(True), User.email.is_not(None))
                .order_by(User.id)
            )
        )
    return Digest(posts, users, week_key(now), total)


def send_digest(digest: Digest) -> None:
    """Mail the digest to each of its users (a user who had this week's already gets none)."""
    subject = SUBJECT.format(
        site=current_app.config["SITE_NAME"], posts=counted(digest.total, "new post")
    )
    more = counted(digest.left_out, "more post") if digest.left_out else None
    home = absolute_url("blog.home")
    links = [absolute_url("blog.post", post_id=post.id) for post in digest.posts]
    for user in digest.users:
        headers = unsubscribe_headers(user, "digest")
        body = render_template(
            "notifications/email/digest.txt",
            user=user,
            posts=zip(digest.posts, links, strict=True),
            more=more,
            home=home,
            unsubscribe=unsubscribe_link(headers),
        )
        send_mail(
            make_message(str(user.email), subject, body, headers),
            f"digest:{user.id}:{digest.week}",
        )


@shared_task(name=SEND)
def send_weekly_digest() -> int:
    """Beat's task: this week's digest; how many users it was for."""
    digest = weekly_digest(utcnow())
    send_digest(digest)
    return len(digest.users)
