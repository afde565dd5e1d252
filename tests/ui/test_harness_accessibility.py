"""The harness's axe-core check: every page a flow shows is checked once, and a flow fails,
listing them, on violations of impact moderate or worse."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.test import Client
from werkzeug.wrappers import Response

from tests.ui import accessibility
from tests.ui.accessibility import (
    AXE_SCRIPT,
    AXE_SCRIPT_PATH,
    AccessibilityAudit,
    Violation,
    accessibility_report,
    axe_violations,
    page_key,
    serving_axe,
    violations_of_page,
)
from tests.ui.pages import LoginPage, Page, PostEditorPage, RegisterPage

pytest_plugins = ("pytester",)

ADD_AN_IMAGE_WITHOUT_TEXT = """
    const image = document.createElement('img');
    image.id = 'no-alt';
    document.querySelector('main').append(image);
"""


@pytest.mark.accessibility_violations_expected
def test_axe_names_the_rule_its_impact_and_the_element_of_a_violation(
    browser, base_url, blog_server
):
    Page(browser, base_url).open("/blog/")
    browser.execute_script(ADD_AN_IMAGE_WITHOUT_TEXT)
    found = axe_violations(browser, blog_server.axe_script_url)
    assert [(v.path, v.rule, v.impact, v.targets) for v in found] == [
        ("/blog/", "image-alt", "critical", ("#no-alt",))
    ]
    assert accessibility_report(found).splitlines()[1] == (
        "  - /blog/: image-alt (critical) Images must have alternate text: #no-alt"
    )


@pytest.mark.parametrize("loaded", ["injected", "from the live server"])
def test_loading_axe_breaks_no_content_security_policy(
    browser, base_url, blog_server, browser_console, loaded
):
    """axe is injected with execute_script, which the CSP does not govern, or loaded from
    the live server as a script of the page's own origin, which it allows; nothing it does
    on the page may trip the policy either."""
    script_url = blog_server.axe_script_url if loaded == "from the live server" else None
    Page(browser, base_url).open("/blog/")
    browser.execute_script(ADD_AN_IMAGE_WITHOUT_TEXT)
    assert [violation.rule for violation in axe_violations(browser, script_url)] == ["image-alt"]
    assert browser_console.csp_violations() == []


def test_the_live_server_serves_axes_script_to_keep_beside_the_site(app):
    """A page loads it as a script of its own origin, which the browser keeps compiled,
    instead of receiving half a megabyte through the driver on every page checked."""
    client = Client(serving_axe(app), Response)
    script = client.get(AXE_SCRIPT_PATH)
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script.data == AXE_SCRIPT.read_bytes()
    assert client.get("/login").status_code == 200, "every other path is the site's"


@pytest.mark.parametrize("page", [LoginPage, RegisterPage], ids=["login", "register"])
def test_the_account_forms_break_no_rule_of_any_impact(
    browser, base_url, blog_server, axe_results, page
):
    """Bootstrap-Flask gives a form role="form", which axe reports (aria-allowed-role, minor).
    What axe found on the same page in this session (the flows' check) counts."""
    page(browser, base_url).open()
    assert violations_of_page(browser, axe_results, blog_server.axe_script_url) == []


def test_the_change_password_form_breaks_no_rule_of_any_impact(
    browser, base_url, blog_server, axe_results, log_in_as
):
    log_in_as("default")
    Page(browser, base_url).open("/change-password")
    assert violations_of_page(browser, axe_results, blog_server.axe_script_url) == []


def test_a_flow_checks_each_path_of_the_site_once(
    browser, base_url, accessibility_audit, monkeypatch
):
    """Not on every wait: the pager flow returns to the same pages."""
    checked: list[str] = []

    def record(driver: WebDriver, script_url: str | None) -> list[Any]:
        checked.append(driver.current_url)
        return []

    monkeypatch.setattr(accessibility, "axe_violations", record)
    monkeypatch.setattr(accessibility_audit, "seen", {})  # not what earlier flows checked
    Page(browser, base_url).open("/blog/")
    Page(browser, base_url).open("/blog/")
    LoginPage(browser, base_url).open(PostEditorPage.path)  # redirected: /login?next=...
    LoginPage(browser, base_url).open()
    browser.get("about:blank")
    accessibility_audit.check_page()
    browser.get(base_url + "/static/css/blog.css")  # where the browser rests between flows
    accessibility_audit.check_page()
    assert [url.removeprefix(base_url) for url in checked] == [
        "/blog/",
        "/login?next=/blog/new",
    ]


def test_a_page_that_looks_as_one_checked_before_is_not_checked_again_and_still_counts(
    browser, base_url, accessibility_audit, monkeypatch
):
    """The login page of every flow that logs in differs only in its CSRF token."""
    accessibility_audit.end()  # this test plays two flows' audits itself
    checked = []

    def axe_finds_one(driver, script_url):
        checked.append(driver.current_url)
        return [Violation("/", "some-rule", "serious", "What it asks", ("form",))]

    monkeypatch.setattr(accessibility, "axe_violations", axe_finds_one)
    seen: dict[str, list[Violation]] = {}
    audits = [AccessibilityAudit(browser, base_url, seen) for _ in range(2)]
    for audit in audits:
        LoginPage(browser, base_url).open()
        browser.delete_all_cookies()  # a new session: a new CSRF token
        audit.check_page()
    assert len(checked) == 1
    for audit in audits:
        assert audit.failures() == [
            Violation("/login", "some-rule", "serious", "What it asks", ("form",))
        ]


INNER_FLOWS = """
    import pytest
    from tests.ui.accessibility import Violation
    from tests.ui.plugin import AUDIT

    class PageWith:
        def __init__(self, *impacts):
            self.violations = [
                Violation("/blog/", f"rule-{impact}", impact, "What it asks", ("main > img",))
                for impact in impacts
            ]

        def check_page(self):
            pass

        def failures(self):
            return [violation for violation in self.violations if violation.fails_flow]

    @pytest.fixture
    def page_with(request):
        def install(*impacts):
            request.node.stash[AUDIT] = PageWith(*impacts)
        return install

    def test_flow_on_a_page_with_moderate_and_serious_violations(page_with):
        page_with("minor", "moderate", "serious")

    def test_flow_on_a_page_with_a_minor_violation_only(page_with):
        page_with("minor")

    def test_flow_that_fails_on_its_own(page_with):
        page_with("critical")
        assert 1 == 2

    @pytest.mark.accessibility_violations_expected
    def test_self_test_breaking_a_rule_on_purpose(page_with):
        page_with("critical")
"""


def test_a_flow_that_passes_fails_on_violations_of_impact_moderate_or_worse(pytester):
    pytester.makeconftest("pytest_plugins = ('tests.ui.plugin',)")
    pytester.makepyfile(test_flows=textwrap.dedent(INNER_FLOWS))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-rN")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_flow_on_a_page_with_moderate_and_serious_violations _*",
            "axe-core found 2 accessibility violations of impact moderate or worse *",
            "  - /blog/: rule-moderate (moderate) What it asks: main > img",
            "  - /blog/: rule-serious (serious) What it asks: main > img",
            "*_ test_flow_that_fails_on_its_own _*",
        ]
    )
    assert result.stdout.str().count("accessibility violation") == 1


