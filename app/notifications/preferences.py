"""The logged-in user's mail settings: notes about comments on their posts, the digest."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, SubmitField

from app.extensions import db
from app.forms import form_page
from app.models import User
from app.notifications import notifications

SAVED = "Your mail settings have been saved."


class MailSettingsForm(FlaskForm):
    notify_comments = BooleanField("Mail me when someone comments on one of my posts")
    weekly_digest = BooleanField("Mail me a digest of the week's new posts (Sundays)")
    submit = SubmitField("Save")


@notifications.route("/account/mail", methods=["GET", "POST"])
@login_required
def settings() -> Response | tuple[str, int]:
    user: User = current_user._get_current_object()
    form = MailSettingsForm(obj=user)
    if form.validate_on_submit():
        user.notify_comments = form.notify_comments.data
        user.weekly_digest = form.weekly_digest.data
        db.session.commit()
        flash(SAVED, "success")
        return redirect(url_for("notifications.settings"))
    return form_page("notifications/settings.html", form, has_email=bool(user.email))
