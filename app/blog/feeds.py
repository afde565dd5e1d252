"""The Atom feeds (RFC 4287): the blog's newest posts, and a tag's.

A template writes them, autoescaped as XML (Flask escapes every template whose name ends in
``.xml``); each entry's content is the sanitised HTML stored with the post, escaped once more
as Atom's ``type="html"`` asks. Like the list pages, they read the newest posts in the order
of the ``(publish_date, id)`` index and are cached (app.caching): whole for readers without
cookies, their entries for other anonymous readers.
"""

from __future__ import annotations

import re

from flask import Response, current_app, render_template, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.blog import blog
from app.blog.routes import AUTHOR_NAME, posts_tagged, tag_or_404
from app.caching import Deferred
from app.extensions import db
from app.models import NEWEST_POSTS_FIRST, Post, utcnow

FEED_ENTRIES = 20
ATOM_MEDIA_TYPE = "application/atom+xml"
# Characters XML 1.0 has no way to write (C0 controls but tab and line breaks, U+FFFE,
# U+FFFF): the API takes them in a title, and one would make the whole feed unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def newest_posts(statement: Select[Post]) -> Deferred[list[Post]]:
    """The newest posts ``statement`` selects, with authors and tags; queried only when the
    template reads them: not at all when the page cache has the entries."""
    return Deferred(
        lambda: list(
            db.session.scalars(
                statement.options(AUTHOR_NAME, selectinload(Post.tags))
                .order_by(*NEWEST_POSTS_FIRST)
                .limit(FEED_ENTRIES)
            )
        )
    )


def atom(posts: Deferred[list[Post]], title: str, page_url: str) -> Response:
    xml = render_template(
        "blog/feed.atom.xml", posts=posts, title=title, page_url=page_url, now=utcnow
    )
    return Response(NOT_XML.sub("", xml), mimetype=ATOM_MEDIA_TYPE)


@blog.get("/feed.atom")
def feed() -> Response:
    return atom(
        newest_posts(select(Post)),
        current_app.config["SITE_NAME"],
        url_for("blog.home", _external=True),
    )


# Not /tag/<title>/feed.atom: a title may hold a slash, and a tag "news/feed.atom" would
# share its page's URL with the feed of "news". Here the suffix is always there: stripped
# once, what is left is the title.
@blog.get("/feed/tag/<path:tag_name>.atom")
def tag_feed(tag_name: str) -> Response:
    found = tag_or_404(tag_name)
    return atom(
        newest_posts(posts_tagged(found)),
        f"{current_app.config['SITE_NAME']}: posts tagged {found.title}",
        url_for("blog.tag", tag_name=found.title, _external=True),
    )
