"""Config selection and the environment, read by create_app (never at import)."""

from __future__ import annotations

import sys

import pytest

from app import create_app
from app.config import (
    CHEAP_ARGON2,
    STRONG_ARGON2,
    ConfigError,
    DevConfig,
    ProdConfig,
    TestConfig,
    UITestConfig,
    config_class,
    normalise_database_url,
)

STRONG_KEY = "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dev", DevConfig),
        ("test", TestConfig),
        ("ui-test", UITestConfig),
        ("prod", ProdConfig),
        (" Production ", ProdConfig),
    ],
)
def test_config_is_chosen_by_name(name, expected):
    assert config_class(name, {}) is expected


def test_app_config_variable_chooses_the_config_when_no_name_is_given():
    app = create_app(environ={"APP_CONFIG": "test"})
    assert app.config["TESTING"] is True


def test_default_config_is_dev_with_sqlite_file_in_instance_folder():
    app = create_app(environ={})
    assert app.config["DEBUG"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "sqlite:///" + app.instance_path + "/blog.sqlite"
    )


def test_unknown_config_name_is_a_clear_error():
    with pytest.raises(ConfigError, match="Unknown config 'staging'; choose one of: dev"):
        create_app("staging", environ={})


def test_database_url_from_environment_is_used():
    app = create_app("test", environ={"DATABASE_URL": "sqlite:////tmp/other.sqlite"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/other.sqlite"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/blog", "postgresql+psycopg://u:p@db/blog"),
        ("postgresql://u:p@db/blog", "postgresql+psycopg://u:p@db/blog"),
        ("postgresql+psycopg://u@db/blog", "postgresql+psycopg://u@db/blog"),
        ("sqlite:///blog.sqlite", "sqlite:///blog.sqlite"),
    ],
)
def test_postgres_urls_use_the_psycopg_driver(given, expected):
    assert normalise_database_url(given) == expected


def test_postgres_database_url_builds_a_psycopg_engine():
    app = create_app("test", environ={"DATABASE_URL": "postgres://u:p@localhost/blog"})
    from app.extensions import db

    with app.app_context():
        assert db.engine.dialect.driver == "psycopg"


@pytest.mark.parametrize("secret", [None, "", "short", "a" * 64])
def test_prod_config_refuses_to_start_without_a_strong_secret_key(secret):
    environ = {} if secret is None else {"SECRET_KEY": secret}
    with pytest.raises(ConfigError, match="ProdConfig needs a strong SECRET_KEY"):
        create_app("prod", environ=environ)


def test_prod_config_starts_with_a_strong_secret_key_and_secure_cookies():
    app = create_app("prod", environ={"SECRET_KEY": STRONG_KEY})
    assert app.config["SECRET_KEY"] == STRONG_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["ARGON2_PARAMS"] == STRONG_ARGON2


def test_environment_is_read_when_the_app_is_created(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "prod")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    assert create_app().config["SECRET_KEY"] == STRONG_KEY


def test_overrides_win_over_config_and_environment():
    app = create_app("test", overrides={"POSTS_PER_PAGE": 3}, environ={})
    assert app.config["POSTS_PER_PAGE"] == 3


def test_config_class_may_be_given_directly():
    assert config_class(ProdConfig, {"APP_CONFIG": "dev"}) is ProdConfig


def test_ui_test_config_keeps_csrf_on_and_errors_rendered_like_production():
    """The Selenium flows drive real forms, so CSRF stays on and errors show their pages."""
    app = create_app("ui-test", environ={})
    assert app.config["WTF_CSRF_ENABLED"] is True
    assert app.config["TESTING"] is False
    assert app.config["DEBUG"] is False
    assert app.config["ARGON2_PARAMS"] == CHEAP_ARGON2


def test_ui_test_config_never_defaults_to_the_development_database():
    app = create_app("ui-test", environ={})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "sqlite:///" + app.instance_path + "/ui-test.sqlite"
    )


def test_every_setting_can_come_from_the_environment_with_the_blog_prefix():
    """Values are JSON where they parse as JSON (numbers, booleans, lists), else strings."""
    app = create_app(
        "test",
        environ={
            "BLOG_POSTS_PER_PAGE": "5",
            "BLOG_CACHE_TYPE": "NullCache",
            "BLOG_COMPRESS_MIMETYPES": '["text/html"]',
            "BLOG_HSTS_ENABLED": "true",
        },
    )
    assert app.config["POSTS_PER_PAGE"] == 5
    assert app.config["CACHE_TYPE"] == "NullCache"
    assert app.config["COMPRESS_MIMETYPES"] == ["text/html"]
    assert app.config["HSTS_ENABLED"] is True


def test_a_prefixed_setting_wins_over_the_unprefixed_name():
    app = create_app(
        "test", environ={"COMMENT_RATE_LIMIT": "1 per day", "BLOG_COMMENT_RATE_LIMIT": "2 per day"}
    )
    assert app.config["COMMENT_RATE_LIMIT"] == "2 per day"


def test_a_prefixed_database_uri_uses_psycopg_and_counts_rate_limits_in_the_instance_folder():
    app = create_app(
        "dev", environ={"BLOG_SQLALCHEMY_DATABASE_URI": "postgres://u:p@localhost/blog"}
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@localhost/blog"
    assert app.config["RATELIMIT_STORAGE_URI"] == (
        "sqlite:///" + app.instance_path + "/rate-limits.sqlite"
    )


def test_prod_takes_its_secret_key_with_the_prefix_too():
    app = create_app("prod", environ={"BLOG_SECRET_KEY": STRONG_KEY})
    assert app.config["SECRET_KEY"] == STRONG_KEY


def test_an_unknown_config_from_app_config_names_the_variable():
    with pytest.raises(
        ConfigError, match=r"^APP_CONFIG: unknown config 'staging'; choose one of: dev"
    ):
        create_app(environ={"APP_CONFIG": "staging"})


@pytest.mark.parametrize(
    ("variable", "url", "message"),
    [
        ("DATABASE_URL", "not a url", "is not a database URL"),
        ("DATABASE_URL", "mysq://u@db/blog", "names no database SQLAlchemy knows"),
        ("BLOG_SQLALCHEMY_DATABASE_URI", "sqlite+nodriver:///x", "names no database SQLAlchemy"),
    ],
)
def test_a_bad_database_url_is_a_config_error_naming_the_variable(variable, url, message):
    with pytest.raises(ConfigError, match=f"^{variable}: .*{message}"):
        create_app("test", environ={variable: url})


def test_a_database_url_whose_driver_is_not_installed_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the [postgres] extra were missing
    with pytest.raises(ConfigError, match=r"^DATABASE_URL: .*needs psycopg.*\[postgres\]"):
        create_app("test", environ={"DATABASE_URL": "postgresql://u@db/blog"})


def test_trusted_proxies_from_the_prefix_must_be_a_number():
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES must be the number of proxies"):
        create_app("test", environ={"BLOG_TRUSTED_PROXIES": '"one"'})
