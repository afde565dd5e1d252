"""The blog's data model (SQLAlchemy 2.0 typed declarative models)."""

from __future__ import annotations

import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from email_validator import EmailNotValidError, validate_email
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    bindparam,
    event,
    false,
    func,
    inspect,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import (
    Mapped,
    Session,
    UOWTransaction,
    column_property,
    mapped_column,
    relationship,
    validates,
)
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.types import TypeDecorator

from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.extensions import Base, db
from app.rendering import excerpt_of_html, render_markdown

ROLE_DESCRIPTIONS = {
    "admin": "May edit and delete any post",
    "poster": "May write posts",
    "default": "May comment",
}
ROLE_NAMES = tuple(ROLE_DESCRIPTIONS)
USERNAME_MAX = 64
# RFC 5321's limit on a forward path, which email_validator enforces.
EMAIL_MAX = 254
TITLE_MAX = 255
TAG_MAX = 64
COMMENT_NAME_MAX = 255
# Characters (the database's length() counts them too). A long article is some 60,000
# characters; a comment is a few paragraphs. At 4 bytes a character in UTF-8, and 12 when a
# browser's form or a JSON escape sends them, the longest post is 1.2 MB: the body limits in
# app.config leave room for it.
COMMENT_TEXT_MAX = 5_000
POST_TEXT_MAX = 100_000
# Ids and page numbers are 32-bit integers in the database (PostgreSQL's integer): a larger
# one in a URL names nothing, and binding it would overflow the query instead of finding nothing.
INT_MAX = 2**31 - 1

if TYPE_CHECKING:
    # The type checker cannot take a base class from an attribute (db.Model); Flask-SQLAlchemy
    # makes db.Model a subclass of Base (plus table names and the query property).
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC and always gives back aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# A deleted post's, comment's or account's id never goes to a new row, so its old URLs and
# mailed links answer 404 or 400 instead of showing another one: without AUTOINCREMENT,
# SQLite hands out the highest id plus one again (PostgreSQL's sequences never go back).
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}

roles_users = Table(
    "roles_users",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)

tags_posts = Table(
    "post_tags",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
    # A tag's posts and their number from the index alone (the primary key starts with post_id).
    Index("ix_post_tags_tag_id_post_id", "tag_id", "post_id"),
)


