"""The page cache: anonymous readers get the parts of pages that are the same for everyone
from the cache, every write shows at once, and nothing of one visitor's is ever shared."""

from __future__ import annotations

import pytest
from flask import template_rendered
from flask_caching.backends import FileSystemCache, NullCache, RedisCache
from sqlalchemy import text, update

from app import create_app
from app.caching import GENERATION_KEY
from app.config import ProdConfig
from app.extensions import cache, db
from app.models import Post
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.support.api import bearer, token_for
from tests.support.html import get_page, one, parse, text_of
from tests.support.sessions import log_in_session
from tests.unit.test_blog_queries import statements_run


@pytest.fixture
def reader(app):
    """An anonymous visitor with a browser (cookies) of their own."""
    return app.test_client()


def titles_on(client, url: str) -> list[str]:
    return text_of(get_page(client, url), "article.post h2")


def sidebar_titles(client, url: str = "/blog/") -> list[str]:
    return text_of(get_page(client, url), ".recent-posts li")


def change_title_unannounced(post: Post, title: str) -> None:
    """Change the stored title the way no app code does (plain SQL, no ORM object), so the
    page cache is not told: what readers see then shows whether a page came from it."""
    statement = text("UPDATE post SET title = :title WHERE id = :id")
    db.session.execute(statement, {"title": title, "id": post.id})
    db.session.commit()


def test_a_warm_anonymous_home_page_runs_no_sql(reader):
    """The post list and the sidebar come from the cache: not one query."""
    PostFactory.create_batch(3, tags=[TagFactory()])
    get_page(reader, "/blog/")
    db.session.expunge_all()
    with statements_run() as run:
        page = get_page(reader, "/blog/")
    assert run == []
    assert len(text_of(page, "article.post h2")) == 3
    assert len(text_of(page, ".top-tags li")) == 1


@pytest.mark.parametrize("url", ["/blog/tag/{tag}", "/blog/user/{user}", "/blog/post/{post}"])
def test_warm_anonymous_pages_look_up_only_what_names_them(reader, url):
    """The tag, the author or the post the URL names (a 404 otherwise); the list, the post's
    body, its comments and the sidebar come from the cache."""
    post = PostFactory(tags=[TagFactory()])
    CommentFactory.create_batch(2, post=post)
    url = url.format(tag=post.tags[0].title, user=post.user.username, post=post.id)
    cold_page = get_page(reader, url)
    db.session.expunge_all()
    with statements_run() as run:
        warm_page = get_page(reader, url)
    assert len(run) <= 4
    assert not any("tags_posts" in statement for statement in run)
    assert text_of(warm_page, "main") == text_of(cold_page, "main")


@pytest.mark.parametrize("url", ["/blog/", "/blog/tag/{tag}", "/blog/user/{user}"])
def test_a_visitor_without_cookies_gets_the_whole_list_page_from_the_cache(app, reader, url):
    """No cookie, no session: no flash, no login, no form token can be theirs alone, so a
    list page is sent as it was stored, with no template rendered."""
    post = PostFactory(tags=[TagFactory(title="t")], user=PosterFactory(username="u"))
    url = url.format(tag="t", user="u")
    first = reader.get(url)
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(note, app), statements_run() as run:
        again = reader.get(url)
    assert reader.get_cookie("session") is None
    assert (again.status_code, again.get_data()) == (200, first.get_data())
    varies = [{v.strip() for v in r.headers["Vary"].split(",")} for r in (first, again)]
    assert varies[0] == varies[1] >= {"Cookie"}
    assert (rendered, run) == ([], [])
    assert post.title in again.get_data(as_text=True)


def test_a_visitor_with_a_session_gets_a_page_rendered_for_them(app, client):
    """Once the session holds something (a flash, a form token), pages are rendered."""
    PostFactory()
    client.get("/blog/")
    with client.session_transaction() as session:
        session["seen"] = True
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(note, app):
        assert client.get("/blog/").status_code == 200
    assert rendered == ["blog/home.html"]


def test_anonymous_readers_are_served_the_cached_parts(reader):
    """Proof that the cache is in use: a change no write announced stays unseen."""
    post = PostFactory(title="Before")
    assert titles_on(reader, "/blog/") == ["Before"]
    change_title_unannounced(post, "After")
    assert titles_on(reader, "/blog/") == ["Before"]
    cache.delete(GENERATION_KEY)
    # A generation the cache lost starts afresh: no part stored before is read again.
    assert titles_on(reader, "/blog/") == ["After"]