def test_violations_of_impact_moderate_and_worse_fail_a_flow():
    impacts = ["minor", "moderate", "serious", "critical"]
    assert [Violation("/", "r", i, "h", ()).fails_flow for i in impacts] == [
        False,
        True,
        True,
        True,
    ]


POST_PAGE = """<main><h1>Flask-3f9a0c2e</h1>
<time datetime="2026-11-26T10:53:22.639422+00:00">2026-11-26 10:53</time>
<a href="/blog/tag/Flask-3f9a0c2e">Flask-3f9a0c2e</a> <a href="/blog/edit/12">Edit</a>
<form method="post" action="/blog/delete/12">{csrf}<button>Delete</button></form>
<form method="post" action="/admin/comments/delete/"><input id="id" name="id" type="hidden"
 value="31"></form></main>"""
CSRF = '<input id="csrf_token" name="csrf_token" type="hidden" value="{}">'


def post_page(**values: str) -> str:
    """The post page of POST_PAGE with some of its values replaced (and a CSRF token)."""
    page = POST_PAGE.format(csrf=CSRF.format(values.pop("csrf", "IjA1ZGI4.token")))
    for old, new in values.items():
        page = page.replace(old, new)
    return page


@pytest.mark.parametrize(
    "other_showing",
    [
        {"csrf": "ImZmM2Q.another-token"},
        {"3f9a0c2e": "0b1c2d3e"},  # the unique name of another flow's data (site.unique)
        {"12": "407", "31": "9"},  # the ids of other rows
        {"2026-11-26T10:53:22.639422": "2027-01-02T08:01:05.000001", "10:53<": "08:01<"},
    ],
    ids=["csrf-token", "unique-name", "row-ids", "times"],
)
def test_showings_of_a_page_that_differ_only_in_per_request_values_share_a_key(other_showing):
    assert page_key(post_page(**other_showing)) == page_key(post_page())


def test_the_script_the_harness_added_to_a_checked_page_is_not_part_of_its_key():
    script = f'<script src="http://127.0.0.1:40123{AXE_SCRIPT_PATH}"></script>'
    assert page_key(post_page(**{"<main>": script + "<main>"})) == page_key(post_page())


@pytest.mark.parametrize(
    "changed",
    [
        {"<h1>Flask": "<h1>Django"},  # other words
        {"<button>Delete</button>": "<button></button>"},  # a button without a name
        {"</main>": "<p class='alert'>The post is deleted.</p></main>"},  # a state shown
        {"/blog/edit/12": "/blog/edit/31"},  # one id where there were two
        {'<a href="/blog/tag/Flask-3f9a0c2e">Flask-3f9a0c2e': '<a href="/x">Flask-0b1c2d3e'},
        {'id="id"': 'id="other"'},
        {'type="hidden"\n value="31"': 'type="text"\n value="31"'},
    ],
    ids=["text", "empty-button", "flash", "same-id-twice", "two-names", "element-id", "field"],
)
def test_a_page_that_changed_otherwise_gets_another_key(changed):
    assert page_key(post_page(**changed)) != page_key(post_page())


def test_a_changed_page_of_a_path_checked_before_is_checked_again_and_an_identical_one_is_not(
    browser, base_url, accessibility_audit, monkeypatch
):
    """Across flows: the same path showing other content is checked again."""
    accessibility_audit.end()  # this test plays three flows' audits itself
    checked: list[str] = []

    def record(driver: WebDriver, script_url: str | None) -> list[Violation]:
        checked.append(driver.execute_script("return document.title"))
        return []

    monkeypatch.setattr(accessibility, "axe_violations", record)
    seen: dict[str, list[Violation]] = {}
    for title in ("Before", "Before", "After"):
        Page(browser, base_url).open("/blog/")
        browser.execute_script("document.querySelector('h1').textContent = arguments[0]", title)
        browser.execute_script("document.title = arguments[0]", title)
        AccessibilityAudit(browser, base_url, seen).check_page()
    assert checked == ["Before", "After"]
