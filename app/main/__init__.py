"""Site-wide routes: the index redirect and the accounts (login, logout, register, password)."""

from flask import Blueprint

main = Blueprint("main", __name__, template_folder="templates")

from app.accounts import password_reset  # noqa: E402,F401
from app.main import routes  # noqa: E402,F401  (routes attach themselves to the blueprint)
