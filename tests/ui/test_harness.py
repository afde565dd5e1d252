"""The harness itself: live server, shared database, isolated browser, failure artifacts,
the Content-Security-Policy check of every flow."""

from __future__ import annotations

import os
import textwrap
import time
from concurrent.futures import Future
from pathlib import Path
from threading import current_thread
from types import SimpleNamespace
from typing import cast

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import make_url

from app.accounts.throttle import login_throttle
from tests.factories import PostFactory
from tests.ui import browser as browser_module
from tests.ui import browser_paths as browser_paths_module
from tests.ui import conftest as ui_conftest
from tests.ui.artifacts import artifact_dir, save_artifacts
from tests.ui.browser import host_resolver_rules
from tests.ui.browser_paths import browser_paths
from tests.ui.conftest import RESTING_PAGE, end_flow, forget_rate_limits
from tests.ui.console import BrowserConsole, csp_report
from tests.ui.pages import Page, is_logged_in
from tests.ui.pages.base import gone
from tests.ui.plugin import SETTINGS, UISettings
from tests.ui.site import Site, SiteRefused, unique

# The CSP check is tested on flows of an inner pytest run.
pytest_plugins = ("pytester",)


def test_browser_reaches_the_server_under_test(browser, base_url):
    browser.get(base_url + "/")
    WebDriverWait(browser, 10).until(EC.title_contains("Mastering Flask Blog"))
    assert browser.current_url == base_url + "/blog/"


@pytest.mark.needs_db("the rows the factories commit reach only the live server thread")
def test_rows_the_test_commits_are_what_the_server_shows(browser, base_url):
    PostFactory(title="Written by the test, read by the server")
    browser.get(base_url + "/blog/")
    WebDriverWait(browser, 10).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Written by the test")
    )


def test_log_in_as_gives_the_browser_a_session_of_the_seeded_account(
    browser, base_url, log_in_as, accounts
):
    log_in_as("poster")
    page = Page(browser, base_url).open("/blog/")
    assert is_logged_in(page)
    assert page.find((By.CSS_SELECTOR, "nav .username")).text == accounts["poster"].username


def test_after_a_flow_the_browser_holds_no_session_and_loads_no_page_for_it(
    browser, base_url, log_in_as
):
    """The flow's last page stays (the next flow opens its own) with its cookies gone."""
    log_in_as("poster")
    assert is_logged_in(Page(browser, base_url).open("/blog/"))
    end_flow(browser, base_url)
    assert browser.get_cookies() == []
    assert browser.current_url == base_url + "/blog/", "no page loaded for nothing"
    assert not is_logged_in(Page(browser, base_url).open("/blog/"))


def test_a_flow_that_left_the_site_is_brought_back_to_delete_the_sites_cookies(
    browser, base_url, log_in_as
):
    log_in_as("poster")
    browser.get("about:blank")
    end_flow(browser, base_url)
    assert browser.current_url == base_url + RESTING_PAGE
    assert browser.get_cookies() == []


def test_what_a_flow_made_through_the_site_is_deleted_after_it(base_url, logins):
    made, tag = Site(logins), unique("harness")
    post = made.write_post(unique("Harness post"), tags=(tag,))
    made.comment(post, "Reader", "A comment on the harness's post")
    assert made.admin_column("tags", tag, "title") == [tag]
    made.clean_up()
    assert requests.get(f"{base_url}/blog/post/{post}", timeout=10).status_code == 404
    assert made.admin_column("tags", tag, "title") == []


def test_a_form_the_site_refuses_fails_the_setup_saying_why(logins):
    with pytest.raises(SiteRefused, match=r"Could not publish '': POST .* answered 422"):
        Site(logins).write_post("")


