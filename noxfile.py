"""The sessions developers and CI run: ``nox`` runs lint, typecheck, tests, tests-postgres,
api-fuzz, load, ui and coverage; ``diff-cover``, ``load-postgres``, ``bench``, ``mutation``,
``tdd`` and ``worker`` run only when named."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import nox

# The harness's own browser lookup (standard library only), so both find the same browser.
sys.path.insert(0, str(Path(__file__).parent))
from tests.ui.browser_paths import browser_paths, is_headless_shell

nox.options.sessions = [
    "lint", "typecheck", "tests", "tests-postgres", "api-fuzz", "load", "ui", "coverage",
]  # fmt: skip
nox.options.reuse_existing_virtualenvs = True
# uv makes a session's virtualenv in seconds where pip takes a minute (README's commands
# install it with nox[uv]); plain virtualenv and pip when uv is missing.
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_missing_interpreters = True

COVERAGE_DATA = Path(".coverage-data")
# Every session writes bytecode, even where PYTHONDONTWRITEBYTECODE is set (containers often
# set it) and uv installs none: without it every process (each xdist worker, each gunicorn
# worker, each `flask` subprocess of a test) compiled SQLAlchemy & co. again, and pytest
# rewrote and compiled the asserts of every plugin package (hypothesis, faker,
# schemathesis): 2 to 6 s of CPU each.
os.environ["PYTHONDONTWRITEBYTECODE"] = ""
UI_REPORT = Path("test-artifacts/ui/report.html")
# What the unit tests import (the PostgreSQL driver, Redis, gunicorn, Celery): every session
# that runs or type-checks them installs these.
UNIT_TEST_EXTRAS = "test,postgres,redis,server,worker"
# Installed pytest plugins the unit tests never use, not loaded by the sessions that run them:
# each cost every start-up (each tdd run, xdist worker and mutant) 0.1 to 1.1 s of CPU.
# schemathesis's is api-fuzz's; pytest-html's and pytest-metadata's the ui report's; anyio's
# and faker's serve async tests and a `faker` fixture that no test has; pytest-redis's is
# loaded by the tests that start a redis-server (tests/support/redis_server.py).
UNIT_TEST_PLUGINS_OFF = (
    "-p", "no:schemathesis", "-p", "no:html", "-p", "no:html_fixtures", "-p", "no:metadata",
    "-p", "no:anyio", "-p", "no:faker", "-p", "no:pytest_redis",
)  # fmt: skip


def pytest_args(session: nox.Session, default_path: str, *defaults: str) -> list[str]:
    """The session's arguments after its test folder and default options, unless one of them
    names a test path (``tests/unit/test_x.py``, ``...::test_y``): then they replace both."""
    if any(Path(arg.split("::")[0]).exists() for arg in session.posargs if arg[:1] != "-"):
        return list(session.posargs)
    return [default_path, *defaults, *session.posargs]


def fresh_coverage_file(kind: str) -> str:
    """Empty the data folder of one kind of run (unit or ui) and return its COVERAGE_FILE."""
    folder = COVERAGE_DATA / kind
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return str(folder / ".coverage")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and zizmor's audit of the CI workflow (offline)."""
    session.install("ruff>=0.6", "zizmor>=1.5")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("zizmor", "--offline", ".github/workflows")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on app/, tests/ and the scripts, as setup.cfg's [mypy] section says."""
    session.install("-e", f".[{UNIT_TEST_EXTRAS},typecheck]")
    session.run("mypy", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The unit tests under coverage (gate: the coverage session), one xdist worker per core
    (coverage follows the workers: `patch = subprocess`); `-- -n 0` runs them in one, and
    `-- tests/unit/test_x.py` only that file (in one process)."""
    session.install("-e", f".[{UNIT_TEST_EXTRAS}]")
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        *UNIT_TEST_PLUGINS_OFF,
        *pytest_args(session, "tests/unit", "-n", "auto"),
        env={
            "COVERAGE_FILE": fresh_coverage_file("unit"),
            "HYPOTHESIS_PROFILE": "ci",
        },
    )


@nox.session(name="tests-postgres")
def tests_postgres(session: nox.Session) -> None:
    """The unit tests marked `postgresql` (those whose outcome depends on the database) on a
    throwaway PostgreSQL server from the machine's binaries (tests/support/postgres_server.py),
    under coverage beside the unit data; without the binaries they skip, saying what to
    install. Extra args go to pytest (a test path replaces the marked selection)."""
    session.install("-e", f".[{UNIT_TEST_EXTRAS}]")
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        *UNIT_TEST_PLUGINS_OFF,
        "--database=postgresql",
        *pytest_args(session, "tests/unit", "-m", "postgresql", "-n", "2"),
        env={
            "COVERAGE_FILE": fresh_coverage_file("postgres"),
            "HYPOTHESIS_PROFILE": "ci-postgresql",
        },
    )


@nox.session
def tdd(session: nox.Session) -> None:
    """The test-first loop, not in the default run: pytest-testmon re-runs only the unit tests
    whose code changed since the last run (its record: .testmondata), in one process under the
    quick hypothesis profile. Extra args go to pytest (a test path replaces tests/unit)."""
    session.install("-e", f".[{UNIT_TEST_EXTRAS},tdd]")
    session.run("pytest", *UNIT_TEST_PLUGINS_OFF, "--testmon", *pytest_args(session, "tests/unit"))


@nox.session(name="api-fuzz")
def api_fuzz(session: nox.Session) -> None:
    """schemathesis against the app in-process: every operation of /api/openapi.json, every
    check (ignored_auth too); fails on any server error or response the document does not
    describe, and prints how many requests it generated. Extra args go to pytest."""
    session.install("-e", ".[test]")
    session.run("pytest", *pytest_args(session, "tests/fuzz", "-q"))


@nox.session
def load(session: nox.Session) -> None:
    """Many clients at once against gunicorn (4 sync workers; 1 worker x 8 threads) on a
    fresh SQLite file, or on a fresh PostgreSQL database when TEST_DATABASE_URL is set; then
    a server killed mid-burst loses no answered write. Prints figures per scenario. Extra
    args go to pytest."""
    session.install("-e", ".[test,server,postgres]")
    session.run("pytest", *pytest_args(session, "tests/load", "-q"))


@nox.session(name="load-postgres")
def load_postgres(session: nox.Session) -> None:
    """The load session on a throwaway PostgreSQL server (a database per gunicorn server), as
    tests-postgres starts one; not in the default run. Extra args go to pytest."""
    session.install("-e", ".[test,server,postgres]")
    session.run("pytest", "--database=postgresql", *pytest_args(session, "tests/load", "-q"))


@nox.session
def bench(session: nox.Session) -> None:
    """Page timings on 1k- and 100k-post SQLite files (built once into .bench-data/), uncached
    and cached, interleaved; fails when a page at the largest size is slower than 1.5x the
    same page at the smallest, or runs another number of SQL statements. Prints one table.
    Not in the default run. Extra args go to pytest (--bench-sizes, --bench-repeat, ...)."""
    session.install("-e", ".[test]")
    session.run("pytest", *pytest_args(session, "tests/bench", "-q"))


def find_browser(session: nox.Session) -> dict[str, str]:
    """Chromium and its driver from CHROME_BIN/CHROMEDRIVER or PATH (for headless runs its
    headless shell first); apt-get on Debian as root, the headless shell included."""
    headed = "--headed" in session.posargs
    chrome, driver = browser_paths(os.environ, headed=headed)
    lean = headed or "CHROME_BIN" in os.environ or is_headless_shell(chrome)
    if chrome and driver and lean:
        return {"CHROME_BIN": chrome, "CHROMEDRIVER": driver}
    if Path("/etc/debian_version").exists() and os.geteuid() == 0:
        session.log("Installing Debian's chromium, chromium-driver and chromium-headless-shell")
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "chromium", "chromium-driver",
            "chromium-headless-shell", external=True, env={"DEBIAN_FRONTEND": "noninteractive"},
        )  # fmt: skip
        chrome, driver = browser_paths(os.environ, headed=headed)
    if chrome and driver:
        return {"CHROME_BIN": chrome, "CHROMEDRIVER": driver}
    session.error(
        "Chromium/Chrome and chromedriver are needed: install them (Debian: apt-get install "
        "chromium chromium-driver chromium-headless-shell) or set CHROME_BIN and CHROMEDRIVER "
        "to their paths."
    )


@nox.session
def ui(session: nox.Session) -> None:
    """The Selenium user flows in headless Chromium, under coverage, each page checked with
    axe-core; writes the HTML report test-artifacts/ui/report.html (each failed flow's
    screenshot, page and console embedded). Extra args go to pytest."""
    browser = find_browser(session)
    session.install("-e", ".[test]")
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        *pytest_args(session, "tests/ui"),
        f"--html={UI_REPORT}",
        "--self-contained-html",
        env={"COVERAGE_FILE": fresh_coverage_file("ui"), **browser},
    )


@nox.session
def coverage(session: nox.Session) -> None:
    """Combine unit (SQLite and PostgreSQL) and UI data, enforce fail_under, write htmlcov/;
    report UI-only too."""
    session.install("coverage>=7.10")
    kinds = [
        str(COVERAGE_DATA / kind)
        for kind in ("unit", "postgres", "ui")
        if (COVERAGE_DATA / kind).is_dir()
    ]
    if not kinds:
        session.error("No coverage data: run the tests (and ui) sessions first.")
    ui_files = sorted(str(path) for path in (COVERAGE_DATA / "ui").glob(".coverage.*"))
    if ui_files:
        session.log("UI flows alone cover:")
        session.run("coverage", "combine", "-q", "--keep", "--data-file=.coverage-ui", *ui_files)
        session.run("coverage", "report", "--data-file=.coverage-ui", "--fail-under=0")
    session.run("coverage", "combine", "-q", "--keep", *kinds)
    session.run("coverage", "html")
    session.run("coverage", "report")


@nox.session(name="diff-cover")
def diff_cover(session: nox.Session) -> None:
    """For a pull request, after the coverage session: fails when a line of app/ the branch
    changed is not covered, listing those lines. Compares with origin/main, or the branch
    given after `--`. Not in the default run (CI runs it on pull requests)."""
    session.install("coverage>=7.10", "diff-cover>=9.2")
    branch = session.posargs[0] if session.posargs else "origin/main"
    session.run("coverage", "xml", "-o", "coverage.xml", "--fail-under=0")  # the gate is diff-cover
    session.run("diff-cover", "coverage.xml", f"--compare-branch={branch}", "--fail-under=100")


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing of app/ with cosmic-ray (tests/mutation/run.py): each mutant against the
    unit-test files that ran its module's lines; prints the score per module and every
    survivor; fails under setup.cfg's [mutation] fail_under. The row locks' modules also run
    their [mutation] postgresql tests on a throwaway PostgreSQL server (fails without one).
    Hours for all of app/: not in the default run (CI runs it nightly). Name modules to
    measure only them: `nox -s mutation -- app/rendering.py`; `-- --remap` after tests
    moved."""
    # A module's tests must pass unmutated first.
    session.install("-e", f".[{UNIT_TEST_EXTRAS},mutation]")
    session.run(
        "python",
        "-m",
        "tests.mutation.run",
        *session.posargs,
        env={"PYTEST_ADDOPTS": shlex.join(UNIT_TEST_PLUGINS_OFF)},
    )


@nox.session
def worker(session: nox.Session) -> None:
    """Not in the default run: a Celery worker with beat (the weekly digest) against
    CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/2), for the app of the environment's
    config (APP_CONFIG, as gunicorn's). Extra args go to `celery worker`."""
    if not os.environ.get("CELERY_BROKER_URL"):
        session.error("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/2) to run the worker.")
    session.install("-e", ".[worker,server]")
    session.run(
        "celery", "-A", "wsgi:celery_app", "worker", "--beat", "--loglevel=INFO",
        "--schedule=instance/celerybeat-schedule", *session.posargs,
    )  # fmt: skip


@nox.session(name="test-server")
def test_server(session: nox.Session) -> None:
    """run_test_server.py: a seeded UI-test server for manual QA; extra args go to it."""
    session.install("-e", ".")
    session.run("python", "run_test_server.py", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the blog with demo data on http://127.0.0.1:5000 (SQLite in instance/); under the
    dev config (the default) with the debugger and the reloader."""
    session.install("-e", ".")
    config = os.environ.get("APP_CONFIG", "dev")
    env = {"APP_CONFIG": config}
    debug = ["--debug"] if config in ("dev", "development") else []
    session.run("flask", "--app", "app", "init-db", env=env)
    session.run("flask", "--app", "app", "seed", "--if-empty", env=env)
    session.run(
        "flask", "--app", "app", *debug, "run", "--host", "127.0.0.1", "--port", "5000",
        *session.posargs, env=env,
    )  # fmt: skip
