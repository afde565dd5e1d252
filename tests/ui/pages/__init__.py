"""Page objects: one class per page of the blog, so flows read as what a user does."""

from tests.ui.pages.admin import AdminFormPage, AdminListPage
from tests.ui.pages.auth import LoginPage, RegisterPage, is_logged_in, log_out
from tests.ui.pages.base import Page
from tests.ui.pages.blog import HomePage, PostListPage, PostPage
from tests.ui.pages.editor import ErrorPage, PostEditorPage
from tests.ui.pages.password_reset import ForgotPasswordPage, ResetPasswordPage

__all__ = [
    "AdminFormPage",
    "AdminListPage",
    "ErrorPage",
    "ForgotPasswordPage",
    "HomePage",
    "LoginPage",
    "Page",
    "PostEditorPage",
    "PostListPage",
    "PostPage",
    "RegisterPage",
    "ResetPasswordPage",
    "is_logged_in",
    "log_out",
]
