"""factory_boy factories for every model, wired to the app's Flask-SQLAlchemy session."""

from tests.factories.models import (
    AdminFactory,
    CommentFactory,
    PosterFactory,
    PostFactory,
    RoleFactory,
    TagFactory,
    UserFactory,
)

__all__ = [
    "AdminFactory",
    "CommentFactory",
    "PostFactory",
    "PosterFactory",
    "RoleFactory",
    "TagFactory",
    "UserFactory",
]
