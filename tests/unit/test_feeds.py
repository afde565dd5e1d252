"""The Atom feeds: the blog's 20 newest posts at /blog/feed.atom and a tag's at
/blog/feed/tag/<title>.atom, valid Atom (read back here with ElementTree against the Atom
namespace), the stored sanitised HTML as each entry's content, linked from every page's head,
and cached like the list pages."""

from __future__ import annotations

import gzip
from xml.etree import ElementTree

import pytest

from app.extensions import db
from tests.factories import PosterFactory, PostFactory, TagFactory
from tests.support.html import get_page
from tests.support.sessions import log_in_session
from tests.unit.test_blog_queries import statements_run

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_TYPE = "application/atom+xml"


def atom_of(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)  # noqa: S314 (the app's own output)


def read_feed(client, url: str, **kwargs) -> ElementTree.Element:
    """The feed at ``url``, parsed: a 200 of Atom's media type that is well-formed XML."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == ATOM_TYPE
    assert response.mimetype_params == {"charset": "utf-8"}
    feed = atom_of(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    return feed


def child(element: ElementTree.Element, path: str) -> ElementTree.Element:
    """The first element at ``path`` (``atom:`` stands for the Atom namespace); it must exist."""
    found = element.find(path.replace("atom:", ATOM))
    assert found is not None, path
    return found


def text(element: ElementTree.Element, path: str) -> str:
    return child(element, path).text or ""


def links(element: ElementTree.Element) -> dict[str, str]:
    return {link.get("rel", ""): link.get("href", "") for link in element.findall(f"{ATOM}link")}


def entry_titles(feed: ElementTree.Element) -> list[str]:
    return [text(entry, "atom:title") for entry in feed.findall(f"{ATOM}entry")]


def test_the_blog_feed_holds_the_20_newest_posts_newest_first(client):
    posts = PostFactory.create_batch(25)
    feed = read_feed(client, "/blog/feed.atom")
    assert entry_titles(feed) == [post.title for post in reversed(posts[5:])]


def test_the_feed_has_what_atom_requires_of_a_feed(client):
    newest = PostFactory.create_batch(2)[-1]
    feed = read_feed(client, "/blog/feed.atom")
    assert text(feed, "atom:id") == "http://localhost/blog/feed.atom"
    assert text(feed, "atom:title") == "Mastering Flask Blog"
    assert text(feed, "atom:updated") == newest.publish_date.isoformat()
    assert links(feed) == {
        "self": "http://localhost/blog/feed.atom",
        "alternate": "http://localhost/blog/",
    }


def test_each_entry_has_its_id_title_dates_author_link_tags_and_html_content(client):
    post = PostFactory(
        title="Hello",
        text="Some **bold** text",
        user=PosterFactory(username="writer"),
        tags=[TagFactory(title="news"), TagFactory(title="flask")],
    )
    (entry,) = read_feed(client, "/blog/feed.atom").findall(f"{ATOM}entry")
    url = f"http://localhost/blog/post/{post.id}"
    assert text(entry, "atom:id") == url
    assert text(entry, "atom:title") == "Hello"
    assert text(entry, "atom:published") == post.publish_date.isoformat()
    assert text(entry, "atom:updated") == post.publish_date.isoformat()
    assert text(entry, "atom:author/atom:name") == "writer"
    assert text(entry, "atom:author/atom:uri") == "http://localhost/blog/user/writer"
    assert links(entry) == {"alternate": url}
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["flask", "news"]
    content = child(entry, "atom:content")
    assert content.get("type") == "html"
    assert content.text == post.html == "<p>Some <strong>bold</strong> text</p>"


def test_entry_content_is_the_sanitised_html_stored_with_the_post(client):
    post = PostFactory(text='<script>alert("x")</script> [link](javascript:alert(1)) & more')
    response = client.get("/blog/feed.atom")
    content = child(atom_of(response.get_data()), "atom:entry/atom:content")
    assert content.text == post.html
    assert "<script" not in content.text
    assert "javascript:" not in content.text
    assert b"<script" not in response.get_data()


def test_markup_and_ampersands_in_titles_names_and_tags_come_back_as_they_were(client):
    PostFactory(
        title='<b>Tom & "Jerry"</b> ]]>',
        user=PosterFactory(username="a<b>&'c"),
        tags=[TagFactory(title="c++ & <x>")],
    )
    (entry,) = read_feed(client, "/blog/feed.atom").findall(f"{ATOM}entry")
    assert text(entry, "atom:title") == '<b>Tom & "Jerry"</b> ]]>'
    assert text(entry, "atom:author/atom:name") == "a<b>&'c"
    assert child(entry, "atom:category").get("term") == "c++ & <x>"


def test_characters_xml_cannot_carry_are_left_out_and_the_feed_stays_valid(client):
    """The API accepts control characters other than NUL in a title; XML 1.0 has no way to
    write most of them, so a feed holding one would be unreadable as a whole."""
    PostFactory(title="Bell\x07, form feed\x0c and \ufffe end", text="Escape \x1b[0m here")
    (entry,) = read_feed(client, "/blog/feed.atom").findall(f"{ATOM}entry")
    assert text(entry, "atom:title") == "Bell, form feed and  end"
    assert child(entry, "atom:content").text == "<p>Escape [0m here</p>"


def test_an_empty_blog_has_a_valid_feed_without_entries(client):
    feed = read_feed(client, "/blog/feed.atom")
    assert feed.findall(f"{ATOM}entry") == []
    assert text(feed, "atom:updated")


def test_a_tag_feed_holds_only_that_tags_posts_newest_first(client):
    news = TagFactory(title="news")
    first = PostFactory(tags=[news])
    PostFactory(tags=[TagFactory()])
    second = PostFactory(tags=[news])
    feed = read_feed(client, "/blog/feed/tag/news.atom")
    assert entry_titles(feed) == [second.title, first.title]
    assert text(feed, "atom:title") == "Mastering Flask Blog: posts tagged news"
    assert text(feed, "atom:id") == "http://localhost/blog/feed/tag/news.atom"
    assert text(feed, "atom:updated") == second.publish_date.isoformat()
    assert links(feed)["alternate"] == "http://localhost/blog/tag/news"


def test_a_tag_feed_holds_the_tags_20_newest_posts(client):
    news = TagFactory(title="news")
    posts = PostFactory.create_batch(22, tags=[news])
    feed = read_feed(client, "/blog/feed/tag/news.atom")
    assert entry_titles(feed) == [post.title for post in reversed(posts[2:])]


@pytest.mark.parametrize(
    ("title", "other", "page_url", "feed_url"),
    [
        ("a/b", "a", "/blog/tag/a/b", "/blog/feed/tag/a/b.atom"),
        ("x.atom", "x", "/blog/tag/x.atom", "/blog/feed/tag/x.atom.atom"),
        ("c# & ?q", "c", "/blog/tag/c%23%20&%20%3Fq", "/blog/feed/tag/c%23%20&%20%3Fq.atom"),
    ],
)
def test_any_tag_has_a_feed_at_a_url_that_names_no_other_tag(
    client, title, other, page_url, feed_url
):
    """A tag's title may hold a slash or end in .atom: its feed's URL is still its own."""
    post = PostFactory(tags=[TagFactory(title=title)])
    PostFactory(tags=[TagFactory(title=other)])
    assert entry_titles(read_feed(client, feed_url)) == [post.title]
    feeds = get_page(client, page_url).select(f'head link[type="{ATOM_TYPE}"]')
    assert [link["href"] for link in feeds] == ["/blog/feed.atom", feed_url]


def test_a_tag_without_posts_has_a_valid_empty_feed(client):
    TagFactory(title="quiet")
    assert read_feed(client, "/blog/feed/tag/quiet.atom").findall(f"{ATOM}entry") == []


@pytest.mark.parametrize(
    "url",
    [
        "/blog/feed/tag/nothing.atom",
        "/blog/feed/tag/nul%00.atom",
        f"/blog/feed/tag/{'x' * 65}.atom",
    ],
)
def test_the_feed_of_an_unknown_tag_is_a_404_page(client, url):
    TagFactory(title="news")
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_every_page_links_the_blog_feed_in_its_head(client):
    post = PostFactory(tags=[TagFactory(title="news")])
    for url in ("/blog/", f"/blog/post/{post.id}", "/blog/user/" + post.user.username, "/login"):
        feeds = get_page(client, url).select(f'head link[rel=alternate][type="{ATOM_TYPE}"]')
        assert [(link["href"], link["title"]) for link in feeds] == [
            ("/blog/feed.atom", "Mastering Flask Blog")
        ]


def test_a_tag_page_links_its_own_feed_too(client):
    TagFactory(title="news")
    feeds = get_page(client, "/blog/tag/news").select(f'head link[type="{ATOM_TYPE}"]')
    assert [(link["href"], link["title"]) for link in feeds] == [
        ("/blog/feed.atom", "Mastering Flask Blog"),
        ("/blog/feed/tag/news.atom", "Posts tagged news"),
    ]


@pytest.mark.parametrize("url", ["/blog/feed.atom", "/blog/feed/tag/news.atom"])
def test_a_reader_without_cookies_gets_the_feed_from_the_cache_until_a_post_is_added(
    app, client, url
):
    poster = PosterFactory()
    log_in_session(client, poster)
    PostFactory(title="Old", tags=[TagFactory(title="news")])
    reader = app.test_client()
    first = reader.get(url)
    db.session.expunge_all()
    with statements_run() as run:
        again = reader.get(url)
    assert run == []
    assert again.get_data() == first.get_data()
    assert again.content_type == first.content_type
    varies = [{v.strip() for v in r.headers["Vary"].split(",")} for r in (first, again)]
    assert varies[0] == varies[1] >= {"Cookie"}
    response = client.post("/blog/new", data={"title": "New", "text": "Hi", "tags": "news"})
    assert response.status_code == 302
    assert entry_titles(read_feed(reader, url)) == ["New", "Old"]


def test_a_reader_with_cookies_gets_the_feeds_entries_from_the_cache(app, client):
    PostFactory.create_batch(3)
    client.set_cookie("session", "anything")
    client.get("/blog/feed.atom")
    db.session.expunge_all()
    with statements_run() as run:
        feed = read_feed(client, "/blog/feed.atom")
    assert run == []
    assert len(feed.findall(f"{ATOM}entry")) == 3


def test_a_feed_asked_for_under_another_host_name_is_never_sent_to_this_one(client):
    """Its links are absolute: a request with a forged Host must not fill the cache for all."""
    PostFactory()
    forged = read_feed(client, "/blog/feed.atom", headers={"Host": "evil.example"})
    assert text(forged, "atom:id") == "http://evil.example/blog/feed.atom"
    assert text(read_feed(client, "/blog/feed.atom"), "atom:id") == (
        "http://localhost/blog/feed.atom"
    )


def test_the_feed_is_compressed_for_readers_that_ask(client):
    PostFactory.create_batch(3)
    response = client.get("/blog/feed.atom", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    feed = atom_of(gzip.decompress(response.get_data()))
    assert len(feed.findall(f"{ATOM}entry")) == 3


def test_the_feed_shows_an_edited_post_as_it_is_now(client):
    poster = PosterFactory()
    post = PostFactory(title="Draft", user=poster)
    assert entry_titles(read_feed(client, "/blog/feed.atom")) == ["Draft"]
    log_in_session(client, poster)
    response = client.post(f"/blog/edit/{post.id}", data={"title": "Final", "text": "Done"})
    assert response.status_code == 302
    assert entry_titles(read_feed(client, "/blog/feed.atom")) == ["Final"]