def test_a_new_comment_shows_at_once_to_its_author_and_to_other_readers(client, reader):
    post = PostFactory()
    assert text_of(get_page(reader, f"/blog/post/{post.id}"), ".comment-text") == []
    response = client.post(
        f"/blog/post/{post.id}", data={"name": "Dora", "text": "First!"}, follow_redirects=True
    )
    assert text_of(parse(response.get_data(as_text=True)), ".comment-text") == ["First!"]
    assert text_of(get_page(reader, f"/blog/post/{post.id}"), ".comment-text") == ["First!"]


def test_a_new_post_shows_at_once_on_every_list_and_in_the_sidebar(client, reader):
    poster = PosterFactory(username="writer")
    PostFactory(title="Old", user=poster, tags=[TagFactory(title="news")])
    urls = ("/blog/", "/blog/tag/news", "/blog/user/writer")
    for url in urls:
        assert titles_on(reader, url) == ["Old"]
    assert sidebar_titles(reader) == ["Old"]
    log_in_session(client, poster)
    response = client.post("/blog/new", data={"title": "New", "text": "Hello", "tags": "news"})
    assert response.status_code == 302
    for url in urls:
        assert titles_on(reader, url) == ["New", "Old"]
    assert sidebar_titles(reader, "/blog/tag/news") == ["New", "Old"]


def test_an_edited_post_shows_at_once_in_lists_on_its_page_and_in_the_sidebar(client, reader):
    poster = PosterFactory(username="writer")
    post = PostFactory(title="Draft", user=poster, tags=[TagFactory(title="news")])
    urls = ("/blog/", "/blog/tag/news", "/blog/user/writer")
    for url in urls:
        assert titles_on(reader, url) == ["Draft"]
    assert text_of(get_page(reader, f"/blog/post/{post.id}"), "article h1") == ["Draft"]
    log_in_session(client, poster)
    response = client.post(
        f"/blog/edit/{post.id}", data={"title": "Final", "text": "Done", "tags": "news"}
    )
    assert response.status_code == 302
    for url in urls:
        assert titles_on(reader, url) == ["Final"]
    page = get_page(reader, f"/blog/post/{post.id}")
    assert text_of(page, "article h1") == ["Final"]
    assert text_of(page, ".post-body") == ["Done"]
    assert sidebar_titles(reader) == ["Final"]


def test_a_deleted_post_is_gone_at_once_from_lists_the_sidebar_and_its_page(client, reader):
    poster = PosterFactory(username="writer")
    post = PostFactory(title="Doomed", user=poster, tags=[TagFactory(title="news")])
    PostFactory(title="Stays", user=poster)
    for url in ("/blog/", "/blog/user/writer"):
        assert "Doomed" in titles_on(reader, url)
    get_page(reader, f"/blog/post/{post.id}")
    log_in_session(client, poster)
    assert client.post(f"/blog/delete/{post.id}").status_code == 302
    for url in ("/blog/", "/blog/user/writer"):
        assert titles_on(reader, url) == ["Stays"]
    assert sidebar_titles(reader) == ["Stays"]
    get_page(reader, f"/blog/post/{post.id}", status=404)
    assert text_of(get_page(reader, "/blog/"), ".top-tags li") == []


def test_a_post_written_through_the_api_shows_at_once(client, reader):
    poster = PosterFactory()
    PostFactory(title="Old")
    assert titles_on(reader, "/blog/") == ["Old"]
    response = client.post(
        "/api/post", json={"title": "From the API", "text": "x"}, headers=bearer(token_for(poster))
    )
    assert response.status_code == 201
    assert titles_on(reader, "/blog/") == ["From the API", "Old"]


def test_an_update_statement_through_the_session_shows_at_once(reader):
    """Rows changed by a statement rather than by objects invalidate the cache as well."""
    post = PostFactory(title="Before")
    assert titles_on(reader, "/blog/") == ["Before"]
    db.session.execute(update(Post).where(Post.id == post.id).values(title="After"))
    db.session.commit()
    assert titles_on(reader, "/blog/") == ["After"]


