"""A real redis-server on 127.0.0.1 for the tests that need one (Redis as the rate limits'
storage, as Celery's broker): pytest-redis's ``redis_proc``, one per session (per xdist
worker).

The unit sessions start without pytest-redis's plugin (``-p no:pytest_redis``): it imports
the Redis client, 0.2 s of CPU at every start-up, for two test files. It is loaded here, by
its module's name, when a test first asks for the server.
"""

from __future__ import annotations

import shutil

import pytest

REDIS_MISSING = "redis-server is not installed (Debian: apt-get install redis-server)"
PLUGIN = "pytest_redis.plugin"


def redis_url(request: pytest.FixtureRequest) -> str:
    """The URL of database 0 of the session's redis-server; skips where there is none."""
    if shutil.which("redis-server") is None:
        pytest.skip(REDIS_MISSING)
    manager = request.config.pluginmanager
    if manager.get_plugin("pytest_redis") is None and manager.get_plugin(PLUGIN) is None:
        manager.import_plugin(PLUGIN)
    server = request.getfixturevalue("redis_proc")
    return f"redis://{server.host}:{server.port}/0"
