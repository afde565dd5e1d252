"""How a UI run starts and what it leaves: on a remote WebDriver end point (a Selenium Grid
speaks the protocol chromedriver speaks), one clear line when it cannot start, and an HTML
report holding each failed flow's screenshot, page and console."""

from __future__ import annotations

import base64
import json
import re
import socket
import subprocess
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.endpoints import unanswered
from tests.ui.plugin import UISettings

pytest_plugins = ("pytester",)

CHROMEDRIVER_START_TIMEOUT = 10
# What an inner run needs of the harness: its options and hooks, and its fixtures.
INNER_CONFTEST = "pytest_plugins = ('tests.ui.plugin', 'tests.support.smtp_server', 'tests.ui.conftest')"
# Only its options and hooks: tests that use no browser or server.
PLUGIN_ONLY = "pytest_plugins = ('tests.ui.plugin',)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def remote_webdriver(settings: UISettings) -> Iterator[str]:
    """chromedriver listening on a free port: a W3C WebDriver end point, as a Grid is."""
    if not settings.chromedriver:
        pytest.skip("no local chromedriver to serve as the remote end point")
    url = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [settings.chromedriver, f"--port={url.rsplit(':', 1)[1]}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + CHROMEDRIVER_START_TIMEOUT
        while unanswered(url + "/status", timeout=1):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromedriver did not answer on {url}", pytrace=False)
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


REMOTE_FLOWS = """
    from tests.ui.pages import HomePage

    def test_visitor_opens_the_blog(browser, base_url):
        assert "Mastering Flask Blog" in HomePage(browser, base_url).open().driver.title

    def test_flow_that_fails(browser, base_url):
        HomePage(browser, base_url).open()
        browser.execute_script("console.error('marker-for-the-report')")
        assert False, "the flow failed"
"""


def report_extras(report_html: str, test_name: str) -> dict[str, Any]:
    """The extras pytest-html embedded for one test: {name: content (a data: URL)}."""
    blob = re.search(r'data-jsonblob="([^"]*)"', report_html)
    assert blob, "no test data in the report"
    data = json.loads(blob.group(1).replace("&#34;", '"').replace("&amp;", "&"))
    (results,) = (runs for test_id, runs in data["tests"].items() if test_id.endswith(test_name))
    return {extra["name"]: extra["content"] for extra in results[-1]["extras"]}


def decoded(data_url: str) -> bytes:
    return base64.b64decode(data_url.split("base64,", 1)[1])


def test_flows_run_on_a_remote_webdriver_and_the_report_embeds_a_failed_flows_artifacts(
    pytester, remote_webdriver, monkeypatch
):
    # Without a local driver, any flow that passes went through the remote end point.
    monkeypatch.setenv("CHROMEDRIVER", "/nonexistent/chromedriver")
    monkeypatch.delenv("BLOG_BASE_URL", raising=False)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_flows=textwrap.dedent(REMOTE_FLOWS))
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--selenium-remote", remote_webdriver,
        "--html", "report.html", "--self-contained-html",
    )  # fmt: skip
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"ui: server *; browser {remote_webdriver}"])

    extras = report_extras((pytester.path / "report.html").read_text(), "test_flow_that_fails")
    assert decoded(extras["Screenshot"]).startswith(b"\x89PNG")
    assert "Mastering Flask Blog" in decoded(extras["page.html"]).decode()
    assert "marker-for-the-report" in decoded(extras["console.log"]).decode()
    assert extras["Screenshot"].startswith("data:image/png;base64,"), "embedded, not linked"


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
@pytest.mark.parametrize("option", ["--selenium-remote", "--base-url"])
def test_a_url_that_does_not_answer_stops_the_run_at_start_in_one_line(pytester, option, workers):
    dead = f"http://127.0.0.1:{free_port()}"
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_flow="def test_flow(browser):\n    pass\n")
    started = time.monotonic()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", option, dead, *workers)
    assert time.monotonic() - started < 5, "no retries"
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = result.stderr.str().strip().splitlines()
    assert line.startswith(f"ERROR: {option} {dead} does not answer: ")


def test_a_run_without_flows_does_not_ask_the_servers(pytester):
    pytester.makeconftest(PLUGIN_ONLY)
    pytester.makepyfile(test_unit="def test_unit():\n    pass\n")
    dead = f"http://127.0.0.1:{free_port()}"
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--selenium-remote", dead)
    result.assert_outcomes(passed=1)


def test_headed_without_a_display_says_so_and_suggests_xvfb_run(pytester, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    pytester.makeconftest(INNER_CONFTEST)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--headed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = result.stderr.str().strip().splitlines()
    assert line.startswith("ERROR: --headed needs a display and there is none")
    assert "xvfb-run" in line


def test_headed_on_a_remote_browser_needs_no_local_display(pytester, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    pytester.makeconftest(PLUGIN_ONLY)
    pytester.makepyfile(test_unit="def test_unit():\n    pass\n")
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--headed", "--selenium-remote", "http://grid.example:4444"
    )
    result.assert_outcomes(passed=1)
