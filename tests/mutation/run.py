"""The mutation gate: ``python -m tests.mutation.run [app/module.py ...]`` (``nox -s mutation``).

For each module of app/ (all of them, migrations excepted, unless some are named) it
1. picks the unit-test files that matter for the module: those ``[mutation] tests`` of
   setup.cfg names for it, else those with a test that ran one of its lines, read from a
   coverage run of tests/unit with one context per test function (``.mutation/coverage``,
   made once, slow: a context per test; ``--remap`` makes it again after tests moved); the
   files that ran most of the module's lines go first, so ``pytest -x`` stops soon;
   ``[mutation] postgresql`` names test files that run next on PostgreSQL for the modules
   whose mutants only it tells apart (row locks), on one throwaway server per module
   (tests/mutation/on_postgresql.py; without PostgreSQL such a module fails, saying why);
2. runs them once unmutated (they must pass; their time sets the per-mutant timeout);
3. has cosmic-ray make every mutant of the module (the operators of ``[mutation]
   operators`` in setup.cfg, and ``blog/RemoveCallStatement`` of tests/mutation/operators.py)
   and run those tests against each, one at a time, in place: leave app/ alone meanwhile;
4. sets aside the mutants setup.cfg lists as equivalent, each with its reason;
5. prints mutants, killed, survived, equivalent and the score per module, and every survivor
   as file:line, operator and the changed line.

It fails when a module's score, or the score of all measured modules, is under
``[mutation] fail_under``. The work databases stay in ``.mutation/`` (cosmic-ray's own
``cr-report .mutation/app.rendering.sqlite`` reads them).
"""

from __future__ import annotations

import argparse
import configparser
import fnmatch
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import cosmic_ray.plugins
from cosmic_ray.commands import execute, init
from cosmic_ray.config import ConfigDict
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

from tests.mutation.on_postgresql import PostgresMissing, command_for, database_for
from tests.mutation.operators import Provider

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".mutation"
COVERAGE_DATA = DATA / "coverage"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]


@dataclass(frozen=True)
class Settings:
    fail_under: float
    operators: list[re.Pattern[str]]
    exclude: list[str]
    equivalent: dict[tuple[str, int, str], str]
    tests: dict[str, list[str]]
    postgresql: dict[str, list[str]]


def _files_per_module(text: str) -> dict[str, list[str]]:
    """Lines of ``module: files``."""
    found = {}
    for entry in filter(None, text.splitlines()):
        module, _, files = entry.partition(":")
        found[module.strip()] = files.split()
    return found


