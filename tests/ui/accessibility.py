"""axe-core's accessibility check of the pages a flow visits.

The script comes from the selenium-axe-python package (installed with the test extra; no
CDN, nothing copied here). The live server thread serves it beside the site
(``serving_axe``), and a page checked loads it as a script of its own origin, which the
site's Content-Security-Policy allows and the browser keeps compiled; to any other server
(``--base-url``) it is injected with ``execute_script``, which the policy does not apply
to, half a megabyte through the driver on every page, three times as slow. axe itself adds
no inline code to the page, so the CSP check of the flow stays quiet.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from selenium.common.exceptions import UnexpectedAlertPresentException
from selenium.webdriver.remote.webdriver import WebDriver

from tests.ui.site import UNIQUE_SUFFIX

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# axe's impacts, least to most severe; a flow fails from FAIL_FROM on.
IMPACTS = ("minor", "moderate", "serious", "critical")
FAIL_FROM = "moderate"
# Only the violations: leaving out passes and incomplete results makes a run cheaper. Of
# the assets axe loads first, only the media: the CSS object model (every style sheet
# fetched and parsed again, a third of a run) serves css-orientation-lock alone, a rule
# outside the default set.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": {"assets": ["media"]}}
AXE_SCRIPT = files("selenium_axe_python") / "axe-core" / "axe.min.js"
# Where the live server thread serves it: a path the site does not use.
AXE_SCRIPT_PATH = "/_ui-harness/axe.min.js"
# What differs between two showings of the same content (page_key): CSRF tokens, the
# suffixes of the flows' unique names, the ids of rows in URLs and hidden fields, times,
# and the script tag that loaded axe on a page checked before.
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
URL_OR_HIDDEN_VALUE = re.compile(r'(?:href|action|src)="[^"]*"|<input[^>]*type="hidden"[^>]*>')
TIME = re.compile(r"<time\b[^>]*>[^<]*</time>")
DIGITS = re.compile(r"\d+")
AXE_SCRIPT_TAG = re.compile(r'<script src="[^"]*' + re.escape(AXE_SCRIPT_PATH) + '"></script>')
# Loads axe from the URL given, if the page has none and a URL is given, then runs it.
RUN_AXE = """
    const [options, scriptUrl] = arguments, done = arguments[arguments.length - 1];
    const script = typeof axe === 'object' || !scriptUrl ? Promise.resolve()
        : new Promise((resolve, reject) => document.head.append(Object.assign(
            document.createElement('script'),
            {src: scriptUrl, onload: resolve, onerror: () => reject('no ' + scriptUrl)})));
    const loaded = new Promise(resolve => document.readyState === 'complete'
        ? resolve() : addEventListener('load', resolve, {once: true}));
    Promise.all([script, loaded]).then(() => typeof axe !== 'object' ? {missing: true}
        : axe.run(document, options).then(results => results.violations)).then(
        done, error => done({error: String(error)}),
    );
"""


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page: where, how badly, and by which elements."""

    path: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    @property
    def fails_flow(self) -> bool:
        return IMPACTS.index(self.impact) >= IMPACTS.index(FAIL_FROM)

    def line(self) -> str:
        targets = ", ".join(self.targets)
        return f"  - {self.path}: {self.rule} ({self.impact}) {self.help}: {targets}"


def axe_violations(driver: WebDriver, script_url: str | None = None) -> list[Violation]:
    """Run axe on the page the browser shows, every rule of its default set; its script
    loaded from ``script_url`` (on the page's server), else injected."""
    found: Any = driver.execute_async_script(RUN_AXE, AXE_OPTIONS, script_url)
    if isinstance(found, dict) and found.get("missing"):
        driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
        found = driver.execute_async_script(RUN_AXE, AXE_OPTIONS, None)
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core could not check {driver.current_url}: {found['error']}")
    path = urlsplit(driver.current_url).path
    return [
        Violation(
            path=path,
            rule=rule["id"],
            impact=rule["impact"] or "minor",
            help=rule["help"],
            targets=tuple(" ".join(map(str, node["target"])) for node in rule["nodes"]),
        )
        for rule in found
    ]


def serving_axe(app: WSGIApplication) -> WSGIApplication:
    """``app``, and axe's script at AXE_SCRIPT_PATH for a year (it changes only with the
    package): the live server thread's WSGI application."""
    script = AXE_SCRIPT.read_bytes()
    headers = [
        ("Content-Type", "text/javascript"),
        ("Content-Length", str(len(script))),
        ("Cache-Control", "public, max-age=31536000, immutable"),
    ]

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != AXE_SCRIPT_PATH:
            return app(environ, start_response)
        start_response("200 OK", headers)
        return [script]

    return application


