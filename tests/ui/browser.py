"""One Chrome/Chromium for the flows: local (driver path given, nothing downloaded) or on a
Selenium Grid."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.ui.plugin import UISettings

# Quiet, reproducible and offline: no first-run UI, no background traffic, and works as root
# in containers with a small /dev/shm. Reduced motion turns off Bootstrap's smooth scrolling,
# which otherwise moves an element while Selenium clicks it.
CHROME_FLAGS = (
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1024",
    "--force-prefers-reduced-motion",
)
PAGE_LOAD_TIMEOUT = 30


class BrowserNotFound(RuntimeError):
    """No browser or driver to run the flows with."""


def host_resolver_rules(base_url: str | None) -> str:
    """Every host name fails to resolve except the server under test: a page can never
    reach the internet (or a CDN) unnoticed."""
    rules = ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE 127.0.0.1"]
    host = urlsplit(base_url).hostname if base_url else None
    if host and host not in ("localhost", "127.0.0.1"):
        rules.append(f"EXCLUDE {host}")
    return " , ".join(rules)


def chrome_options(settings: UISettings) -> Options:
    """A fresh profile each time: chromedriver makes one and removes it at quit (a profile
    folder of our own keeps the headless shell from opening its page)."""
    options = Options()
    if not settings.headed:
        options.add_argument("--headless=new")
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument("--host-resolver-rules=" + host_resolver_rules(settings.base_url))
    if settings.chrome_bin and not settings.remote_url:
        options.binary_location = settings.chrome_bin
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Leave an unexpected alert open, so a flow can see it (the XSS flow checks for none).
    options.unhandled_prompt_behavior = "ignore"
    return options


def start_browser(settings: UISettings) -> WebDriver:
    if settings.remote_url:
        driver: WebDriver = webdriver.Remote(
            command_executor=settings.remote_url, options=chrome_options(settings)
        )
    else:
        if not (settings.chrome_bin and settings.chromedriver):
            raise BrowserNotFound(
                "Chromium and chromedriver are needed for the UI tests: install them "
                "(Debian: apt-get install chromium chromium-driver) or set CHROME_BIN and "
                "CHROMEDRIVER"
            )
        driver = webdriver.Chrome(
            service=Service(executable_path=settings.chromedriver),
            options=chrome_options(settings),
        )
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    return driver


def start_in_background(settings: UISettings) -> Future[WebDriver]:
    """Start the browser on a thread: its start (1-2 s, mostly Chromium's own processes)
    overlaps what the session sets up meanwhile."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browser-start")
    try:
        return executor.submit(start_browser, settings)
    finally:
        executor.shutdown(wait=False)
