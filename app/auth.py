"""Flask-Login wiring: sessions identify a user by their rotating session token."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db, login_manager
from app.models import User


def load_user(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token))


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "main.login"
    login_manager.login_message_category = "warning"
