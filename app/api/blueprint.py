"""The API blueprint object, in its own module so every part of the API can decorate it."""

from flask_smorest import Blueprint

# Ids and page numbers are 32-bit in the database (PostgreSQL's integer); bigger ones in a
# URL would overflow the query instead of finding nothing.
MAX_INT = 2**31 - 1
# The URL converter for ids: beyond MAX_INT the route does not match, which is a 404.
ID = f"int(max={MAX_INT})"

api = Blueprint(
    "api",
    __name__,
    url_prefix="/api",
    description="Posts and comments of the blog, authenticated by Bearer tokens.",
)
