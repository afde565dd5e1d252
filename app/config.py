"""Configuration classes, selected by name in ``create_app`` or by ``APP_CONFIG``.

Nothing here reads the environment at import time: ``create_app`` calls
:meth:`Config.from_environment` so tests can set variables before building an app.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, ClassVar

import click
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

# RFC 9106's second recommended profile, which argon2-cffi also uses as its default.
STRONG_ARGON2: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
# Hashing is the slowest thing in the test suite; this profile is only for tests.
CHEAP_ARGON2: dict[str, int] = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}

MIN_SECRET_KEY_LENGTH = 32
# Any setting, e.g. BLOG_POSTS_PER_PAGE=5, read as Flask's Config.from_prefixed_env reads them.
ENV_PREFIX = "BLOG_"
# What to install for the drivers the README names.
DRIVER_EXTRAS = {"psycopg": "postgres"}


class ConfigError(click.ClickException):
    """The environment does not allow the chosen configuration to start. A ClickException,
    so the ``flask`` command prints its one line instead of a traceback."""


class Config:
    # Development and tests only: ProdConfig refuses to start without one from the environment.
    SECRET_KEY: str | None = "dev-only-secret-key-change-me"  # noqa: S105
    SQLALCHEMY_DATABASE_URI: str | None = None
    # A pooled connection the server has closed (a restart, a failover) is replaced before
    # use instead of failing the request that drew it.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
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
    # The longest post (app.models.POST_TEXT_MAX, 100,000 characters) is at most 400 KB of
    # UTF-8, which a multipart field carries as is, and 1.2 MB as a browser's urlencoded
    # form (%XX per byte), to which only MAX_CONTENT_LENGTH applies. The site takes no files.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    # Tries on one account from one address, and failures from one address on any
    # accounts; the next one answers 429 (app.accounts.throttle).
    LOGIN_THROTTLE_LIMIT = "5 per 15 minutes"
    LOGIN_THROTTLE_ADDRESS_LIMIT = "20 per 15 minutes"
    # Per address (app.rate_limits): comments by visitors who are not logged in,
    # registrations, and every write to the JSON API.
    COMMENT_RATE_LIMIT = "10 per minute; 100 per day"
    REGISTER_RATE_LIMIT = "10 per hour"
    API_WRITE_RATE_LIMIT = "60 per minute"
    # Where the login throttle and the rate limits count (a `limits` storage URI). Unset:
    # a SQLite file shared by the worker processes of one machine, next to the blog's SQLite
    # database (one site, one count), else in the instance folder; several machines share
    # redis://host:6379 (the [redis] extra).
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = True
    # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host; 0 trusts none
    # (a visitor could otherwise pick the address the throttle counts).
    TRUSTED_PROXIES = 0
    # The page cache (app.caching): this process's memory. Several worker processes share
    # a FileSystemCache folder (ProdConfig's default), several machines Redis:
    # CACHE_TYPE=RedisCache and CACHE_REDIS_URL=redis://host:6379/1 (the [redis] extra).
    CACHE_TYPE = "SimpleCache"
    CACHE_DIR: str | None = None
    CACHE_REDIS_URL: str | None = None
    # Parts are invalidated when the data changes; the timeout only bounds what an unseen
    # change (a database restored under a running Redis) can leave.
    CACHE_DEFAULT_TIMEOUT = 300
    # CACHE_TYPE=NullCache (no cache) is a choice this README documents, not a slip.
    CACHE_NO_NULL_WARNING = True
    # Compression (app.compression): text only, and not below a size where it saves little.
    COMPRESS_MIMETYPES: ClassVar[list[str]] = [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/atom+xml",
    ]  # fmt: skip
    COMPRESS_MIN_SIZE = 500
    # app.compression decides which responses are compressed and calls Flask-Compress.
    COMPRESS_REGISTER = False
    # Flask-Compress's streaming compressor leaves the file it streams open (a ResourceWarning
    # per file); app.compression reads static files whole instead, and streams nothing else.
    COMPRESS_STREAMS = False
    # Flask-DebugToolbar (app.debug_toolbar): under DevConfig only.
    DEBUG_TB_ENABLED = False
    # Mail (app.mail, Flask-Mailman), each from the environment variable of its name:
    # "smtp" sends through MAIL_SERVER, "console" prints every mail (dev and tests).
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # Unset, the site's name at blog@localhost.
    MAIL_DEFAULT_SENDER: str | None = None
    # Seconds before an SMTP server that does not answer is given up on.
    MAIL_TIMEOUT = 10
    # Where links in mails point, e.g. https://blog.example.org. Unset, the address the
    # request came to (its Host header): set it wherever a forged Host could reach the app.
    SITE_URL: str | None = None
    # The blog's name: every page's title and brand, the feeds, the mails.
    SITE_NAME = "Mastering Flask Blog"
    # A password reset link works this many seconds, once (app.accounts.password_reset).
    PASSWORD_RESET_MAX_AGE = 30 * 60
    # Reset requests per address and per email address asked for (app.rate_limits).
    RESET_REQUEST_RATE_LIMIT = "10 per hour"
    RESET_REQUEST_EMAIL_RATE_LIMIT = "3 per hour"
    # Background jobs (app.jobs, Celery): a broker such as redis://host:6379/2 sends tasks
    # to `celery -A wsgi:celery_app worker`; unset, every task runs inline. The result
    # store defaults to the broker.
    CELERY_BROKER_URL: str | None = None
    CELERY_RESULT_BACKEND: str | None = None
    # A mail the server refuses is tried again this many times, after MAIL_RETRY_DELAY
    # seconds, doubled each time (30 s, 1 min, 2 min, ...); inline, it is tried once.
    MAIL_RETRIES = 5
    MAIL_RETRY_DELAY = 30
    # When beat sends the weekly digest: crontab fields (minute hour day month weekday), UTC.
    DIGEST_SCHEDULE = "0 18 * * sun"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Return the settings for an app, with the environment's overrides applied."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        database_variable = "DATABASE_URL"
        if environ.get("DATABASE_URL"):
            settings["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
        for key in FROM_ENVIRONMENT:
            if environ.get(key):
                settings[key] = environ[key]
        settings.update(mail_settings(environ))
        prefixed = prefixed_settings(environ)
        settings.update(prefixed)
        if "SQLALCHEMY_DATABASE_URI" in prefixed:
            database_variable = ENV_PREFIX + "SQLALCHEMY_DATABASE_URI"
        cls.check(settings)
        settings["TRUSTED_PROXIES"] = proxy_count(str(settings["TRUSTED_PROXIES"]))
        if settings["SQLALCHEMY_DATABASE_URI"]:
            settings["SQLALCHEMY_DATABASE_URI"] = checked_database_url(
                database_variable, str(settings["SQLALCHEMY_DATABASE_URI"])
            )
        else:
            settings["SQLALCHEMY_DATABASE_URI"] = cls.default_database_url(instance_path)
        if not settings["RATELIMIT_STORAGE_URI"]:
            settings["RATELIMIT_STORAGE_URI"] = default_rate_limit_storage(
                settings["SQLALCHEMY_DATABASE_URI"], instance_path
            )
        if not settings["MAIL_DEFAULT_SENDER"]:
            settings["MAIL_DEFAULT_SENDER"] = f"{settings['SITE_NAME']} <blog@localhost>"
        if settings["CACHE_TYPE"] == "FileSystemCache" and not settings["CACHE_DIR"]:
            settings["CACHE_DIR"] = os.path.join(instance_path, "page-cache")
        return settings

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Refuse settings this config cannot start with (ConfigError)."""

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite:///" + os.path.join(instance_path, "blog.sqlite")