class Role(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")

    users: Mapped[list[User]] = relationship(secondary=roles_users, back_populates="roles")

    def __repr__(self) -> str:
        return f"<Role {self.name}>"


def ensure_roles() -> dict[str, Role]:
    """Create the roles that are missing; return every role by name."""
    existing = {role.name: role for role in db.session.scalars(select(Role))}
    for name in ROLE_NAMES:
        if name not in existing:
            existing[name] = Role(name=name, description=ROLE_DESCRIPTIONS[name])
            db.session.add(existing[name])
    db.session.flush()
    return existing


class User(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Flask-Login's alternative token: rotating it ends every session and remember cookie.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept by _count_posts_and_tag_uses: the home and user pages count from it.
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Optional; stored as normalise_email gives it, so a plain unique index makes it unique
    # ignoring case (a database's lower() may not lower what Python does). Never public.
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    # What the site mails them (app.notifications), each only while they have an address.
    notify_comments: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    weekly_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    roles: Mapped[list[Role]] = relationship(secondary=roles_users, back_populates="users")
    posts: Mapped[list[Post]] = relationship(back_populates="user", passive_deletes=True)

    __table_args__ = (
        CheckConstraint(f"length(username) BETWEEN 1 AND {USERNAME_MAX}", name="username_length"),
        Index("uq_user_username_lower", func.lower(username), unique=True),
        Index("uq_user_email", "email", unique=True),
        IDS_NEVER_REUSED,
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def get_id(self) -> str:
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def password_needs_rehash(self) -> bool:
        return needs_rehash(self.password_hash)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def has_role(self, *names: str) -> bool:
        return any(role.name in names for role in self.roles)

    @validates("email")
    def _normalise_email(self, _key: str, email: str | None) -> str | None:
        """Every way of setting the address (forms, commands, factories) normalises it."""
        return normalise_email(email) if email else None

    @classmethod
    def by_username(cls, username: str) -> User | None:
        return db.session.scalar(select(cls).where(func.lower(cls.username) == username.lower()))

    @classmethod
    def by_email(cls, email: str) -> User | None:
        """The user with this address, in any case; None for an invalid one."""
        try:
            address = normalise_email(email)
        except ValueError:
            return None
        return db.session.scalar(select(cls).where(cls.email == address))


def normalise_email(email: str) -> str:
    """A valid address as stored: email_validator's normal form (Unicode NFC, the domain
    in lower case), lowered whole. Raises ValueError saying what is wrong with it."""
    try:
        valid = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None
    return valid.normalized.lower()


class Post(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    text: Mapped[str] = mapped_column(Text, default="")
    # The text rendered once when it is set (see _render), never per request: sanitised HTML,
    # and the start of it as plain text for the lists.
    html: Mapped[str] = mapped_column(Text, default="", server_default="")
    excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    publish_date: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="posts")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="post",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: NEWEST_COMMENTS_FIRST,
    )
    tags: Mapped[list[Tag]] = relationship(secondary=tags_posts, order_by="Tag.title")
    if TYPE_CHECKING:  # mapped below the Comment model it counts
        comment_count: Mapped[int]

    __table_args__ = (
        CheckConstraint(f"length(title) BETWEEN 1 AND {TITLE_MAX}", name="title_length"),
        CheckConstraint(f"length(text) <= {POST_TEXT_MAX}", name="text_length"),
        # The home page and the API list (newest first), and a user's page: read in index
        # order, a page of posts costs the same at any size, with no sort.
        Index("ix_post_publish_date_id", "publish_date", "id"),
        Index("ix_post_user_id_publish_date_id", "user_id", "publish_date", "id"),
        IDS_NEVER_REUSED,
    )

    def __repr__(self) -> str:
        return f"<Post {self.title!r}>"

    @validates("text")
    def _render(self, _key: str, text: str) -> str:
        """Every way of setting the text (editor, API, seed, factories) renders it here."""
        self.html = str(render_markdown(text))
        self.excerpt = excerpt_of_html(self.html)
        return text


class Comment(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(COMMENT_NAME_MAX))
    text: Mapped[str] = mapped_column(Text)
    date: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))

    post: Mapped[Post] = relationship(back_populates="comments")

    __table_args__ = (
        CheckConstraint(f"length(name) BETWEEN 1 AND {COMMENT_NAME_MAX}", name="name_length"),
        CheckConstraint(f"length(text) <= {COMMENT_TEXT_MAX}", name="text_length"),
        # A post's comments, newest first, without a sort.
        Index("ix_comment_post_id_date_id", "post_id", "date", "id"),
        IDS_NEVER_REUSED,
    )

    def __repr__(self) -> str:
        return f"<Comment {self.name!r} on post {self.post_id}>"


MAIL_KEY_MAX = 200


class SentMail(Model):
    """One mail sent, by its key (app.mail): a retry or a second run of a task that finds
    its key here sends nothing."""

    __tablename__ = "sent_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(MAIL_KEY_MAX), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Every list of posts or comments, page or API, shows the newest first; the id settles ties.
NEWEST_POSTS_FIRST = (Post.publish_date.desc(), Post.id.desc())
# The same order read from the other end (a late page of a long list starts there).
OLDEST_POSTS_FIRST = (Post.publish_date.asc(), Post.id.asc())
NEWEST_COMMENTS_FIRST: tuple[UnaryExpression[datetime], UnaryExpression[int]] = (
    Comment.date.desc(),
    Comment.id.desc(),
)

# Counted by the database where a list shows it (undefer it there), instead of loading the
# comments themselves.
Post.comment_count = column_property(
    select(func.count())
    .where(Comment.post_id == Post.id)
    .correlate_except(Comment)
    .scalar_subquery(),
    deferred=True,
)


class Tag(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TAG_MAX), unique=True)
    # Its number of posts (post_tags rows), kept in step by _count_tag_uses: the sidebar reads
    # the most used tags from an index instead of counting every post's tags.
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")

    # Read only: a post's tags change through Post.tags alone, where their counts are kept.
    posts: Mapped[list[Post]] = relationship(secondary=tags_posts, viewonly=True)

    __table_args__ = (
        CheckConstraint(f"length(title) BETWEEN 1 AND {TAG_MAX}", name="title_length"),
    )

    def __repr__(self) -> str:
        return f"<Tag {self.title!r}>"


