"""The reading and writing side of the blog, under /blog."""

from flask import Blueprint

blog = Blueprint("blog", __name__, url_prefix="/blog", template_folder="templates")

from app.blog import editing, feeds, routes  # noqa: E402,F401  (views attach themselves to the blueprint)