class DevConfig(Config):
    DEBUG = True
    DEBUG_TB_ENABLED = True
    # Its page in place of every redirect would stop each form on the way (log in, post).
    DEBUG_TB_INTERCEPT_REDIRECTS = False
    # The toolbar's SQL panel lists what Flask-SQLAlchemy recorded.
    SQLALCHEMY_RECORD_QUERIES = True
    MAIL_BACKEND = "console"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    ARGON2_PARAMS: ClassVar[dict[str, int]] = CHEAP_ARGON2
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None
    # One process: counts in memory, forgotten between tests (conftest resets them).
    RATELIMIT_STORAGE_URI = "memory://"
    # The suite's own apps send to its SMTP server (tests/smtp_server.py); others print.
    MAIL_BACKEND = "console"

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite://"


class UITestConfig(Config):
    """The Selenium flows' server (and run_test_server.py): a real server with CSRF on,
    error pages as in production, cheap password hashing and its own database."""

    SECRET_KEY = "ui-test-secret-key"  # noqa: S105
    ARGON2_PARAMS: ClassVar[dict[str, int]] = CHEAP_ARGON2
    RATELIMIT_STORAGE_URI = "memory://"
    # run_test_server.py prints mails; the flows send them to their SMTP server.
    MAIL_BACKEND = "console"

    @classmethod
    def default_database_url(cls, instance_path: str) -> str:
        return "sqlite:///" + os.path.join(instance_path, "ui-test.sqlite")


class ProdConfig(Config):
    SECRET_KEY = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    # gunicorn runs several workers: each would keep a cache of its own in memory and miss
    # the others' invalidations (a comment posted through one worker absent from another's
    # pages). A folder in the instance folder is shared by every worker of one machine.
    CACHE_TYPE = "FileSystemCache"

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        secret = str(settings["SECRET_KEY"] or "")
        if len(secret) < MIN_SECRET_KEY_LENGTH or len(set(secret)) < 8:
            raise ConfigError(
                f"ProdConfig needs a strong SECRET_KEY in the environment (at least "
                f"{MIN_SECRET_KEY_LENGTH} random characters), e.g. `export SECRET_KEY="
                "$(python -c 'import secrets; print(secrets.token_urlsafe(48))')`"
            )