@pytest.mark.usefixtures("csrf_on")
def test_two_anonymous_visitors_get_their_own_csrf_token_and_both_can_comment(app, reader):
    post = PostFactory()
    other = app.test_client()
    pages = [get_page(visitor, f"/blog/post/{post.id}") for visitor in (reader, other)]
    tokens = [one(page, "#comments form input[name=csrf_token]")["value"] for page in pages]
    assert tokens[0] != tokens[1]
    for visitor, token, name in zip((reader, other), tokens, ("Ann", "Bob"), strict=True):
        response = visitor.post(
            f"/blog/post/{post.id}", data={"csrf_token": token, "name": name, "text": "Hi"}
        )
        assert response.status_code == 302
    names = text_of(get_page(reader, f"/blog/post/{post.id}"), ".comment-name")
    assert sorted(names) == ["Ann", "Bob"]


def test_a_flash_message_shows_once_on_the_next_page_and_not_on_cached_later_pages(client):
    post = PostFactory()
    get_page(client, "/blog/")  # the home page's parts are cached now
    client.post(f"/blog/post/{post.id}", data={"name": "Dora", "text": "Hello"})
    flashed = "Thank you, your comment is posted."
    assert flashed in text_of(get_page(client, "/blog/"), "main")[0]
    assert flashed not in text_of(get_page(client, "/blog/"), "main")[0]
    assert flashed not in text_of(get_page(client, f"/blog/post/{post.id}"), "main")[0]


def test_a_logged_in_user_gets_fresh_pages_with_their_account_links(client, reader):
    member = PosterFactory(username="member")
    post = PostFactory(title="Before")
    assert titles_on(reader, "/blog/") == ["Before"]
    change_title_unannounced(post, "After")
    log_in_session(client, member)
    page = get_page(client, "/blog/")
    assert text_of(page, "article.post h2") == ["After"]
    assert text_of(page, ".recent-posts li") == ["After"]
    assert text_of(page, ".nav-account .username") == ["member"]
    assert titles_on(reader, "/blog/") == ["Before"]


def test_what_an_author_sees_is_never_stored_for_anonymous_readers(client, reader):
    """The author's edit and delete buttons, and their account links, stay theirs."""
    author = PosterFactory(username="author")
    post = PostFactory(user=author, title="Mine")
    log_in_session(client, author)
    own = get_page(client, f"/blog/post/{post.id}")
    assert own.select("#edit")
    assert own.select("#delete")
    get_page(client, "/blog/")
    for url in (f"/blog/post/{post.id}", "/blog/", "/blog/user/author"):
        page = get_page(reader, url)
        assert page.select("#edit") == page.select("#delete") == []
        assert text_of(page, ".nav-account .username") == []
        assert "Log in" in text_of(page, ".nav-account")[0]


def test_everything_works_with_the_null_cache(app, client, reader, monkeypatch):
    """CACHE_TYPE=NullCache stores nothing: every page rendered afresh, each write seen."""
    monkeypatch.setitem(app.extensions["cache"], cache, NullCache())
    post = PostFactory(title="Before")
    assert titles_on(reader, "/blog/") == ["Before"]
    change_title_unannounced(post, "After")
    assert titles_on(reader, "/blog/") == ["After"]
    client.post(f"/blog/post/{post.id}", data={"name": "Dora", "text": "Hello"})
    page = get_page(reader, f"/blog/post/{post.id}")
    assert text_of(page, ".comment-text") == ["Hello"]
    assert sidebar_titles(reader) == ["After"]


def test_cache_type_comes_from_the_environment():
    app = create_app("test", environ={"CACHE_TYPE": "NullCache"})
    assert isinstance(app.extensions["cache"][cache], NullCache)


def test_one_setting_shares_the_cache_in_redis():
    environ = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:6399/1"}
    app = create_app("test", environ=environ)
    assert isinstance(app.extensions["cache"][cache], RedisCache)
    assert app.config["CACHE_REDIS_URL"] == "redis://127.0.0.1:6399/1"


def test_production_workers_share_a_cache_folder_in_the_instance_folder(tmp_path):
    """gunicorn's workers must see each other's invalidations: not one cache each."""
    environ = {"SECRET_KEY": "k" * 16 + "0123456789abcdefXYZ", "DATABASE_URL": "sqlite://"}
    settings = ProdConfig.from_environment(environ, "/srv/blog/instance")
    assert settings["CACHE_TYPE"] == "FileSystemCache"
    assert settings["CACHE_DIR"] == "/srv/blog/instance/page-cache"
    app = create_app("prod", environ=environ | {"CACHE_DIR": str(tmp_path / "cache")})
    assert isinstance(app.extensions["cache"][cache], FileSystemCache)
    assert (tmp_path / "cache").is_dir()