def test_each_xdist_worker_serves_its_own_database_file(app, tmp_path_factory):
    """Under ``-n 2`` two servers run at once: sharing one SQLite file, one worker's table
    reset would wipe the other's data mid-flow."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = Path(str(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database))
    assert database.name == f"blog-{worker}.sqlite"
    assert tmp_path_factory.getbasetemp() in database.parents


def test_failed_logins_of_one_flow_do_not_throttle_the_next(app):
    with app.app_context():
        for _ in range(5):
            login_throttle().attempt("poster", "127.0.0.1").failed()
        forget_rate_limits(app)  # what each flow starts with
        login_throttle().attempt("poster", "127.0.0.1")


def test_browser_asks_pages_for_reduced_motion(browser, base_url):
    """Bootstrap then scrolls instantly: a smooth scroll still moving when Selenium clicks
    sends the click to whatever is under the pointer (ElementClickInterceptedException)."""
    Page(browser, base_url).open("/blog/")
    assert browser.execute_script("return matchMedia('(prefers-reduced-motion: reduce)').matches")
    assert (
        browser.execute_script("return getComputedStyle(document.documentElement).scrollBehavior")
        == "auto"
    )


def test_browser_cannot_resolve_any_host_but_the_server(browser):
    with pytest.raises(WebDriverException, match="ERR_NAME_NOT_RESOLVED"):
        browser.get("http://example.com/")


def test_an_alert_a_page_opens_stays_open_for_the_flow_to_see(browser, base_url):
    """The XSS flow's "no alert fired" can fail: alerts are neither dismissed nor hidden."""
    page = Page(browser, base_url).open("/blog/")
    assert not page.alert_is_open()
    browser.execute_script("setTimeout(() => alert('opened by the page'), 0)")
    page.wait().until(EC.alert_is_present())
    assert page.alert_is_open()


def test_failure_artifacts_hold_screenshot_page_and_console(browser, base_url, tmp_path):
    browser.get(base_url + "/blog/")
    browser.execute_script("console.error('harness-marker')")
    saved = save_artifacts(browser, tmp_path / "case")
    assert [path.name for path in saved] == ["screenshot.png", "page.html", "console.log"]
    assert saved[0].read_bytes().startswith(b"\x89PNG")
    assert "Mastering Flask Blog" in saved[1].read_text()
    assert "harness-marker" in saved[2].read_text()


# What a template with inline code does to a page, done after it loaded (execute_script runs
# with DevTools' privileges, but the script and style it adds are the page's own).
BREAK_THE_CSP = """
    const script = document.createElement('script');
    script.textContent = "document.title = 'inline script ran'";
    document.body.append(script);
    document.querySelector('main').setAttribute('style', 'color: red');
"""


@pytest.mark.csp_violations_expected
def test_a_page_with_inline_code_is_blocked_and_the_check_reports_it(
    browser, base_url, browser_console
):
    page = Page(browser, base_url).open("/blog/")
    browser.execute_script(BREAK_THE_CSP)
    page.wait().until(lambda _: len(browser_console.csp_violations()) == 2)
    violations = browser_console.csp_violations()
    assert browser.title != "inline script ran"
    report = csp_report(violations)
    assert report.startswith("The browser reported 2 Content-Security-Policy violations")
    # Chromium's wording changes between versions; the directive it names does not.
    assert "directive 'script-src 'self''" in report
    assert "directive 'style-src 'self''" in report


def test_console_lines_the_csp_check_read_still_reach_the_failure_artifacts(
    browser, base_url, browser_console, tmp_path
):
    """Chrome hands each console entry out once: without sharing, console.log would be
    empty for exactly the flows the CSP check failed."""
    Page(browser, base_url).open("/blog/")
    browser.execute_script("console.error('harness-marker')")
    assert browser_console.csp_violations() == []
    assert BrowserConsole(browser).read() == [], "the entries were handed out already"
    saved = save_artifacts(browser, tmp_path / "case", browser_console)
    assert "harness-marker" in saved[2].read_text()


