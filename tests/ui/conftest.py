"""Fixtures of the Selenium flows: the app served by a live server thread (or the
--base-url server), one browser for the session, and the flow's own data made through the
site (tests/ui/site.py).

The live server runs in this process, on the app and database file of the ``app`` fixture,
so the server's code counts toward coverage; the flows that need that database itself
(marked ``needs_db``) start from a freshly seeded one and may set up data with the
factories. Flask-SQLAlchemy scopes sessions by app context, so each request of the server
has its own session and the test has the one of the request context pytest-flask pushes.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app import create_app
from app.accounts.throttle import login_throttle
from app.extensions import db
from app.seed import DEMO_ACCOUNTS, Account, seed_demo
from tests.support.smtp_server import Mailbox, mail_settings
from tests.ui.accessibility import AXE_SCRIPT_PATH, AccessibilityAudit, Violation, serving_axe
from tests.ui.browser import BrowserNotFound, start_in_background
from tests.ui.console import BrowserConsole
from tests.ui.plugin import AUDIT, CONSOLE, UISettings, ui_settings
from tests.ui.site import Logins, Site

server_log = logging.getLogger("tests.ui.server")
MAX_ALERTS_TO_DISMISS = 10
# Where the browser waits between flows when a flow left the site: a light file of the
# site, no page (nothing runs, nothing to check), on which the site's cookies can be
# deleted and set.
RESTING_PAGE = "/static/css/blog.css"


@dataclass(frozen=True)
class BlogServer:
    """The server the browser talks to; ``external`` when it is not ours (--base-url)."""

    app: Flask
    url: str
    external: bool = False

    @property
    def axe_script_url(self) -> str | None:
        """Where the live server thread serves axe-core's script; None for another server."""
        return None if self.external else self.url + AXE_SCRIPT_PATH


class QuietRequestHandler(WSGIRequestHandler):
    """Request lines go to a logger pytest captures, not to a stream of an earlier test."""

    def log(self, kind: str, message: str, *args: Any) -> None:
        level = logging.INFO if kind == "info" else logging.ERROR
        server_log.log(level, "%s %s", self.address_string(), message % args)


