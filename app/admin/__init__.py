"""The admin site at /admin (Flask-Admin, the book's chapter 10): users, posts, comments and
tags, for users with the admin role only.

Its pages extend the site's layout and keep to the site's Content-Security-Policy: the
templates in ``admin_site/`` replace the parts of Flask-Admin's own that carry inline code
or ``javascript:`` links, and none of Flask-Admin's scripts is loaded (its forms work
without them: selects are plain ``<select>`` elements). Its forms are Flask-WTF forms, so
CSRFProtect checks their token like every other form of the site.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from app.admin.views import (
    CommentAdmin,
    PostAdmin,
    SiteIndex,
    TagAdmin,
    UserAdmin,
    may_administer,
)
from app.extensions import db
from app.models import Comment, Post, Tag, User

# Holds only the templates; Flask-Admin makes a blueprint of its own for each view.
# (view, model, the part of the URL after /admin/)
SECTIONS = (
    (UserAdmin, User, "users"),
    (PostAdmin, Post, "posts"),
    (CommentAdmin, Comment, "comments"),
    (TagAdmin, Tag, "tags"),
)
templates = Blueprint("admin_site", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    # A new Admin and new views for each app: Flask-Admin keeps the app's blueprints on them,
    # and tests build several apps in one process.
    admin = Admin(
        name="Blog admin",
        url="/admin",
        index_view=SiteIndex(url="/admin", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin_site/layout.html"),
    )
    # Given ``db`` (not its session), the views look the session up on each request.
    for view, model, part in SECTIONS:
        admin.add_view(view(model, db, name=part.title(), endpoint=f"admin_{part}", url=part))
    app.register_blueprint(templates)
    admin.init_app(app)
    app.add_template_global(may_administer, "may_administer")
