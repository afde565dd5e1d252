"""The debug toolbar works in a browser under the dev config: it shows on a page and opens a
panel, and the browser reports no Content-Security-Policy violation (the harness checks the
console after the flow) although the toolbar writes inline code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.ui.conftest import BlogServer, QuietRequestHandler
from tests.ui.pages import Page

TOOLBAR = (By.ID, "flDebugToolbar")
HEADERS_PANEL_LINK = (By.CSS_SELECTOR, "#flDebugToolbar a.flDebugHeaderPanel")
HEADERS_PANEL = (By.ID, "flDebugHeaderPanel-content")


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory, blog_server: BlogServer) -> Iterator[str]:
    """The app under the dev config, on a SQLite file of its own, served like the live
    server; its URL."""
    if blog_server.external:
        pytest.skip("serves the dev config from this process; the browser may not reach it")
    database = Path(tmp_path_factory.mktemp("dev-db")) / "blog.sqlite"
    app = create_app("dev", environ={"DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="dev-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        with app.app_context():
            db.engine.dispose()


def test_the_dev_toolbar_shows_and_opens_a_panel_without_csp_violations(browser, dev_server):
    page = Page(browser, dev_server).open("/blog/")
    assert page.find(TOOLBAR).is_displayed()
    page.click(HEADERS_PANEL_LINK)
    assert "HTTP_USER_AGENT" in page.find(HEADERS_PANEL).text
