"""Selenium fixtures: the app on a live server thread and one headless Chromium per session."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a SQLite file, so the server thread and the test share committed data."""
    database = tmp_path_factory.mktemp("ui") / "blog.sqlite"
    app = create_app(
        "test",
        overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        db.create_all()
        yield app
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_database(app: Flask) -> Iterator[None]:
    """Flows commit for real; empty every table afterwards."""
    yield
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="session")
def live_server_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(
    live_server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[webdriver.Chrome]:
    """Headless Chromium; it quits before the live server stops (fixture order)."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROME_BIN") or shutil.which("chromium") or ""
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
