"""A database URL whose driver is not installed stops the app with one line naming the
package as Python imports it, with a pip hint only for the drivers an extra brings (the
[postgres] one: test_config.py)."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError


def test_a_driver_without_an_extra_is_named_as_python_imports_it_with_no_pip_hint():
    with pytest.raises(ConfigError) as refused:
        create_app("test", environ={"DATABASE_URL": "mysql://u@db/blog"})
    assert str(refused.value) == "DATABASE_URL: mysql needs MySQLdb, not installed"
