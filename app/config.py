"""Configuration classes, selected by name in ``create_app`` or by ``APP_CONFIG``.

Nothing here reads the environment at import time: ``create_app`` calls
:meth:`Config.from_environment` so tests can set variables before building an app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

# RFC 9106's second recommended profile, which argon2-cffi also uses as its default.
STRONG_ARGON2: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
# Hashing is the slowest thing in the test suite; this profile is only for tests.
CHEAP_ARGON2: dict[str, int] = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}

MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The environment does not allow the chosen configuration to start."""


class Config:
    # Development and tests only: ProdConfig refuses to start without one from the environment.
    SECRET_KEY: str | None = "dev-only-secret-key-change-me"  # noqa: S105
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}
    ARGON2_PARAMS: ClassVar[dict[str, int]] = STRONG_ARGON2
    POSTS_PER_PAGE = 10
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    BOOTSTRAP_SERVE_LOCAL = True
    # Strict-Transport-Security (see app/security_headers.py): on under ProdConfig only.
    HSTS_ENABLED = False
    API_TOKEN_LIFETIME = 600
    # Failed logins allowed per account and per address; the next one answers 429.
    LOGIN_THROTTLE_LIMIT = "5 per 15 minutes"
    # memory:// counts per process: with several server processes, point every one at a
    # shared store such as redis://host:6379 (any `limits` storage with moving windows).
    LOGIN_THROTTLE_STORAGE_URI = "memory://"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Return the settings for an app, with the environment's overrides applied."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        if environ.get("SECRET_KEY"):
            settings["SECRET_KEY"] = environ["SECRET_KEY"]
        if environ.get("DATABASE_URL"):
            settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(environ["DATABASE_URL"])
        for key in ("LOGIN_THROTTLE_LIMIT", "LOGIN_THROTTLE_STORAGE_URI"):
            if environ.get(key):
                settings[key] = environ[key]
        if not settings["SQLALCHEMY_DATABASE_URI"]:
            settings["SQLALCHEMY_DATABASE_URI"] = cls.default_database_url(instance_path)
        return settings

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite:///" + os.path.join(instance_path, "blog.sqlite")


class DevConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    ARGON2_PARAMS: ClassVar[dict[str, int]] = CHEAP_ARGON2
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite://"


class UITestConfig(Config):
    """The Selenium flows' server (and run_test_server.py): a real server with CSRF on,
    error pages as in production, cheap password hashing and its own database."""

    SECRET_KEY = "ui-test-secret-key"  # noqa: S105
    ARGON2_PARAMS: ClassVar[dict[str, int]] = CHEAP_ARGON2

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite:///" + os.path.join(instance_path, "ui-test.sqlite")


class ProdConfig(Config):
    SECRET_KEY = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        secret = environ.get("SECRET_KEY", "")
        if len(secret) < MIN_SECRET_KEY_LENGTH or len(set(secret)) < 8:
            raise ConfigError(
                f"ProdConfig needs a strong SECRET_KEY in the environment (at least "
                f"{MIN_SECRET_KEY_LENGTH} random characters), e.g. `export SECRET_KEY="
                "$(python -c 'import secrets; print(secrets.token_urlsafe(48))')`"
            )
        return super().from_environment(environ, instance_path)


CONFIGS: dict[str, type[Config]] = {
    "dev": DevConfig,
    "development": DevConfig,
    "test": TestConfig,
    "testing": TestConfig,
    "ui-test": UITestConfig,
    "prod": ProdConfig,
    "production": ProdConfig,
}


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs (as hosting platforms give them) at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def config_class(name: str | type[Config] | None, environ: Mapping[str, str]) -> type[Config]:
    """Resolve a config name (or ``APP_CONFIG`` when none is given) to its class."""
    if isinstance(name, type):
        return name
    key = (name or environ.get("APP_CONFIG") or "dev").strip().lower()
    try:
        return CONFIGS[key]
    except KeyError:
        known = ", ".join(sorted(CONFIGS))
        raise ConfigError(f"Unknown config {key!r}; choose one of: {known}") from None