class Renaming:
    """Names each distinct value it meets by the order it first met it (A, B, ... Z, BA):
    values that were equal stay equal and distinct ones distinct, so a page showing one id
    twice keys apart from one showing two ids."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.names: dict[str, str] = {}

    def __call__(self, found: re.Match[str]) -> str:
        number, name = len(self.names), ""
        while not name or number:
            number, digit = divmod(number, 26)
            name = chr(ord("A") + digit) + name
        return "{" + self.kind + self.names.setdefault(found[0], name) + "}"


def page_key(markup: str) -> str:
    """A key that is the same for two showings of one content and state, whatever their
    per-request values (``CSRF_INPUT`` and below); any other difference, of words, elements,
    attributes or which ids are equal, gives another key."""
    markup = AXE_SCRIPT_TAG.sub("", markup)
    markup = CSRF_INPUT.sub('<input name="csrf_token">', markup)
    markup = TIME.sub(lambda time: DIGITS.sub("0", time[0]), markup)
    markup = UNIQUE_SUFFIX.sub(Renaming("name"), markup)
    ids = Renaming("id")
    markup = URL_OR_HIDDEN_VALUE.sub(lambda value: DIGITS.sub(ids, value[0]), markup)
    return hashlib.sha256(markup.encode()).hexdigest()


def violations_of_page(
    driver: WebDriver, seen: dict[str, list[Violation]], script_url: str | None
) -> list[Violation]:
    """What axe finds on the page shown: what it found on a page of the same key (in
    ``seen``), or what it finds now."""
    key = page_key(driver.page_source)
    if key not in seen:
        seen[key] = axe_violations(driver, script_url)
    return seen[key]


@dataclass
class AccessibilityAudit:
    """The pages of the server under test one flow showed, each path checked once (not on
    every wait). ``seen`` holds what axe found on each page markup already checked (shared by
    the flows of a session): a page that looks the same, such as the login page, is not
    checked again, and what was found on it counts again."""

    driver: WebDriver
    server_url: str
    seen: dict[str, list[Violation]]
    script_url: str | None = None  # where the server offers axe's script (serving_axe)
    checked: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)

    @classmethod
    def for_new_flow(
        cls,
        driver: WebDriver,
        server_url: str,
        seen: dict[str, list[Violation]],
        script_url: str | None,
    ) -> AccessibilityAudit:
        """The audit that page objects on ``driver`` report to (check_accessibility) until
        ``end()``."""
        audit = _AUDITS[driver] = cls(driver, server_url, seen, script_url)
        return audit

    def end(self) -> None:
        _AUDITS.pop(self.driver, None)

    def check_page(self) -> None:
        """Check the page shown now, unless a page of this path was checked in this flow."""
        try:
            url = self.driver.current_url
            path = urlsplit(url).path
            # Only the site's pages: not about:blank, nor the browser's own error pages, nor
            # the site's static files (the browser rests on one between flows).
            if (
                not url.startswith(self.server_url + "/")
                or path.startswith("/static/")
                or path in self.checked
            ):
                return
            found = violations_of_page(self.driver, self.seen, self.script_url)
        except UnexpectedAlertPresentException:
            return  # an alert the flow is about (the XSS flow) blocks every command
        self.checked.add(path)
        self.violations.extend(replace(violation, path=path) for violation in found)

    def failures(self) -> list[Violation]:
        return [violation for violation in self.violations if violation.fails_flow]


_AUDITS: WeakKeyDictionary[WebDriver, AccessibilityAudit] = WeakKeyDictionary()


def check_accessibility(driver: WebDriver) -> None:
    """Check the page ``driver`` shows for the flow's audit, if the flow has one (a page
    object calls this once the page is loaded)."""
    audit = _AUDITS.get(driver)
    if audit is not None:
        audit.check_page()


def accessibility_report(violations: list[Violation]) -> str:
    """The failure message of a flow whose pages broke accessibility rules."""
    count = len(violations)
    lines = "\n".join(violation.line() for violation in violations)
    return (
        f"axe-core found {count} accessibility violation{'s' * (count != 1)} of impact "
        f"{FAIL_FROM} or worse (page: rule (impact) what it asks: elements):\n{lines}"
    )