INNER_FLOWS = """
    import pytest
    from tests.ui.plugin import CONSOLE

    class InlineScriptBlocked:
        def csp_violations(self):
            return ["security 5 Executing inline script violates the following Content "
                    "Security Policy directive 'script-src 'self''. ..."]

    @pytest.fixture
    def browser_console(request):
        request.node.stash[CONSOLE] = InlineScriptBlocked()

    def test_flow_on_a_page_with_inline_script(browser_console):
        pass

    def test_flow_that_fails_on_its_own(browser_console):
        assert 1 == 2

    @pytest.mark.csp_violations_expected
    def test_self_test_breaking_the_csp_on_purpose(browser_console):
        pass

    def test_without_a_browser():
        pass
"""


def test_a_flow_that_passes_fails_when_the_browser_reported_a_csp_violation(pytester):
    pytester.makeconftest("pytest_plugins = ('tests.ui.plugin',)")
    pytester.makepyfile(test_flows=textwrap.dedent(INNER_FLOWS))
    # -rN: the short summary repeats each failure's first line, as far as the terminal
    # is wide, which would make the count below depend on COLUMNS.
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-rN")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_flow_on_a_page_with_inline_script _*",
            "The browser reported 1 Content-Security-Policy violation (*",
            "  - security 5 Executing inline script violates *",
            "*_ test_flow_that_fails_on_its_own _*",
        ]
    )
    # The flow that failed on its own is reported with its own error only.
    assert result.stdout.str().count("Content-Security-Policy violation") == 1


def test_artifact_directory_is_named_after_the_test(tmp_path):
    nodeid = "tests/ui/test_auth.py::test_login[bad user/x]"
    assert artifact_dir(tmp_path, nodeid) == tmp_path / "test_auth.py__test_login_bad_user_x"


def test_host_rules_let_through_only_local_hosts_and_the_base_url_host():
    assert host_resolver_rules(None) == "MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"
    assert host_resolver_rules("https://staging.example.org/blog").endswith(
        " , EXCLUDE staging.example.org"
    )


class ElementOfALeftPage(WebElement):
    """What chromedriver sometimes answers about an element of a page being replaced."""

    def __init__(self, error: WebDriverException) -> None:  # no driver behind it
        self.error = error

    def is_enabled(self) -> bool:
        raise self.error


@pytest.mark.parametrize(
    "error",
    [
        StaleElementReferenceException("stale element reference"),
        WebDriverException(
            'unknown error: unhandled inspector error: {"code":-32000,'
            '"message":"Node with given id does not belong to the document"}'
        ),
    ],
    ids=["stale", "detached-node"],
)
def test_an_element_chromedriver_reports_detached_counts_as_gone(error):
    assert gone(ElementOfALeftPage(error))(None) is True


def test_other_driver_errors_are_not_taken_for_a_page_change():
    with pytest.raises(WebDriverException, match="session deleted"):
        gone(ElementOfALeftPage(WebDriverException("session deleted")))(None)


@pytest.fixture
def programs_on_path(tmp_path, monkeypatch):
    """A PATH holding executables of the given names (and nothing else)."""
    monkeypatch.setattr(browser_paths_module, "HEADLESS_SHELL_DIRS", ())

    def make(*names: str) -> dict[str, str]:
        for name in names:
            program = tmp_path / name
            program.write_text("#!/bin/sh\n")
            program.chmod(0o755)
        return {"PATH": str(tmp_path)}

    return make


def test_headless_runs_take_chromiums_headless_shell_when_it_is_installed(programs_on_path):
    """The headless shell (Debian's chromium-headless-shell) runs the same Blink without the
    browser's windows and services: a page load costs a third of the CPU."""
    environ = programs_on_path("chromium", "chromium-headless-shell", "chromedriver")
    chrome, driver = browser_paths(environ, headed=False)
    assert (Path(str(chrome)).name, Path(str(driver)).name) == (
        "chromium-headless-shell",
        "chromedriver",
    )
    chrome, _ = browser_paths(environ, headed=True)
    assert Path(str(chrome)).name == "chromium", "a window needs the whole browser"


def test_without_the_headless_shell_headless_runs_take_the_whole_browser(programs_on_path):
    chrome, _ = browser_paths(programs_on_path("google-chrome", "chromedriver"), headed=False)
    assert Path(str(chrome)).name == "google-chrome"


