"""Eight writers at once on one post, through the API and the comment form: every write
is answered without a server error, and what is stored is exactly what was answered."""

from __future__ import annotations

import random

import requests

from tests.load.clients import (
    TIMEOUT,
    Answer,
    Burst,
    assert_no_server_error,
    bearer,
    describe,
    form_client,
    new_client,
    record,
    run_clients,
)
from tests.load.conftest import POST_WRITERS, LoadServer

COMMENTS_EACH = 25
POSTS_EACH = 6
PUTS_EACH = 10
TAG_POOL = 5
TAGS_PER_WRITE = 3


def assert_all(burst: Burst, status: int) -> None:
    others = [a for a in burst.answers if a.status != status]
    assert not others, f"{len(others)} answers were not {status}:\n{describe(others)}"


def tags_of(server: LoadServer, post_id: int) -> set[str]:
    return set(
        server.stored.column(
            "SELECT tag.title FROM tag JOIN post_tags ON post_tags.tag_id = tag.id "
            "WHERE post_tags.post_id = :post",
            post=post_id,
        )
    )


def assert_puts_answered(burst: Burst) -> None:
    """Every PUT is applied (200): concurrent changes of one post wait their turn, and none
    is refused for a conflict."""
    others = [a for a in burst.answers if a.status != 200]
    assert not others, f"{len(others)} answers not 200:\n{describe(others)}"


def assert_tags_unique_and_counted(server: LoadServer) -> None:
    """Each tag once, and each tag's post_count (kept by every write) equal to its rows."""
    twice = server.stored.rows("SELECT title, count(*) FROM tag GROUP BY title HAVING count(*) > 1")
    assert not twice, f"tags stored more than once: {twice}"
    miscounted = server.stored.rows(
        "SELECT title, post_count FROM tag "
        "WHERE post_count != (SELECT count(*) FROM post_tags WHERE tag_id = tag.id)"
    )
    assert not miscounted, f"tags whose post_count is not their number of posts: {miscounted}"


def test_api_comments_on_one_post(load_server: LoadServer) -> None:
    """8 readers x 25 comments on one post through the API: all 201, all stored."""
    server = load_server
    post_id = server.posts["api-comments"]
    url = f"{server.base_url}/api/post/{post_id}/comments"

    def act(client: int, session: requests.Session) -> list[Answer]:
        headers = bearer(server.tokens("reader", client))
        answers = []
        for n in range(COMMENTS_EACH):
            sent = {"name": f"api client {client}", "text": f"Comment {n} of client {client}."}
            response = session.post(url, json=sent, headers=headers, timeout=TIMEOUT)
            answers.append(Answer.of(client, response, sent))
        session.close()
        return answers

    burst = run_clients(lambda client: new_client(), act)
    answered = {a.body["id"] for a in burst.answers if a.status == 201}
    stored = set(server.stored.column("SELECT id FROM comment WHERE post_id = :p", p=post_id))
    record("a. API comments, 8 x 25", server, burst, f"{len(stored)} comments")

    assert_no_server_error(burst)
    assert stored == answered, f"stored but not answered 201: {sorted(stored - answered)[:10]}"
    assert_all(burst, 201)


def test_form_comments_on_one_post(load_server: LoadServer) -> None:
    """8 visitors x 25 comments through the post page's form (CSRF as a browser does):
    every one is redirected back (302) and stored."""
    server = load_server
    post_id = server.posts["form-comments"]
    url = f"{server.base_url}/blog/post/{post_id}"

    prepare = form_client(url)

    def act(client: int, state: tuple[requests.Session, str]) -> list[Answer]:
        session, token = state
        answers = []
        for n in range(COMMENTS_EACH):
            sent = {"name": f"form client {client}", "text": f"Comment {n}.", "csrf_token": token}
            # Not following the redirect: the page it leads to grows with every comment.
            response = session.post(url, data=sent, allow_redirects=False, timeout=TIMEOUT)
            answers.append(Answer.of(client, response, sent))
        session.close()
        return answers

    burst = run_clients(prepare, act)
    redirected = sum(a.status == 302 for a in burst.answers)
    stored = server.stored.scalar("SELECT count(*) FROM comment WHERE post_id = :p", p=post_id)
    record("b. form comments, 8 x 25", server, burst, f"{stored} comments")

    assert_no_server_error(burst)
    assert stored == redirected
    assert_all(burst, 302)


