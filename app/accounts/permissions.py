"""Who may do what: the rules in one place, used by the views and by the templates.

Posters and admins write posts; a post's author and admins edit and delete it. A refusal
sends anonymous visitors to the login page (returning afterwards to ``next``) and gives
everyone else the 403 page.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Flask, abort, flash, redirect, request, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.models import Post, User

WRITER_ROLES = ("poster", "admin")


def may_write_posts(user: User) -> bool:
    return user.is_authenticated and user.has_role(*WRITER_ROLES)


def may_change_post(user: User, post: Post) -> bool:
    return user.is_authenticated and (post.user_id == user.id or user.has_role("admin"))


def refuse(next_path: str | None = None) -> NoReturn:
    """Stop the request: to the login page when nobody is logged in, else 403.

    ``next_path`` is where to come back after login; by default the page asked for. A POST
    (say, a delete) names a page to come back to instead, since it cannot be replayed by GET.
    """
    if current_user.is_authenticated:
        abort(403, description="Your account is not allowed to do that.")
    flash(login_manager.login_message, login_manager.login_message_category)
    back = next_path or request.full_path.removesuffix("?")
    abort(redirect(url_for(login_manager.login_view, next=back)))


def require(allowed: bool, next_path: str | None = None) -> None:
    if not allowed:
        refuse(next_path)


def init_app(app: Flask) -> None:
    """The templates ask the same rules: the nav's "New post", a post's edit and delete."""
    app.add_template_global(may_write_posts)
    app.add_template_global(may_change_post)
