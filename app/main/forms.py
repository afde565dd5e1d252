"""The account forms: log in, register, change password, the account's email address."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from app.accounts.passwords import PASSWORD_MAX, PASSWORD_MIN, TOO_COMMON, is_common_password
from app.forms import NoControlCharacters
from app.models import USERNAME_MAX, User, normalise_email

TAKEN = "That username is already taken."
EMAIL_TAKEN = "That email address is already in use."


def not_common(form: FlaskForm, field: PasswordField) -> None:
    if is_common_password(field.data or ""):
        raise ValidationError(f"This password {TOO_COMMON}.")


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """The new password and its confirmation, as register and change-password ask them."""
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
            not_common,
        ],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    return password, confirm


def valid_email(form: FlaskForm, field: StringField) -> None:
    """Replace the address with its stored form, or say what is wrong with it."""
    try:
        field.data = normalise_email(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def email_field() -> StringField:
    """The optional address, as register and the account page ask it."""
    return StringField(
        "Email address (optional, to reset a forgotten password)",
        validators=[Optional(), valid_email],
        filters=[lambda value: value.strip() if value else None],
    )


def email_in_use_by_another(address: str | None, user_id: int | None = None) -> bool:
    owner = User.by_email(address) if address else None
    return owner is not None and owner.id != user_id


class LoginForm(FlaskForm):
    # Refused before any lookup or count: PostgreSQL rejects a query with a NUL in it, and
    # no account has a longer name.
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=USERNAME_MAX), NoControlCharacters()],
    )
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            DataRequired(),
            Length(min=1, max=USERNAME_MAX),
            # ASCII only: names appear in URLs, and case-insensitive uniqueness then means
            # the same thing in Python and in every database's lower().
            Regexp(
                r"^[A-Za-z0-9._-]+\Z",
                message="Use only letters, digits, dots, dashes and underscores.",
            ),
        ],
    )
    email = email_field()
    password, confirm = new_password_fields()
    submit = SubmitField("Register")

    def validate_username(self, field: StringField) -> None:
        # Look up only a valid name: no NUL reaches the database (PostgreSQL rejects it).
        if not field.errors and User.by_username(field.data) is not None:
            raise ValidationError(TAKEN)

    def validate_email(self, field: StringField) -> None:
        if email_in_use_by_another(field.data):
            raise ValidationError(EMAIL_TAKEN)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password, confirm = new_password_fields()
    submit = SubmitField("Change password")


class AccountForm(FlaskForm):
    """The account's email address; changing it takes the password, as whoever controls the
    address can reset the password."""

    email = email_field()
    current_password = PasswordField("Current password", validators=[DataRequired()])
    submit = SubmitField("Save")

    def validate_email(self, field: StringField) -> None:
        if email_in_use_by_another(field.data, current_user.id):
            raise ValidationError(EMAIL_TAKEN)
