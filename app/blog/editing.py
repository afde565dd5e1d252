"""Writing, editing and deleting posts, on the blog blueprint.

Who may do what is decided in app.accounts.permissions; these views only ask. A refused or
invalid request changes nothing: the permission check comes before any write, and the form
is validated whole before the post is touched.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from app.accounts.permissions import may_change_post, may_write_posts, require
from app.blog import blog
from app.blog.forms import PostForm
from app.extensions import db
from app.forms import form_page
from app.lookups import post_or_404
from app.models import INT_MAX, Post, tags_from_titles
from app.rendering import render_markdown


def _editor(form: PostForm, post: Post | None = None) -> ResponseReturnValue:
    """The editor page: saved and redirected, or shown again with a preview or the errors."""
    if form.validate_on_submit():
        if form.preview.data:
            preview: Markup | None = render_markdown(form.text.data)
            return render_template("blog/editor.html", form=form, post=post, preview=preview)
        return _save(form, post)
    return form_page("blog/editor.html", form, post=post, preview=None)


def _save(form: PostForm, post: Post | None) -> ResponseReturnValue:
    if post is None:
        post = Post(user=current_user._get_current_object())
        db.session.add(post)
        message = "Your post is published."
    else:
        message = "The post is saved."
    post.title = form.title.data
    post.text = form.text.data
    post.tags = tags_from_titles(form.tag_titles)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("blog.post", post_id=post.id))


@blog.route("/new", methods=["GET", "POST"])
def new_post() -> ResponseReturnValue:
    require(may_write_posts(current_user))
    return _editor(PostForm())


@blog.route(f"/edit/<int(max={INT_MAX}):post_id>", methods=["GET", "POST"])
def edit_post(post_id: int) -> ResponseReturnValue:
    require(current_user.is_authenticated)
    post = post_or_404(post_id)
    require(may_change_post(current_user, post))
    return _editor(PostForm.for_post(post), post)


@blog.post(f"/delete/<int(max={INT_MAX}):post_id>")
def delete_post(post_id: int) -> ResponseReturnValue:
    # A POST cannot be replayed after login: come back to the post instead.
    require(current_user.is_authenticated, url_for("blog.post", post_id=post_id))
    post = post_or_404(post_id)
    require(may_change_post(current_user, post))
    db.session.delete(post)
    db.session.commit()
    flash("The post is deleted.", "info")
    return redirect(url_for("blog.home"))
