"""A mail to a post's author when a comment arrives on their post (the HTML form or the API).

Only to authors who have an email address and have not turned it off, and never for their
own comment (an author logged in, or with an API token, commenting on their own post).
"""

from __future__ import annotations

from celery import shared_task
from flask import render_template

from app.extensions import db
from app.jobs import queue
from app.mail import absolute_url, make_message, send_mail, site_url
from app.models import Comment
from app.notifications.unsubscribe import unsubscribe_headers, unsubscribe_link

NOTIFY = "app.notifications.comments.notify_post_author"
SUBJECT = "New comment on “{title}”"


def comment_posted(comment_id: int, commenter_id: int | None) -> None:
    """Queue the note about the comment ``comment_id`` (committed) by the user
    ``commenter_id`` (None: a visitor); its links are under this request's address unless
    SITE_URL says otherwise."""
    queue(NOTIFY, comment_id, commenter_id, site_url())


@shared_task(name=NOTIFY)
def notify_post_author(comment_id: int, commenter_id: int | None, base_url: str) -> bool:
    """Mail the comment to its post's author, if they want it; True when it is sent."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        return False
    post = comment.post
    author = post.user
    if not (author.email and author.notify_comments) or author.id == commenter_id:
        return False
    headers = unsubscribe_headers(author, "comments", base_url)
    body = render_template(
        "notifications/email/comment.txt",
        author=author,
        post=post,
        comment=comment,
        link=absolute_url("blog.post", _base=base_url, post_id=post.id) + "#comments",
        unsubscribe=unsubscribe_link(headers),
    )
    message = make_message(author.email, SUBJECT.format(title=post.title), body, headers)
    send_mail(message, f"comment:{comment.id}:author")
    return True