# Read without the prefix too, as before it existed.
FROM_ENVIRONMENT = (
    "SECRET_KEY",
    "LOGIN_THROTTLE_LIMIT",
    "LOGIN_THROTTLE_ADDRESS_LIMIT",
    "COMMENT_RATE_LIMIT",
    "REGISTER_RATE_LIMIT",
    "API_WRITE_RATE_LIMIT",
    "RATELIMIT_STORAGE_URI",
    "CACHE_TYPE",
    "CACHE_DIR",
    "CACHE_REDIS_URL",
    "TRUSTED_PROXIES",
    "RESET_REQUEST_RATE_LIMIT",
    "RESET_REQUEST_EMAIL_RATE_LIMIT",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
)


def prefixed_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """``BLOG_NAME=value`` for every setting NAME: the value as JSON where it parses (numbers,
    true/false, lists), else the string, as Flask's ``Config.from_prefixed_env`` reads them
    (which can only read ``os.environ``; create_app is given its environment)."""
    settings: dict[str, Any] = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX) and key != ENV_PREFIX:
            try:
                settings[key.removeprefix(ENV_PREFIX)] = json.loads(value)
            except ValueError:
                settings[key.removeprefix(ENV_PREFIX)] = value
    return settings


def checked_database_url(variable: str, value: str) -> str:
    """The URL SQLAlchemy will use, or a one-line ConfigError naming ``variable``: a URL
    that does not parse, a database or driver SQLAlchemy does not know, or a driver that
    is not installed."""
    try:
        url: URL = make_url(normalise_database_url(value))
    except ArgumentError:
        raise ConfigError(
            f"{variable}: {value!r} is not a database URL, e.g. sqlite:///blog.sqlite or "
            "postgresql://user:password@host/blog"
        ) from None
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise ConfigError(
            f"{variable}: {url.drivername!r} names no database SQLAlchemy knows; use "
            "sqlite:///... or postgresql://..."
        ) from None
    try:
        dialect.import_dbapi()
    except ImportError as missing:
        package = missing.name or url.get_driver_name()
        extra = DRIVER_EXTRAS.get(package, "")
        hint = f" (pip install -e '.[{extra}]')" if extra else ""
        raise ConfigError(
            f"{variable}: {url.drivername} needs {package}, not installed{hint}"
        ) from None
    return url.render_as_string(hide_password=False)


MAIL_TEXT_SETTINGS = (
    "MAIL_BACKEND", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER",
)  # fmt: skip
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def mail_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The mail settings the environment gives, checked; one-line ConfigErrors otherwise."""
    settings: dict[str, Any] = {key: environ[key] for key in MAIL_TEXT_SETTINGS if environ.get(key)}
    if environ.get("MAIL_PORT"):
        port = environ["MAIL_PORT"].strip()
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"MAIL_PORT must be a port number (1-65535), not {port!r}")
        settings["MAIL_PORT"] = int(port)
    for key in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if environ.get(key):
            settings[key] = flag(key, environ[key])
    if settings.get("MAIL_USE_TLS") and settings.get("MAIL_USE_SSL"):
        raise ConfigError("MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL (TLS from the start), not both")
    if environ.get("SITE_URL"):
        url = environ["SITE_URL"].strip().rstrip("/")
        if not url.startswith(("https://", "http://")) or "/" in url.split("://", 1)[1]:
            raise ConfigError(
                f"SITE_URL must be the site's scheme and host, e.g. https://blog.example.org, "
                f"not {url!r}"
            )
        settings["SITE_URL"] = url
    return settings


def flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")
    return word in TRUE_WORDS


def default_rate_limit_storage(database_url: str, instance_path: str) -> str:
    """``blog.sqlite`` counts in ``blog-rate-limits.sqlite`` beside it; an in-memory
    database (one process) in memory; any other database in the instance folder."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return "sqlite:///" + os.path.join(instance_path, "rate-limits.sqlite")
    if url.database in (None, "", ":memory:"):
        return "memory://"
    stem, _ = os.path.splitext(os.path.abspath(url.database))
    return f"sqlite:///{stem}-rate-limits.sqlite"


def proxy_count(value: str) -> int:
    """``TRUSTED_PROXIES`` as a number of hops, or a one-line ConfigError."""
    if not value.strip().isdigit():
        raise ConfigError(
            f"TRUSTED_PROXIES must be the number of proxies in front of the app (0, 1, ...), "
            f"not {value!r}"
        )
    return int(value)


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
        where = "Unknown config" if name else "APP_CONFIG: unknown config"
        raise ConfigError(f"{where} {key!r}; choose one of: {known}") from None
