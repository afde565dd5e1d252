"""The Selenium harness's options and reporting hooks.

Registered by the root conftest (``pytest_plugins``) so the options exist however pytest is
started, not only when tests/ui is named on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.ui.browser_paths import browser_paths
from tests.ui.endpoints import unanswered

# Selenium and pytest-html are imported by the hooks that need them, when a flow runs or is
# reported: this module is loaded at every start-up, unit tests' too (0.3-0.6 s of CPU).
if TYPE_CHECKING:
    from tests.ui.accessibility import AccessibilityAudit
    from tests.ui.console import BrowserConsole

UI_DIR = Path(__file__).parent


@dataclass(frozen=True)
class UISettings:
    """Where the flows' browser and server come from (options win over the environment)."""

    base_url: str | None
    remote_url: str | None
    headed: bool
    chrome_bin: str | None
    chromedriver: str | None
    artifacts: Path

    @classmethod
    def from_config(cls, config: pytest.Config, environ: Mapping[str, str]) -> UISettings:
        # --base-url (and the base_url ini setting) belong to pytest-base-url.
        base_url = _http_url(
            "--base-url/BLOG_BASE_URL",
            config.getoption("base_url", None) or environ.get("BLOG_BASE_URL"),
        )
        remote_url = _http_url(
            "--selenium-remote/SELENIUM_REMOTE_URL",
            config.getoption("selenium_remote") or environ.get("SELENIUM_REMOTE_URL"),
        )
        headed = config.getoption("headed")
        if (
            headed
            and not remote_url
            and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
        ):
            raise pytest.UsageError(
                "--headed needs a display and there is none (DISPLAY and WAYLAND_DISPLAY are "
                "unset): run under a virtual one, e.g. xvfb-run -a nox -s ui -- --headed"
            )
        chrome_bin, chromedriver = browser_paths(environ, headed=headed)
        return cls(
            base_url=base_url,
            remote_url=remote_url,
            headed=headed,
            chrome_bin=chrome_bin,
            chromedriver=chromedriver,
            artifacts=config.rootpath / "test-artifacts" / "ui",
        )


def _http_url(source: str, url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise pytest.UsageError(f"{source} must be an http(s) URL, got {url!r}")
    return url.rstrip("/")


def pytest_addoption(parser: pytest.Parser) -> None:
    # The server comes from pytest-base-url's --base-url (env BLOG_BASE_URL too): flows run
    # against it instead of a live server thread; flows that set up data are skipped.
    group = parser.getgroup("ui", "Selenium user flows (tests/ui)")
    group.addoption(
        "--selenium-remote",
        dest="selenium_remote",
        metavar="URL",
        help="drive Chrome on this Selenium Grid/standalone server (env SELENIUM_REMOTE_URL)",
    )
    group.addoption(
        "--headed", action="store_true", help="show the browser window instead of headless"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SETTINGS] = UISettings.from_config(config, os.environ)
    config.addinivalue_line(
        "markers",
        "csp_violations_expected: a harness self-test that breaks the Content-Security-Policy "
        "on purpose; the check that fails every other flow on a violation leaves it alone",
    )
    config.addinivalue_line(
        "markers",
        "accessibility_violations_expected: a harness self-test that breaks accessibility "
        "rules on purpose; the axe-core check of every other flow leaves it alone",
    )


SETTINGS = pytest.StashKey[UISettings]()
# The browser console and the accessibility audit of the running flow (set by the browser
# fixture).
CONSOLE: pytest.StashKey[BrowserConsole] = pytest.StashKey()
AUDIT: pytest.StashKey[AccessibilityAudit] = pytest.StashKey()


def ui_settings(config: pytest.Config) -> UISettings:
    return config.stash[SETTINGS]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    settings = ui_settings(config)
    for item in items:
        if UI_DIR in item.path.parents:
            item.add_marker(pytest.mark.ui)
            needs_db = item.get_closest_marker("needs_db")
            if settings.base_url and needs_db:
                why = needs_db.args[0] if needs_db.args else "counts on a freshly seeded database"
                reason = f"needs the live server's database: {why}; not against {settings.base_url}"
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_sessionstart(session: pytest.Session) -> None:
    # An xdist controller collects nothing: it asks before any worker starts.
    if session.config.pluginmanager.has_plugin("dsession"):
        ask_the_servers(ui_settings(session.config))


def pytest_collection_finish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: its controller asked
    if any("settings" in getattr(item, "fixturenames", ()) for item in session.items):
        ask_the_servers(ui_settings(session.config))


def ask_the_servers(settings: UISettings) -> None:
    """A server or Selenium end point that does not answer stops the run before any flow,
    in one line, instead of failing every flow with the driver's retries."""
    for option, url, probe in (
        ("--base-url", settings.base_url, "/"),
        ("--selenium-remote", settings.remote_url, "/status"),
    ):
        if url and (reason := unanswered(url + probe)):
            raise pytest.UsageError(f"{option} {url} does not answer: {reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """A flow that passed still fails when axe-core found an accessibility violation on a
    page it showed, or when the browser blocked anything under the Content-Security-Policy:
    inline code or another origin would silently not run."""
    yield
    problems = []
    audit = item.stash.get(AUDIT, None)
    if audit is not None and not item.get_closest_marker("accessibility_violations_expected"):
        from tests.ui.accessibility import accessibility_report

        audit.check_page()  # the last page, if the flow did not wait for it with a page object
        if failures := audit.failures():
            problems.append(accessibility_report(failures))
    # Read after axe ran, so a check that broke the policy itself would show here too.
    console = item.stash.get(CONSOLE, None)
    expected = item.get_closest_marker("csp_violations_expected")
    if console is not None and not expected and (violations := console.csp_violations()):
        from tests.ui.console import csp_report

        problems.append(csp_report(violations))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """When a flow fails, keep what the browser showed and print where it is."""
    report = yield
    driver = getattr(item, "funcargs", {}).get("browser")
    if report.failed and report.when in ("setup", "call") and driver is not None:
        from tests.ui.artifacts import artifact_dir, report_extras, save_artifacts

        target = artifact_dir(ui_settings(item.config).artifacts, item.nodeid)
        console = item.stash.get(CONSOLE, None)
        saved = save_artifacts(driver, target, console)
        report.sections.append(("UI failure artifacts", "\n".join(map(str, saved))))
        # Embedded in the HTML report (pytest-html --html=... --self-contained-html), which
        # reads an attribute pytest's TestReport does not declare (pytest-html has no types).
        report.extras = [*getattr(report, "extras", []), *report_extras(saved)]  # type: ignore[attr-defined]
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_html_report_title(report: Any) -> None:
    report.title = "Blog UI flows"


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = ui_settings(config)
    browser = settings.remote_url or settings.chrome_bin or "no Chromium found"
    headed = " (headed)" if settings.headed else ""
    server = settings.base_url or "a live server thread on 127.0.0.1"
    return [f"ui: server {server}; browser {browser}{headed}"]
