"""What a failed flow leaves behind: a screenshot, the page's HTML and the browser console."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path
from typing import Any

from pytest_html import extras
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver

from tests.ui.console import BrowserConsole


def artifact_dir(root: Path, nodeid: str) -> Path:
    """``tests/ui/test_x.py::test_y[a]`` -> ``root/test_x.py__test_y_a``: one safe name."""
    name = nodeid.removeprefix("tests/ui/").replace("::", "__")
    return root / re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def save_artifacts(
    driver: WebDriver, target: Path, console: BrowserConsole | None = None
) -> list[Path]:
    """Write screenshot.png, page.html and console.log into a fresh ``target``.

    ``console`` is the flow's, holding what the CSP check already read; without it (a flow
    that failed before it had one) the log is read from the driver. Each part is saved on
    its own: a dead page may still have a console log worth reading.
    """
    if console is None:
        console = BrowserConsole(driver)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    saved = []
    for name, capture in (
        ("screenshot.png", lambda: driver.get_screenshot_as_png()),
        ("page.html", lambda: f"<!-- {driver.current_url} -->\n{driver.page_source}".encode()),
        ("console.log", lambda: console.text().encode()),
    ):
        path = target / name
        try:
            path.write_bytes(capture())
        except WebDriverException as error:
            path = path.with_name(name + ".error.txt")
            path.write_text(f"could not capture {name}: {error.msg}\n")
        saved.append(path)
    return saved


def report_extras(saved: list[Path]) -> list[dict[str, Any]]:
    """The saved files as pytest-html extras, embedded in a self-contained report: the
    screenshot as an image, the page's HTML and the console log as text."""
    found = []
    for path in saved:
        if path.name == "screenshot.png":
            found.append(extras.png(base64.b64encode(path.read_bytes()).decode(), "Screenshot"))
        else:
            found.append(extras.text(path.read_text(), name=path.name))
    return found
