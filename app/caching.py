"""The page cache (the book's chapter 10): parts of pages that are the same for every
anonymous reader, kept in Flask-Caching's backend (``CACHE_TYPE``).

A template marks such a part ``{% cached_part "name", what_it_varies_on... %}`` ...
``{% endcached_part %}``. Its key holds the *generation*, the part's name and what it varies
on (the pages' URL, path and query), never anything of one visitor's. The per-visitor parts
of a page (account links, flash messages, forms with their CSRF token, edit buttons) stay
outside these tags and are rendered on every request.

Only anonymous GET (and HEAD) requests read or fill the cache: whatever a logged-in user
sees is rendered fresh, and nothing rendered for them is stored for others.

A visitor who sends no cookie at all has no session: no flash, no login and no form token
can be theirs alone. For them a whole page is stored and sent as it was, with no template
rendered, unless the page put something in the session or set a cookie (a page with a form
puts its CSRF token in a new session, so it is never stored whole).

Invalidation: the generation is a random token kept in the cache itself. Any commit that
flushed a post, comment, tag or user (through the ORM, the only way the app writes) drops it,
and the next read makes a new one, so every part stored before is never read again and
expires on its own (``CACHE_DEFAULT_TIMEOUT``). A random token rather than a counter: a
generation the backend evicted or lost starts afresh the same way and can never match parts
stored under an older one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from functools import cached_property
from itertools import chain
from typing import Any, Generic, TypeVar

from flask import Flask, Response, g, has_app_context, request, session
from flask_login import current_user
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.extensions import cache
from app.models import Comment, Post, Tag, User

GENERATION_KEY = "page-cache-generation"
# What the cached parts show is made of these; a commit that touched one invalidates them.
SHOWN_MODELS = (Post, Comment, Tag, User)
CHANGED = "page_cache_changed"
CACHED_BLUEPRINTS = frozenset({"blog"})
# What a whole page may be: a page, or a feed.
STORED_MIMETYPES = frozenset({"text/html", "application/atom+xml"})
# 64 random bits: a new generation never matches an older one.
GENERATION_BYTES = 8

T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Call after the compression's init_app: a whole page is stored before it is
    compressed (after_request hooks run last registered first)."""
    cache.init_app(app)
    app.jinja_env.add_extension(CachedPartExtension)
    app.before_request(remember_generation)
    app.before_request(send_stored_page)
    app.after_request(store_page)


def current_generation() -> str:
    """The generation in the cache, or a new one when it has none (first use, evicted)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add, not set: a worker that made one meanwhile keeps it, and both use it.
        cache.add(GENERATION_KEY, secrets.token_hex(GENERATION_BYTES), timeout=0)
        generation = cache.get(GENERATION_KEY) or "uncached"
    return str(generation)


def new_generation() -> None:
    """Forget every cached part at once (they expire unread): the next read makes a new
    generation."""
    cache.delete(GENERATION_KEY)


def remember_generation() -> None:
    # Read before the request's first SQL statement: a part rendered from a database
    # snapshot older than a commit is then stored under the generation that commit replaced,
    # and never read.
    if request.method in ("GET", "HEAD") and request.blueprint in CACHED_BLUEPRINTS:
        g.page_cache_generation = current_generation()


def page_key() -> str | None:
    """The whole page's key for this request, or None when it must be rendered for it."""
    generation = g.get("page_cache_generation")
    if generation is None or request.method != "GET" or request.cookies:
        return None
    # The whole URL: a feed's links are absolute, and one asked for under a forged Host must
    # not be sent to everyone. Stored as (content type, body): "page/" entries of an older
    # release (bare HTML) are never read.
    return f"whole/{generation}/{short_hash(request.url)}"


def send_stored_page() -> Response | None:
    key = page_key()
    stored = None if key is None else cache.get(key)
    if stored is None:
        return None
    g.page_from_cache = True
    content_type, body = stored
    # As a rendered page would say (it reads the session): a shared cache must not give a
    # visitor's browser with cookies the page stored for one without.
    return Response(body, content_type=content_type, headers={"Vary": "Cookie"})


def store_page(response: Response) -> Response:
    key = None if g.get("page_from_cache") else page_key()
    storable = response.status_code == 200 and response.mimetype in STORED_MIMETYPES
    # The session cookie is written after this hook: what the page put in the session (a
    # form's CSRF token, a flash) shows here, before it becomes a Set-Cookie.
    if key is not None and storable and not session and "Set-Cookie" not in response.headers:
        cache.set(key, (response.content_type, response.get_data(as_text=True)))
    return response


def part_key(name: str, vary_on: Iterable[Any]) -> str | None:
    """The part's key for this request, or None when this request must not use the cache."""
    generation = g.get("page_cache_generation")
    if generation is None or current_user.is_authenticated:
        return None
    varies = json.dumps([str(value) for value in vary_on])
    return f"part/{generation}/{name}/{short_hash(varies)}"


def short_hash(text: str) -> str:
    # URLs can be long and hold any character; keys stay short and plain.
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached_part(name: str, vary_on: Iterable[Any], render: Callable[[], str]) -> Markup:
    """``render()``'s output, from the cache when this request may use it. It is a template
    block's output, escaped by the template already: Markup keeps Jinja from escaping it
    twice."""
    key = part_key(name, vary_on)
    if key is None:
        return Markup(render())  # noqa: S704 (a template's own escaped output)
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html)
    return Markup(html)  # noqa: S704 (a template's own escaped output, stored as is)


class CachedPartExtension(Extension):
    """``{% cached_part "name", vary_on... %}body{% endcached_part %}``: the body from the
    page cache when this request may use it (see :func:`part_key`), else rendered."""

    tags = {"cached_part"}  # noqa: RUF012 (Jinja's own attribute)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        vary_on = []
        while parser.stream.skip_if("comma"):
            vary_on.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached_part",), drop_needle=True)
        call = self.call_method("_render", [name, nodes.List(vary_on)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, name: str, vary_on: list[Any], caller: Callable[[], str]) -> Markup:
        return cached_part(name, vary_on, caller)


class Deferred(Generic[T]):
    """A value computed when a template first reads one of its attributes: a cached part
    that holds everything shown of it saves its queries."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute

    @cached_property
    def value(self) -> T:
        return self._compute()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)


@event.listens_for(Session, "after_flush")
def _note_shown_changes(session: Session, flush_context: UOWTransaction) -> None:
    # The session still lists what it flushed here (new, dirty, deleted before the flush).
    flushed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(instance, SHOWN_MODELS) for instance in flushed):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state: ORMExecuteState) -> None:
    # An UPDATE, DELETE or INSERT statement run through the session changes rows without
    # any object to flush.
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[CHANGED] = True


@event.listens_for(Session, "after_commit")
def _new_generation_after_commit(session: Session) -> None:
    # A rolled-back change leaves the mark: at worst the next commit starts a generation
    # that was not needed.
    if session.info.pop(CHANGED, False) and has_app_context():
        new_generation()