def test_api_posts_with_overlapping_new_tags(load_server: LoadServer) -> None:
    """8 writers x 6 posts, each with 3 of the same 5 new tags: every post is stored with
    its tags, and each tag exists once."""
    server = load_server
    pool = [f"new tag {k}" for k in range(TAG_POOL)]

    def act(client: int, session: requests.Session) -> list[Answer]:
        headers = bearer(server.tokens(POST_WRITERS[client % 3], client))
        chooser = random.Random(client)
        answers = []
        for n in range(POSTS_EACH):
            sent = {
                "title": f"Burst post {client}-{n}",
                "text": "Tagged at the same time as others.",
                "tags": chooser.sample(pool, TAGS_PER_WRITE),
            }
            response = session.post(
                f"{server.base_url}/api/post", json=sent, headers=headers, timeout=TIMEOUT
            )
            answers.append(Answer.of(client, response, sent))
        session.close()
        return answers

    burst = run_clients(lambda client: new_client(), act)
    created = {a.body["id"]: a.sent for a in burst.answers if a.status == 201}
    stored = set(server.stored.column("SELECT id FROM post WHERE title LIKE 'Burst post %'"))
    record("c. API posts, new tags, 8 x 6", server, burst, f"{len(stored)} posts")

    assert_no_server_error(burst)
    assert stored == set(created), f"stored vs answered 201: {sorted(stored ^ set(created))}"
    for post_id, sent in created.items():
        assert tags_of(server, post_id) == set(sent["tags"]), f"post {post_id}"
    assert_tags_unique_and_counted(server)
    assert_all(burst, 201)


def put_burst(server: LoadServer, post_name: str, with_title: bool) -> tuple[Burst, int]:
    """8 clients of the post's author x 10 PUTs on one post, each with 3 of 5 new tags
    (and a title of its own when ``with_title``)."""
    post_id = server.posts[post_name]
    url = f"{server.base_url}/api/post/{post_id}"
    pool = [f"{post_name} {k}" for k in range(TAG_POOL)]

    def act(client: int, session: requests.Session) -> list[Answer]:
        headers = bearer(server.tokens("poster", client))
        chooser = random.Random(100 + client)
        answers = []
        for n in range(PUTS_EACH):
            sent: dict[str, object] = {"tags": chooser.sample(pool, TAGS_PER_WRITE)}
            if with_title:
                sent["title"] = f"Changed by {client}, time {n}"
            response = session.put(url, json=sent, headers=headers, timeout=TIMEOUT)
            answers.append(Answer.of(client, response, sent))
        session.close()
        return answers

    return run_clients(lambda client: new_client(), act), post_id


def test_api_puts_of_title_and_tags(load_server: LoadServer) -> None:
    """8 x 10 PUTs of title and tags on one post: each applied or refused as a conflict,
    and the post ends as one applied PUT left it (its title and its tags from the same)."""
    server = load_server
    burst, post_id = put_burst(server, "put-title-tags", with_title=True)
    tags = tags_of(server, post_id)
    title = server.stored.scalar("SELECT title FROM post WHERE id = :p", p=post_id)
    record("d. API PUT title+tags, 8 x 10", server, burst, f"{len(tags)} tag links")

    assert_no_server_error(burst)
    results = [(a.sent["title"], set(a.sent["tags"])) for a in burst.answers if a.status == 200]
    assert (title, tags) in results, f"the post ends as no successful PUT left it: {title}, {tags}"
    assert_tags_unique_and_counted(server)
    assert_puts_answered(burst)


def test_api_puts_of_tags_alone(load_server: LoadServer) -> None:
    """8 x 10 PUTs of the tags alone on one post: each applied or refused as a conflict,
    and the post ends with the tags of one applied PUT."""
    server = load_server
    burst, post_id = put_burst(server, "put-tags", with_title=False)
    tags = tags_of(server, post_id)
    record("d. API PUT tags only, 8 x 10", server, burst, f"{len(tags)} tag links")

    assert_no_server_error(burst)
    results = [set(a.sent["tags"]) for a in burst.answers if a.status == 200]
    assert tags in results, f"the post ends with tags no successful PUT sent: {tags}"
    assert_tags_unique_and_counted(server)
    assert_puts_answered(burst)
