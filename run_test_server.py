#!/usr/bin/env python
"""Serve the blog for manual QA and for the Selenium flows' ``--base-url``.

The UI-test config (CSRF on, cheap password hashing) on a temporary SQLite file with the
schema, the roles and the demo accounts (printed with their passwords), plus ``--posts`` demo
posts. Serves on 127.0.0.1 until Ctrl-C or SIGTERM, then removes its database.

    python run_test_server.py --port 5000 --posts 25
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from werkzeug.serving import make_server

from app import create_app
from app.config import ConfigError
from app.extensions import db
from app.seed import DEMO_ACCOUNTS, seed_demo

HOST = "127.0.0.1"
MAX_POSTS = 10_000


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)  # argparse reports a ValueError as "invalid ... value"
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}, got {value}")
        return value

    parse.__name__ = "int"
    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--port", type=bounded_int(0, 65535), default=5000,
        help="port on 127.0.0.1 (default 5000; 0 picks a free one)",
    )  # fmt: skip
    parser.add_argument(
        "--posts", type=bounded_int(0, MAX_POSTS), default=25,
        help="demo posts to create (default 25: enough for three pages)",
    )  # fmt: skip
    return parser.parse_args(argv)


def _stop_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="blog-ui-test-") as workdir:
        database = Path(workdir) / "blog.sqlite"
        try:
            app = create_app(
                "ui-test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
            )
        except ConfigError as error:
            print(f"run_test_server.py: {error.message}", file=sys.stderr)
            return 2
        try:
            server = make_server(HOST, args.port, app, threaded=True)
        except SystemExit:  # werkzeug has printed why it could not bind
            print(
                f"run_test_server.py: port {args.port} on {HOST} is in use; "
                "choose another with --port",
                file=sys.stderr,
            )
            return 2
        with app.app_context():
            db.create_all()
            seed_demo(posts=args.posts)
        print(f"Blog UI-test server on http://{HOST}:{server.server_port}/")
        print(f"  database: {database} ({args.posts} posts)")
        print("Accounts (username / password / role):")
        for account in DEMO_ACCOUNTS:
            print(f"  {account.username} / {account.password} / {account.role}")
        print("Stop with Ctrl-C.", flush=True)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            with app.app_context():
                db.engine.dispose()
    print(f"Stopped; removed {database}.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
