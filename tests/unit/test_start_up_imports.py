"""What every pytest start-up costs (each tdd run, xdist worker and mutant pays for it)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from conftest import UNIT_TEST_GC_THRESHOLD

ROOT = Path(__file__).resolve().parents[2]


def test_the_ui_harness_plugin_loads_without_selenium_or_pytest_html():
    """The root conftest loads the Selenium harness's plugin for its options: importing
    Selenium and pytest-html there cost every unit-test start-up 0.3-0.6 s of CPU; they are
    imported when a flow runs or is reported."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tests.ui.plugin; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'selenium', 'pytest_html'}))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[]"


def test_what_start_up_made_is_left_out_of_the_garbage_collectors_passes():
    """The app's modules and the collected tests live until the run ends: frozen once the
    tests are collected, and with the youngest generation collected less often, the unit
    suite used 6-8% less CPU (measured side by side)."""
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == UNIT_TEST_GC_THRESHOLD