def read_settings() -> Settings:
    """``[mutation]`` of setup.cfg; an equivalent mutant is ``file:line:operator: reason``."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg")
    section = parser["mutation"]
    equivalent = {}
    for entry in filter(None, section.get("equivalent", "").splitlines()):
        where, _, reason = entry.partition(": ")
        path, line, operator = where.strip().split(":", 2)
        if not reason.strip():
            sys.exit(f"setup.cfg [mutation] equivalent: {where} needs a reason")
        equivalent[(path, int(line), operator)] = reason.strip()
    return Settings(
        tests=_files_per_module(section.get("tests", "")),
        postgresql=_files_per_module(section.get("postgresql", "")),
        fail_under=section.getfloat("fail_under", 100.0),
        operators=[re.compile(p) for p in section.get("operators", "").split()],
        exclude=section.get("exclude", "").split(),
        equivalent=equivalent,
    )


def use_operators(settings: Settings) -> None:
    """cosmic-ray makes the mutants of the operators setup.cfg names, ours among them."""
    cosmic_ray.plugins.OPERATOR_PROVIDERS["blog"] = Provider()
    chosen = tuple(
        name
        for name in cosmic_ray.plugins.operator_names()
        if any(pattern.fullmatch(name) for pattern in settings.operators)
    )
    cosmic_ray.plugins.operator_names = lambda: chosen


def all_modules(settings: Settings) -> list[str]:
    paths = (path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "app").rglob("*.py")))
    return [p for p in paths if not any(fnmatch.fnmatch(p, x) for x in settings.exclude)]


_mapped_now = False


def map_tests_to_lines(remap: bool) -> None:
    """One coverage run of the unit tests, each line recording the test functions that ran it."""
    global _mapped_now
    if _mapped_now or (COVERAGE_DATA.exists() and not remap):
        return
    _mapped_now = True
    DATA.mkdir(exist_ok=True)
    rcfile = DATA / "coveragerc"
    rcfile.write_text(
        f"[run]\nsource = app\ndynamic_context = test_function\ndata_file = {COVERAGE_DATA}\n"
    )
    print("Mapping unit tests to the lines they run (one coverage run of tests/unit) ...")
    command = [sys.executable, "-m", "coverage", "run", f"--rcfile={rcfile}", *PYTEST[1:]]
    # A failing test leaves its lines mapped all the same; the baseline of each module checks.
    subprocess.run([*command, "tests/unit", "-p", "no:xdist"], cwd=ROOT, check=False)


def test_files_for(module: str) -> list[str]:
    """The test files that ran lines of ``module``, those that ran the most lines first."""
    from coverage import CoverageData

    data = CoverageData(basename=str(COVERAGE_DATA))
    data.read()
    source = str(ROOT / module)
    lines_per_file: dict[str, int] = {}
    for contexts in data.contexts_by_lineno(source).values():
        for context in contexts:
            test_file = _file_of_context(context)
            if test_file:
                lines_per_file[test_file] = lines_per_file.get(test_file, 0) + 1
    mapped = {_file_of_context(context) for context in data.measured_contexts()}
    # A test file newer than the map may test any module: it runs for each, last, until
    # --remap places it.
    newer = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "tests" / "unit").glob("test_*.py"))
        if path.relative_to(ROOT).as_posix() not in mapped
    ]
    return sorted(lines_per_file, key=lambda name: (-lines_per_file[name], name)) + newer


def _file_of_context(context: str) -> str | None:
    """``tests.unit.test_x.TestY.test_z`` is tests/unit/test_x.py."""
    parts = context.split(".")
    for end in range(len(parts), 0, -1):
        candidate = Path(ROOT, *parts[:end]).with_suffix(".py")
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


@dataclass
class Tally:
    module: str
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    not_measured: str = ""

    @property
    def score(self) -> float:
        judged = self.mutants - self.equivalent
        return 100.0 if judged == 0 else 100.0 * self.killed / judged


def measure(module: str, settings: Settings, remap: bool) -> Tally:
    postgresql_tests = settings.postgresql.get(module, [])
    try:
        with database_for(module, postgresql_tests) as database_url:
            return _measure(module, settings, remap, postgresql_tests, database_url)
    except PostgresMissing as missing:
        print(missing, flush=True)
        return Tally(module, not_measured=str(missing))


def _measure(
    module: str,
    settings: Settings,
    remap: bool,
    postgresql_tests: list[str],
    database_url: str | None,
) -> Tally:
    tests = settings.tests.get(module)
    if tests is None:
        map_tests_to_lines(remap)
        tests = test_files_for(module)
    tally = Tally(module)
    if not tests:
        print(f"{module}: no unit test runs any of its lines; every mutant counts as survived")
        tests = ["tests/unit"]
    command = command_for([*PYTEST, "-x"], tests, postgresql_tests, database_url)
    started = time.monotonic()
    baseline = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if baseline.returncode != 0:
        output = baseline.stdout + baseline.stderr
        sys.exit(f"{module}: its tests fail without any mutation:\n{output[-3000:]}")
    timeout = max(30.0, 4 * (time.monotonic() - started))
    on_postgresql = f", then {len(postgresql_tests)} on PostgreSQL" if postgresql_tests else ""
    print(
        f"{module}: {len(tests)} test files{on_postgresql}, {timeout:.0f} s timeout per mutant",
        flush=True,
    )

    DATA.mkdir(exist_ok=True)
    db_path = DATA / (module.removesuffix(".py").replace("/", ".") + ".sqlite")
    matched: set[tuple[str, int, str]] = set()
    with use_db(str(db_path), WorkDB.Mode.create) as work_db:
        init([Path(module)], work_db, {})
        for item in list(work_db.work_items):
            mutation = item.mutations[0]
            tally.mutants += 1
            key = (module, mutation.start_pos[0], mutation.operator_name)
            matched.add(key)
            if key in settings.equivalent:
                tally.equivalent += 1
                work_db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
        config = ConfigDict(
            {
                "module-path": module,
                "timeout": timeout,
                "test-command": shlex.join(command),
                "distributor": {"name": "local"},
            }
        )
        # An entry whose line moved names no mutant: say so rather than judge the wrong one.
        for key in settings.equivalent.keys() - matched:
            if key[0] == module:
                tally.other.append(f"{key[0]}:{key[1]}: {key[2]}  equivalent entry, no such mutant")
        execute(work_db, config)
        for item, result in work_db.completed_work_items:
            mutation = item.mutations[0]
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            where = f"{module}:{mutation.start_pos[0]}: {mutation.operator_name}"
            if result.test_outcome == TestOutcome.KILLED:
                tally.killed += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                tally.survivors.append(f"{where}  {_changed_line(result.diff)}")
            else:
                tally.other.append(f"{where}  {result.worker_outcome}")
    return tally


def _changed_line(diff: str | None) -> str:
    added = [line[1:].strip() for line in (diff or "").splitlines() if line.startswith("+")]
    added = [line for line in added if not line.startswith("++")]
    return "-> " + " / ".join(added) if added else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="app/ files to mutate (default: all)")
    parser.add_argument("--remap", action="store_true", help="redo the coverage map of tests")
    args = parser.parse_args()
    settings = read_settings()
    use_operators(settings)
    modules = args.modules or all_modules(settings)
    tallies = [measure(module, settings, args.remap) for module in modules]

    print(f"\n{'module':34} mutants killed survived equivalent  score")
    for tally in tallies:
        if tally.not_measured:
            print(f"{tally.module:34} not measured: needs PostgreSQL")
            continue
        print(
            f"{tally.module:34} {tally.mutants:7} {tally.killed:6} {len(tally.survivors):8}"
            f" {tally.equivalent:10} {tally.score:5.1f}%"
        )
    total = Tally("all", *(sum(getattr(t, f) for t in tallies) for f in ("mutants", "killed")))
    total.equivalent = sum(t.equivalent for t in tallies)
    print(
        f"{'all measured':34} {total.mutants:7} {total.killed:6} "
        f"{sum(len(t.survivors) for t in tallies):8} {total.equivalent:10} {total.score:5.1f}%"
    )
    for tally in tallies:
        for line in tally.survivors:
            print(f"survived: {line}")
        for line in tally.other:
            print(f"not run: {line}")
    for tally in tallies:
        if tally.not_measured:
            print(tally.not_measured)
    failing = [
        t.module for t in [*tallies, total] if t.score < settings.fail_under or t.not_measured
    ]
    if failing:
        print(f"Under fail_under = {settings.fail_under}%: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
