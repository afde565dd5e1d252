"""The real redis-server of the tests that need one (tests/support/redis_server.py): there
whether or not the session started with pytest-redis's plugin (the unit sessions start
without it, 0.2 s of CPU less at every start-up)."""

from __future__ import annotations

import shutil
import tempfile

import pytest

from tests.support.redis_server import REDIS_MISSING

pytest_plugins = ("pytester",)

INNER_TEST = """
import redis

from tests.support.redis_server import redis_url


def test_inner(request):
    assert redis.Redis.from_url(redis_url(request)).ping()
"""


@pytest.mark.parametrize("plugin_args", [["-p", "pytest_redis"], ["-p", "no:pytest_redis"]])
def test_a_test_gets_a_live_redis_server_with_or_without_the_plugin_at_start_up(
    pytester, plugin_args
):
    if shutil.which("redis-server") is None:
        pytest.skip(REDIS_MISSING)
    pytester.makepyfile(test_inner=INNER_TEST)
    # The server's Unix socket lives under the base temp; pytester's path is too long for one.
    with tempfile.TemporaryDirectory() as basetemp:
        result = pytester.runpytest_inprocess(
            "--disable-plugin-autoload", *plugin_args, f"--basetemp={basetemp}/t", "-rN"
        )
    result.assert_outcomes(passed=1)
