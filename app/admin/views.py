"""The admin site's views: who may enter, and what each model's pages show and accept.

Only the columns named here are listed, searched or put in a form: a user's password hash
and session token are in none of them. Writes go through the models, so a post's stored HTML
and excerpt and the tags' and authors' post counts stay right (see app.models); every form
checks what the site's own forms check, so bad input is a form error, never a 500.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import flash, request, url_for
from flask.typing import ResponseReturnValue
from flask_admin import AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_admin.model.typefmt import BASE_FORMATTERS
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms import Field
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, ValidationError

from app.accounts.permissions import refuse
from app.blog.forms import PostForm
from app.database import lock_rows
from app.extensions import db
from app.main.forms import TAKEN, RegisterForm
from app.models import INT_MAX, Comment, Post, User, clean_tag_titles

ID = re.compile(r"[1-9][0-9]{0,9}")
CHANGED_MEANWHILE = "Someone saved a conflicting change meanwhile; nothing was saved. Try again."


def may_administer(user: User) -> bool:
    return user.is_authenticated and user.has_role("admin")


class AdminOnly:
    """Admins only: anonymous visitors go to log in (and come back), others get 403."""

    def is_accessible(self) -> bool:
        return may_administer(current_user)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> ResponseReturnValue:
        # A POST cannot be replayed after login: come back to the view's first page instead.
        refuse(None if request.method == "GET" else url_for(".index_view"))


class SiteIndex(AdminOnly, AdminIndexView):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(name="Admin", template="admin_site/index.html", **kwargs)


def minute_in_utc(_view: Any, value: datetime, _name: str) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


class AdminForm(FlaskForm):
    """Flask-WTF's form (with the CSRF token that CSRFProtect checks) that knows the row it
    edits, as Flask-Admin's own forms do: its unique-value check reads ``_obj``."""

    def __init__(self, *args: Any, obj: Any = None, **kwargs: Any) -> None:
        self._obj = obj
        super().__init__(*args, obj=obj, **kwargs)


def same_rules_as(field: UnboundField[Any]) -> dict[str, Any]:
    """The validators and filters of one of the site's own form fields."""
    return {
        "validators": list(field.kwargs.get("validators", [])),
        "filters": list(field.kwargs.get("filters", [])),
    }


class SiteModelView(AdminOnly, ModelView):
    form_base_class = AdminForm
    list_template = "admin_site/list.html"
    create_template = "admin_site/create.html"
    edit_template = "admin_site/edit.html"
    # Bulk actions need Flask-Admin's inline scripts; rows are deleted one at a time.
    action_disallowed_list = ("delete",)
    can_view_details = False
    can_export = False
    page_size = 20
    column_type_formatters = {**BASE_FORMATTERS, datetime: minute_in_utc}  # noqa: RUF012

    def get_one(self, id: str) -> Any:
        """The row, locked for a write request; None for an id no row can have."""
        if not ID.fullmatch(id) or int(id) > INT_MAX:
            return None
        return db.session.get(self.model, int(id), with_for_update=lock_rows())

    def handle_view_exception(self, exc: Exception) -> bool:
        """A unique value taken meanwhile (after the form's check) is a message on the form;
        anything else is the site's error page (a 503 when the database is unavailable)
        instead of Flask-Admin's flash of the exception's text. Nothing is saved either way."""
        if isinstance(exc, IntegrityError):
            flash(CHANGED_MEANWHILE, "error")
            return True
        raise exc


def username_is_free(form: AdminForm, field: Field) -> None:
    # Looked up only when valid so far: no NUL reaches the database.
    if not field.errors:
        found = User.by_username(field.data)
        if found is not None and found is not form._obj:
            raise ValidationError(TAKEN)


class UserAdmin(SiteModelView):
    # Accounts are made by registering (or `flask users create`): only they set a password.
    can_create = False
    # A user's posts would go by ON DELETE CASCADE, past the tag counts.
    can_delete = False
    column_list = ("username", "roles", "created_at", "post_count")
    column_sortable_list = ("username", "created_at", "post_count")
    column_default_sort = ("username", False)
    column_searchable_list = ("username",)
    column_formatters = {  # noqa: RUF012 (Flask-Admin's attribute)
        "roles": lambda _view, _context, user, _name: ", ".join(r.name for r in user.roles)
    }
    form_columns = ("username", "roles")
    form_args = {  # noqa: RUF012
        "username": {
            "validators": [*same_rules_as(RegisterForm.username)["validators"], username_is_free]
        },
        "roles": {"get_label": "name"},
    }


def tag_titles(_view: Any, _context: Any, post: Post, _name: str) -> str:
    return ", ".join(tag.title for tag in post.tags)


class PostAdmin(SiteModelView):
    # Posts are written in the editor (/blog/new), by their author.
    can_create = False
    column_list = ("title", "user", "publish_date", "tags")
    column_labels = {"user": "Author"}  # noqa: RUF012
    column_sortable_list = ("title", "publish_date")
    column_default_sort = ("publish_date", True)
    column_searchable_list = ("title",)
    column_formatters = {  # noqa: RUF012
        "user": lambda _view, _context, post, _name: post.user.username,
        "tags": tag_titles,
    }
    form_columns = ("title", "text", "tags")
    form_args = {  # noqa: RUF012
        "title": same_rules_as(PostForm.title),
        "text": {**same_rules_as(PostForm.text), "label": "Text (Markdown)"},
        "tags": {"get_label": "title"},
    }
    form_widget_args = {"text": {"rows": 12}}  # noqa: RUF012


def link_to_post(_view: Any, _context: Any, comment: Comment, _name: str) -> Markup:
    # Markup.format escapes the title and the URL.
    url = url_for("blog.post", post_id=comment.post_id, _anchor="comments")
    return Markup('<a href="{}">{}</a>').format(url, comment.post.title)


class CommentAdmin(SiteModelView):
    """Moderation: comments are listed and deleted, never changed."""

    can_create = False
    can_edit = False
    column_list = ("date", "name", "text", "post")
    column_sortable_list = ("date", "name")
    column_default_sort = ("date", True)
    column_searchable_list = ("name", "text")
    column_formatters = {"post": link_to_post}  # noqa: RUF012


def clean_tag_title(title: str | None) -> str | None:
    """A tag title as the editor stores it (whitespace collapsed, no control characters)."""
    return None if title is None else "".join(clean_tag_titles([title]))


class TagAdmin(SiteModelView):
    column_list = ("title", "post_count")
    column_labels = {"post_count": "Posts"}  # noqa: RUF012
    column_default_sort = ("title", False)
    column_searchable_list = ("title",)
    form_columns = ("title",)
    form_args = {  # noqa: RUF012
        "title": {"filters": [clean_tag_title], "validators": [DataRequired()]}
    }