@pytest.fixture(scope="session")
def settings(pytestconfig: pytest.Config) -> UISettings:
    return ui_settings(pytestconfig)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, smtp_server: Mailbox) -> Iterator[Flask]:
    """The app under UITestConfig (CSRF on) on a SQLite file of this worker: each xdist
    worker has its own server, so its own file (named after it, in its own temp folder).
    Its mail goes to the session's SMTP server (``mailbox``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = tmp_path_factory.mktemp("ui-db") / f"blog-{worker}.sqlite"
    app = create_app(
        "ui-test",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            **mail_settings(smtp_server),
        },
        environ={},
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def blog_server(app: Flask, settings: UISettings) -> Iterator[BlogServer]:
    """A threaded werkzeug server on 127.0.0.1 and a free port (serving axe-core's script
    too), or the --base-url server."""
    if settings.base_url:
        yield BlogServer(app, settings.base_url, external=True)
        return
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, serving_axe(app), threaded=True, request_handler=QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield BlogServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def forget_rate_limits(app: Flask) -> None:
    """Forget failed logins and rate-limited writes: they all come from 127.0.0.1 and
    would throttle later flows."""
    with app.app_context():
        login_throttle().reset()


def reset_database(app: Flask) -> None:
    """Empty every table and seed the roles and demo accounts, as run_test_server.py does."""
    forget_rate_limits(app)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        seed_demo(posts=0)


@pytest.fixture(scope="session")
def _seeded(app: Flask, blog_server: BlogServer) -> None:
    """The live server's database starts as run_test_server.py's: roles and demo accounts."""
    if not blog_server.external:
        reset_database(app)


@pytest.fixture(autouse=True)
def _isolated_database(
    app: Flask,
    blog_server: BlogServer,
    _seeded: None,
    logins: Logins,
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    """A flow marked ``needs_db`` starts from the seeded state (roles and demo accounts,
    nothing else); the others make their own uniquely named data through the site, as they
    do against any server, and share the database.

    Replaces the root conftest's rolled-back transaction, which the server's threads could
    not see. The tables are reset before the flow, not after, so even a flow interrupted
    half-way cannot leak rows into the next one that counts on them.
    """
    if not blog_server.external:
        if request.node.get_closest_marker("needs_db"):
            reset_database(app)
            logins.forget()
        else:
            forget_rate_limits(app)
    yield
    # Ends the test's open read transaction before the next reset.
    db.session.remove()


# The session's browser, started as soon as the run is known to need one.
STARTING_BROWSER = pytest.StashKey[Future[WebDriver]]()


@pytest.hookimpl(trylast=True)  # after the plugin asked the servers: a dead URL starts none
def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the browser once the run is known to use it, on a thread: Chromium's start
    overlaps the setup of the app, the live server and the first flow's data instead of
    being waited for by the first flow."""
    if session.config.option.collectonly:
        return
    if any("chrome" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[STARTING_BROWSER] = start_in_background(ui_settings(session.config))


def started_browser(config: pytest.Config) -> Future[WebDriver] | None:
    """The browser started for this run, handed out once."""
    future = config.stash.get(STARTING_BROWSER, None)
    if future is not None:
        del config.stash[STARTING_BROWSER]
    return future


def pytest_unconfigure(config: pytest.Config) -> None:
    """A browser started for flows that never asked for it (the run stopped) quits too."""
    future = started_browser(config)
    if future is not None and future.exception() is None:
        future.result().quit()


@pytest.fixture(scope="session")
def chrome(
    settings: UISettings, blog_server: BlogServer, pytestconfig: pytest.Config
) -> Iterator[WebDriver]:
    """One browser per session (per xdist worker), started when the collection ended. It
    depends on the live server so that it quits before the server stops."""
    starting = started_browser(pytestconfig) or start_in_background(settings)
    try:
        driver = starting.result()
    except BrowserNotFound as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser_console(chrome: WebDriver, request: pytest.FixtureRequest) -> BrowserConsole:
    """The console of this flow's browser: read by the end-of-flow CSP check and the
    failure artifacts (see tests/ui/console.py), and by flows that look at it."""
    console = BrowserConsole.for_new_flow(chrome)
    request.node.stash[CONSOLE] = console
    return console


@pytest.fixture(scope="session")
def axe_results() -> dict[str, list[Violation]]:
    """What axe found on each page markup the flows of this session showed."""
    return {}


@pytest.fixture
def accessibility_audit(
    chrome: WebDriver,
    blog_server: BlogServer,
    axe_results: dict[str, list[Violation]],
    request: pytest.FixtureRequest,
) -> Iterator[AccessibilityAudit]:
    """The axe-core check of each page this flow's page objects wait for (and of its last
    page), read by the end-of-flow check (see tests/ui/accessibility.py)."""
    audit = AccessibilityAudit.for_new_flow(
        chrome, blog_server.url, axe_results, blog_server.axe_script_url
    )
    request.node.stash[AUDIT] = audit
    yield audit
    audit.end()


@pytest.fixture
def browser(
    chrome: WebDriver,
    blog_server: BlogServer,
    browser_console: BrowserConsole,
    accessibility_audit: AccessibilityAudit,
) -> Iterator[WebDriver]:
    """The session's browser, logged out after each test (``end_flow``); when the flow
    passes, its pages are checked with axe-core and its console for
    Content-Security-Policy violations."""
    yield chrome
    end_flow(chrome, blog_server.url)


def end_flow(driver: WebDriver, server_url: str) -> None:
    """Close the alerts a flow left and delete the site's cookies. The page stays, the next
    flow opens its own: loading the resting page after every flow cost a page load each; it
    is loaded only when the flow left the site, whose cookies the browser deletes from a
    page of the site alone."""
    # A failed flow may leave alerts open, one behind the other (the XSS flow's payload
    # opens two); while one is open the browser refuses every other command.
    for _ in range(MAX_ALERTS_TO_DISMISS):
        try:
            driver.switch_to.alert.dismiss()
        except NoAlertPresentException:
            break
    if not driver.current_url.startswith(server_url + "/"):
        driver.get(server_url + RESTING_PAGE)
    driver.delete_all_cookies()


@pytest.fixture(scope="session")
def base_url(blog_server: BlogServer) -> str:
    """The URL the flows open: pytest-base-url's fixture, answered by the harness's server
    (the --base-url server itself, or the live server thread)."""
    return blog_server.url


@pytest.fixture(scope="session")
def accounts() -> dict[str, Account]:
    """The seeded accounts by role: ``accounts["poster"].username`` / ``.password``."""
    return {account.role: account for account in DEMO_ACCOUNTS}


@pytest.fixture(scope="session")
def logins(base_url: str, accounts: dict[str, Account]) -> Logins:
    """The seeded accounts' sessions that the flows' setup shares."""
    return Logins(base_url, accounts)


@pytest.fixture
def site(logins: Logins) -> Iterator[Site]:
    """What this flow makes through the site (posts, comments, tags), deleted after it."""
    made = Site(logins)
    yield made
    made.clean_up()


@pytest.fixture
def log_in_as(browser: WebDriver, base_url: str, site: Site) -> Callable[[str], None]:
    """``log_in_as("poster")``: the browser gets a session of the seeded account of that
    role, logged in through the login form by the harness, not the browser (test_accounts.py
    logs in through the page, as a user does)."""

    def log_in(role: str) -> None:
        cookie = site.log_in(role).cookie()
        if not browser.current_url.startswith(base_url + "/"):
            browser.get(base_url + RESTING_PAGE)  # a browser takes cookies of the site it shows
        browser.add_cookie(cookie)

    return log_in
