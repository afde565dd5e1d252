"""The API blueprint object, in its own module so every part of the API can decorate it."""

from flask_smorest import Blueprint

from app.models import INT_MAX

# The URL converter for ids: beyond INT_MAX the route does not match, which is a 404.
ID = f"int(max={INT_MAX})"

api = Blueprint(
    "api",
    __name__,
    url_prefix="/api",
    description="Posts and comments of the blog, authenticated by Bearer tokens.",
)
