"""``python -m tests.load.seeding``: the load server's accounts and posts.

Runs under the server's own environment (``APP_CONFIG=prod``, its ``DATABASE_URL``), after
``flask init-db``, so the passwords are hashed as production hashes them. Reads
``{"accounts": [{username, password, role}], "posts": {name: author}}`` as JSON on stdin
(passwords never appear on a command line) and prints ``{name: post id}`` as JSON.
"""

from __future__ import annotations

import json
import sys

from app import create_app
from app.accounts.users import create_user
from app.extensions import db
from app.models import Post


def main() -> None:
    spec = json.load(sys.stdin)
    app = create_app()
    with app.app_context():
        users = {
            account["username"]: create_user(
                account["username"], account["password"], account["role"]
            )
            for account in spec["accounts"]
        }
        posts = {
            name: Post(
                title=f"Load test: {name}", text="Written by many at once.", user=users[author]
            )
            for name, author in spec["posts"].items()
        }
        db.session.add_all(posts.values())
        db.session.commit()
        print(json.dumps({name: post.id for name, post in posts.items()}))


if __name__ == "__main__":
    main()
