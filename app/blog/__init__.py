"""The reading and writing side of the blog, under /blog."""

from flask import Blueprint

from app.blog.sidebar import Sidebar

blog = Blueprint("blog", __name__, url_prefix="/blog", template_folder="templates")
# Every blog page has the sidebar; it queries only when a template reads it.
blog.context_processor(lambda: {"sidebar": Sidebar()})

from app.blog import editing, feeds, routes  # noqa: E402,F401  (views attach themselves to the blueprint)
