"""The demo accounts and the book's demo data: shared by the CLI, run_test_server.py and the
Selenium live server."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.accounts.users import create_user
from app.extensions import db
from app.models import Comment, Post, User, tags_from_titles

DEMO_TAGS = ("Python", "Flask", "SQLAlchemy", "Jinja", "Testing")
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Integer nec odio. "
    "Praesent libero. Sed cursus ante dapibus diam. Sed nisi. Nulla quis sem at nibh "
    "elementum imperdiet. Duis sagittis ipsum. *Praesent* mauris. Fusce nec tellus sed "
    "augue semper porta. **Mauris** massa."
)


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str


DEMO_ACCOUNTS = (
    Account("admin", "admin-password", "admin"),
    Account("poster", "poster-password", "poster"),
    Account("reader", "reader-password", "default"),
)


class SeedError(ValueError):
    """The database is not in a state the seed can apply to."""


def account_lines(accounts: tuple[Account, ...] = DEMO_ACCOUNTS) -> list[str]:
    """The demo accounts as printed after seeding, so that whoever seeded can log in."""
    return ["Accounts (username / password / role):"] + [
        f"  {a.username} / {a.password} / {a.role}" for a in accounts
    ]


def seed_accounts(accounts: tuple[Account, ...] = DEMO_ACCOUNTS) -> list[User]:
    return [create_user(a.username, a.password, a.role) for a in accounts]


def seed_demo(posts: int, accounts: tuple[Account, ...] = DEMO_ACCOUNTS) -> list[User]:
    """The book's demo data: accounts, ``posts`` posts over several tags, with comments.

    Refuses a database that already has users, so it never mixes with real data.
    """
    if posts < 0:
        raise SeedError("The number of posts cannot be negative")
    if db.session.scalar(select(func.count()).select_from(User)):
        raise SeedError("The database already has users; seed only runs on an empty database")
    users = seed_accounts(accounts)
    authors = [user for user in users if user.has_role("admin", "poster")] or users
    tags = tags_from_titles(DEMO_TAGS) if posts else []
    rng = random.Random(2015)
    now = datetime.now(UTC)
    for number in range(1, posts + 1):
        post = Post(
            title=f"Post {number}",
            text=LOREM,
            user=rng.choice(authors),
            publish_date=now - timedelta(hours=posts - number),
            tags=rng.sample(tags, k=rng.randint(1, 3)),
        )
        post.comments = [
            Comment(
                name=f"Reader {c}", text="A comment.", date=post.publish_date + timedelta(minutes=c)
            )
            for c in range(1, rng.randint(1, 3) + 1)
        ]
        db.session.add(post)
    db.session.commit()
    return users
