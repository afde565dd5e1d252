from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from app.main import main


@main.get("/")
def index() -> Response:
    return redirect(url_for("blog.home"))