# The sidebar's most used tags, ties in title order, are the first rows of this index.
Index("ix_tag_post_count_title", Tag.post_count.desc(), Tag.title)


@event.listens_for(Session, "before_flush")
def _count_posts_and_tag_uses(
    session: Session, _context: UOWTransaction, _instances: object
) -> None:
    """Change each tag's post_count by the post_tags rows this flush adds and deletes, and
    each author's post_count by the posts it adds and deletes.

    In the flush's own transaction, with ``post_count = post_count + n`` so that concurrent
    writers never lose an update, one row after the other in id order so that two writers
    cannot each hold a row the other waits for. A post's rows go with it by ON DELETE
    CASCADE, so a deleted post's tags are counted down here, before the DELETE.
    """
    tags: Counter[Tag] = Counter()
    authors: Counter[User] = Counter()
    for post in session.new | session.dirty:
        if isinstance(post, Post):
            history = inspect(post).attrs.tags.history
            tags.update(history.added)
            tags.subtract(history.deleted)
    for post in session.new:
        if isinstance(post, Post) and (post.user or post.user_id is not None):
            authors[post.user or session.get_one(User, post.user_id)] += 1
    for post in session.deleted:
        if isinstance(post, Post):
            # What the database holds: the loaded tags, including any removed since.
            history = inspect(post).attrs.tags.load_history()
            tags.subtract([*history.unchanged, *history.deleted])
            authors[post.user] -= 1
    _add_counts(session, Tag, tags)
    _add_counts(session, User, authors)


def _add_counts(session: Session, model: type[Tag] | type[User], changes: Counter[Any]) -> None:
    stored: dict[int, int] = {}
    for row, delta in changes.items():
        identity = inspect(row).identity
        if identity is None:  # a new row: inserted with its count
            row.post_count = (row.post_count or 0) + delta
        elif delta:
            stored[identity[0]] = delta
            session.expire(row, ["post_count"])
    if stored:
        table = model.__table__
        assert isinstance(table, Table)  # declared as any FromClause; a model's is its Table
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(post_count=table.c.post_count + bindparam("delta")),
            [{"row_id": row_id, "delta": stored[row_id]} for row_id in sorted(stored)],
        )


def clean_tag_titles(titles: Iterable[str]) -> list[str]:
    """Collapse whitespace, drop control characters, blanks and duplicates; keep the order."""
    seen: dict[str, None] = {}
    for raw in titles:
        printable = "".join(ch for ch in raw if unicodedata.category(ch) != "Cc")
        title = " ".join(printable.split())
        if title:
            seen.setdefault(title, None)
    return list(seen)


def tags_from_titles(titles: Iterable[str]) -> list[Tag]:
    """The tags with these titles, in that order, creating those that do not exist yet.

    ``INSERT ... ON CONFLICT DO NOTHING`` makes concurrent creation of one tag safe: the
    loser of the race simply reads the winner's row.
    """
    wanted = clean_tag_titles(titles)
    too_long = [title for title in wanted if len(title) > TAG_MAX]
    if too_long:
        raise ValueError(f"Tags must be at most {TAG_MAX} characters: {too_long[0][:20]!r}...")
    if not wanted:
        return []
    insert = _UPSERT_INSERTS[db.session.get_bind().dialect.name]
    # In one order for everyone: two posts inserting the same new tags in opposite orders
    # would each lock one the other waits for (a deadlock on PostgreSQL).
    db.session.execute(
        insert(Tag).values([{"title": title} for title in sorted(wanted)]).on_conflict_do_nothing()
    )
    found = {tag.title: tag for tag in db.session.scalars(select(Tag).where(Tag.title.in_(wanted)))}
    return [found[title] for title in wanted]


_UPSERT_INSERTS: dict[str, Callable[[type[Tag]], SqliteInsert | PostgresqlInsert]] = {
    "sqlite": sqlite_insert,
    "postgresql": postgresql_insert,
}
