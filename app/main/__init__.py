"""Site-wide routes: the index redirect and, with the accounts issue, login and register."""

from flask import Blueprint

main = Blueprint("main", __name__)

from app.main import routes  # noqa: E402,F401  (routes attach themselves to the blueprint)