def test_the_headless_shell_is_taken_from_debians_folder_not_its_wrapper_script(
    programs_on_path, tmp_path, monkeypatch
):
    """The script on PATH stops when chromedriver stops it; the browser it ran would not."""
    folder = tmp_path / "lib"
    folder.mkdir()
    monkeypatch.setattr(browser_paths_module, "HEADLESS_SHELL_DIRS", (str(folder),))
    (folder / "chromium-headless-shell").write_text("")
    (folder / "chromium-headless-shell").chmod(0o755)
    environ = programs_on_path("chromium-headless-shell", "chromedriver")
    assert browser_paths(environ)[0] == str(folder / "chromium-headless-shell")


def test_chrome_bin_names_the_browser_headless_or_not(programs_on_path):
    environ = {**programs_on_path("chromium-headless-shell"), "CHROME_BIN": "/opt/chrome"}
    assert browser_paths(environ, headed=False)[0] == "/opt/chrome"
    assert browser_paths(environ, headed=True)[0] == "/opt/chrome"


class FakeRun:
    """What the browser-starting hook reads of a pytest session."""

    def __init__(
        self, pytestconfig: pytest.Config, fixturenames: list[str], collect_only: bool = False
    ) -> None:
        self.config = SimpleNamespace(
            stash=pytest.Stash(), option=SimpleNamespace(collectonly=collect_only)
        )
        self.config.stash[SETTINGS] = pytestconfig.stash[SETTINGS]
        self.items = [SimpleNamespace(fixturenames=fixturenames)]

    def collection_finished(self) -> None:
        ui_conftest.pytest_collection_finish(cast(pytest.Session, self))

    def started_browser(self) -> Future[WebDriver] | None:
        return ui_conftest.started_browser(cast(pytest.Config, self.config))


def test_the_browser_starts_on_a_thread_as_soon_as_the_collected_flows_need_it(
    pytestconfig, monkeypatch
):
    """Chromium's start (1-2 s) overlaps the setup of the server and the first flow's data."""
    threads: list[str] = []
    driver = cast(WebDriver, object())

    def start(settings: UISettings) -> WebDriver:
        threads.append(current_thread().name)
        return driver

    monkeypatch.setattr(browser_module, "start_browser", start)
    run = FakeRun(pytestconfig, ["browser", "chrome", "base_url"])
    run.collection_finished()
    started = run.started_browser()
    assert started is not None
    assert started.result() is driver
    assert [name.split("_")[0] for name in threads] == ["browser-start"]
    assert run.started_browser() is None, "handed out once"


@pytest.mark.parametrize(
    ("fixturenames", "collect_only"),
    [(["base_url", "logins"], False), (["browser", "chrome"], True)],
    ids=["no-flow-needs-it", "collect-only"],
)
def test_no_browser_starts_for_a_run_that_will_not_use_it(
    pytestconfig, monkeypatch, fixturenames, collect_only
):
    monkeypatch.setattr(browser_module, "start_browser", lambda s: pytest.fail("started"))
    run = FakeRun(pytestconfig, fixturenames, collect_only)
    run.collection_finished()
    assert run.started_browser() is None


def test_a_browser_the_harness_quits_leaves_no_process_behind(settings):
    """Debian's /usr/bin/chromium-headless-shell is a shell script that does not exec the
    browser: chromedriver stopped the script and the browser ran on, one per run."""
    if settings.remote_url:
        pytest.skip("the browser runs on the remote end point's machine")
    driver = browser_module.start_browser(settings)
    profile = driver.capabilities["chrome"]["userDataDir"]
    driver.quit()
    deadline = time.monotonic() + 10
    while processes_with_argument(f"--user-data-dir={profile}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_with_argument(f"--user-data-dir={profile}"), "the browser still runs"


def processes_with_argument(argument: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and argument in (entry / "cmdline").read_text().split("\0"):
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found
