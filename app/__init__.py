"""The blog of *Mastering Flask*, rebuilt test-first."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import security_headers
from app.config import Config, config_class
from app.extensions import bootstrap, csrf, db, login_manager, migrate
from app.paging import PageConverter

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(
    config: str | type[Config] | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Flask:
    """Build the app for a config name or class (default: ``APP_CONFIG``, else ``dev``).

    ``overrides`` are applied last, after the environment; tests use them to point the app
    at their own database.
    """
    environ = os.environ if environ is None else environ
    app = Flask(__name__)
    app.config.from_mapping(
        config_class(config, environ).from_environment(environ, app.instance_path)
    )
    app.config.from_mapping(overrides or {})
    security_headers.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)

    from app import (
        admin,
        api,
        caching,
        cli,
        compression,
        database,  # noqa: F401 (its engine events)
        debug_toolbar,
        errors,
        jobs,
        mail,
        rate_limits,
        request_shapes,
        static_files,
    )
    from app.accounts import login, permissions
    from app.blog import blog
    from app.main import main
    from app.notifications import notifications

    login.init_app(app)
    permissions.init_app(app)
    compression.init_app(app)
    debug_toolbar.init_app(app)
    caching.init_app(app)
    static_files.init_app(app)
    cli.init_app(app)
    errors.init_app(app)
    mail.init_app(app)
    jobs.init_app(app)
    request_shapes.init_app(app)
    # Before the blueprints: their routes name it.
    app.url_map.converters["page"] = PageConverter
    app.register_blueprint(main)
    app.register_blueprint(blog)
    app.register_blueprint(notifications)
    api.init_app(app)
    admin.init_app(app)
    rate_limits.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        # Behind proxies, the visitor's address (which the throttle and the rate limits
        # count) and scheme are in the headers the trusted proxies set, and only there.
        # Flask's documented way to add WSGI middleware, which mypy reads as replacing a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    return app
