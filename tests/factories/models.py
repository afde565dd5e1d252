from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.accounts.passwords import hash_password
from app.extensions import db
from app.models import Comment, Post, Role, Tag, User

# Fixed so that sequences of posts sort the same way on every run.
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
DEFAULT_PASSWORD = "correct horse battery staple"

ModelT = TypeVar("ModelT")


class BaseFactory(SQLAlchemyModelFactory, Generic[ModelT]):
    """``PostFactory(...)`` makes a Post: its ``ModelT`` says so to the type checker."""

    if TYPE_CHECKING:
        # factory_boy's metaclass builds the model in an untyped __call__; mypy takes the
        # call's type from __new__ instead, and objects to one that is not the class's own.
        def __new__(cls, *args: Any, **kwargs: Any) -> ModelT: ...  # type: ignore[misc]

    class Meta:
        abstract = True
        # A callable, because the test fixtures swap db.session for each test.
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        # Saved by _generate, once per factory call (a comment's post and author included).
        sqlalchemy_session_persistence = None

    _calls_open = 0

    @classmethod
    def _generate(cls, strategy: Any, params: Any) -> Any:
        """Commit once what a factory call made, its sub-objects (a post's author, a user's
        roles) included: a commit per object took a third of the unit suite's time."""
        BaseFactory._calls_open += 1
        try:
            made = super()._generate(strategy, params)
        finally:
            BaseFactory._calls_open -= 1
        if strategy == factory.CREATE_STRATEGY and BaseFactory._calls_open == 0:
            db.session.commit()
        return made


class RoleFactory(BaseFactory[Role]):
    class Meta:
        model = Role
        sqlalchemy_get_or_create = ("name",)

    name = "default"
    description = factory.LazyAttribute(lambda role: f"The {role.name} role")


class UserFactory(BaseFactory[User]):
    """A user with role ``default``; ``password=`` sets the password (hashed with the
    config's argon2 parameters), ``roles=[RoleFactory(name="admin")]`` the roles."""

    class Meta:
        model = User
        exclude = ("password",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = DEFAULT_PASSWORD
    password_hash = factory.LazyAttribute(lambda user: hash_password(user.password))
    created_at = factory.Sequence(lambda n: EPOCH + timedelta(minutes=n))
    roles = factory.LazyFunction(lambda: [RoleFactory(name="default")])


class PosterFactory(UserFactory):
    roles = factory.LazyFunction(lambda: [RoleFactory(name="poster")])


class AdminFactory(UserFactory):
    roles = factory.LazyFunction(lambda: [RoleFactory(name="admin")])


class TagFactory(BaseFactory[Tag]):
    class Meta:
        model = Tag

    title = factory.Sequence(lambda n: f"tag{n}")


class PostFactory(BaseFactory[Post]):
    """A post by a new poster, each one published a minute after the previous one."""

    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Post number {n}")
    text = factory.Faker("paragraph", nb_sentences=4)
    publish_date = factory.Sequence(lambda n: EPOCH + timedelta(minutes=n))
    user = factory.SubFactory(PosterFactory)

    tags = factory.LazyFunction(list)


class CommentFactory(BaseFactory[Comment]):
    class Meta:
        model = Comment

    name = factory.Faker("name")
    text = factory.Faker("sentence")
    date = factory.Sequence(lambda n: EPOCH + timedelta(minutes=n))
    post = factory.SubFactory(PostFactory)
