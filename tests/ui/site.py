"""What a flow sets up through the site itself, as its users would, so that it runs against
any server (the live server thread, run_test_server.py, staging): the demo accounts' logins
(the browser's session cookie), and posts, comments and tags made with the site's own forms,
uniquely named, and deleted again after the flow.

The forms, not the JSON API: a logged-in user's posts, comments and deletions are not
rate-limited, while the API's writes are (60 a minute from one address), which a whole run
against a server with production limits would exceed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from bs4 import BeautifulSoup, Tag

from app.seed import Account

TIMEOUT = 30
POST_URL = re.compile(r"/blog/post/(\d+)")
ADMIN_ROWS = "table.model-list tr:has(td.list-buttons-column)"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
CSRF_VALUE = re.compile(r'value="([^"]+)"')


class SiteRefused(AssertionError):
    """The site did not do what a flow's setup asked of it."""


# What unique() adds to a name (the axe check's page key leaves it out).
UNIQUE_SUFFIX = re.compile(r"-[0-9a-f]{8}\b")


def unique(label: str) -> str:
    """``label`` with a suffix no other flow, run or user of the server has: ``Flask-3f9a0c2e``."""
    return f"{label}-{uuid.uuid4().hex[:8]}"


def parse(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def refused(what: str, response: requests.Response) -> SiteRefused:
    said = [" ".join(e.get_text(" ").split()) for e in parse(response.text).select(".alert")]
    because = f" ({' | '.join(said)})" if said else ""
    return SiteRefused(
        f"{what}: {response.request.method} {response.url} answered {response.status_code}"
        + because
    )


class Visitor:
    """One session on the site, kept as a browser keeps it (a cookie), logged in as an
    account through the login form."""

    def __init__(self, base_url: str, account: Account) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self._csrf_token: str | None = None
        login = self.get("/login")
        response = self.http.post(
            base_url + "/login",
            data={
                "username": account.username,
                "password": account.password,
                "csrf_token": csrf_token_in(login, "/login"),
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code != 302:
            raise refused(f"Could not log in as {account.username}", response)

    def cookie(self) -> dict[str, Any]:
        """The session cookie, as Selenium's ``add_cookie`` takes it."""
        [cookie] = [c for c in self.http.cookies if c.name == "session"]
        return {
            "name": cookie.name,
            "value": cookie.value,
            "path": cookie.path,
            "secure": cookie.secure,
            "httpOnly": True,
            "sameSite": "Lax",
        }

    def get(self, path: str, **params: str) -> str:
        response = self.http.get(self.base_url + path, params=params, timeout=TIMEOUT)
        if response.status_code != 200:
            raise refused("Could not read a page", response)
        return response.text

    def post(self, path: str, **fields: str) -> requests.Response:
        """POST a form with this session's CSRF token; ``path`` under the site, or a URL."""
        if self._csrf_token is None:
            # Every form of one session takes the same token; this page is a light one.
            self._csrf_token = csrf_token_in(self.get("/change-password"), "/change-password")
        return self.http.post(
            path if "://" in path else self.base_url + path,
            data={**fields, "csrf_token": self._csrf_token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def submit(self, path: str, what: str, **fields: str) -> str:
        """POST a form that must be accepted (the site answers it with a redirect); the
        URL it redirects to."""
        response = self.post(path, **fields)
        if response.status_code != 302:
            raise refused(what, response)
        if urlsplit(response.headers["Location"]).path.endswith("/login"):
            raise SiteRefused(f"{what}: the session ended (the account logged out elsewhere?)")
        return response.headers["Location"]


def csrf_token_in(page: str, path: str) -> str:
    # A regular expression: parsing the whole page took longer than the request.
    field = CSRF_INPUT.search(page)
    found = CSRF_VALUE.search(field[0]) if field else None
    if found is None:
        raise SiteRefused(f"No form with a CSRF token on {path}")
    return found[1]


def cell_texts(row: Tag) -> dict[str, str]:
    """An admin list row's cells by column name (``td.col-title`` -> ``title``)."""
    return {
        str(name).removeprefix("col-"): " ".join(cell.get_text(" ").split())
        for cell in row.select("td")
        for name in cell.get("class") or []
        if str(name).startswith("col-")
    }


@dataclass
class Logins:
    """The sessions of the seeded accounts that the flows' setup uses, logged in once for
    all of them (never the browser's: the setup's flash messages would show there)."""

    base_url: str
    accounts: dict[str, Account]
    _visitors: dict[str, Visitor] = field(default_factory=dict)

    def log_in(self, role: str) -> Visitor:
        """A new session of the seeded account of ``role``."""
        return Visitor(self.base_url, self.accounts[role])

    def visitor(self, role: str) -> Visitor:
        if role not in self._visitors:
            self._visitors[role] = self.log_in(role)
        return self._visitors[role]

    def forget(self) -> None:
        """The accounts were made again (a reset database): their sessions ended."""
        self._visitors.clear()


@dataclass
class Site:
    """What one flow makes through the site, deleted when it ends (``clean_up``): its posts
    (their comments go with them) by their authors, then its tags, by an admin."""

    logins: Logins
    _posts: list[tuple[int, str]] = field(default_factory=list)
    _tags: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.logins.base_url

    def log_in(self, role: str) -> Visitor:
        """A new session of the seeded account of ``role`` (for the browser)."""
        return self.logins.log_in(role)

    def visitor(self, role: str) -> Visitor:
        """The setup's session of the seeded account of ``role``."""
        return self.logins.visitor(role)

    def write_post(
        self,
        title: str,
        text: str = "Some words.",
        tags: tuple[str, ...] = (),
        role: str = "poster",
    ) -> int:
        """Publish a post with the editor, as the account of ``role``; its id."""
        location = self.visitor(role).submit(
            "/blog/new",
            f"Could not publish {title!r}",
            title=title,
            text=text,
            tags=", ".join(tags),
        )
        found = POST_URL.search(location)
        if found is None:
            raise SiteRefused(f"Publishing {title!r} led to {location}, not to the post")
        self.made_post(int(found.group(1)), role)
        self.made_tags(*tags)
        return int(found.group(1))

    def comment(self, post_id: int, name: str, text: str, role: str = "default") -> None:
        self.visitor(role).submit(
            f"/blog/post/{post_id}", f"Could not comment on post {post_id}", name=name, text=text
        )

    def make_tag(self, title: str) -> None:
        """A tag of no post, made in the admin site."""
        self.visitor("admin").submit(
            "/admin/tags/new/", f"Could not make the tag {title!r}", title=title
        )
        self.made_tags(title)

    def made_post(self, post_id: int, role: str) -> None:
        """A post the flow made itself (in the browser), as ``role``: deleted after it."""
        self._posts.append((post_id, role))

    def made_tags(self, *titles: str) -> None:
        self._tags.extend(title for title in titles if title not in self._tags)

    def admin_rows(self, part: str, search: str) -> list[Tag]:
        """The rows the admin site lists at ``/admin/<part>/`` for ``search``."""
        return parse(self.visitor("admin").get(f"/admin/{part}/", search=search)).select(ADMIN_ROWS)

    def admin_column(self, part: str, search: str, column: str) -> list[str]:
        """One column of those rows, as the admin reads it."""
        return [cell_texts(row).get(column, "") for row in self.admin_rows(part, search)]

    def clean_up(self) -> None:
        """Delete what the flow made: its posts (one the flow deleted is gone already),
        then its tags."""
        for post_id, role in reversed(self._posts):
            response = self.visitor(role).post(f"/blog/delete/{post_id}")
            if response.status_code not in (302, 404):
                raise refused(f"Could not delete post {post_id}", response)
        for title in self._tags:
            for row in self.admin_rows("tags", title):
                form = row.select_one("form")
                if cell_texts(row).get("title") == title and form is not None:
                    fields = {
                        str(i["name"]): str(i.get("value") or "") for i in form.select("input")
                    }
                    self.visitor("admin").submit(
                        urljoin(self.base_url + "/", str(form["action"])),
                        f"Could not delete the tag {title!r}",
                        **fields,
                    )
