"""Where to go after login: only a path on this site, never another site (open redirect)."""

from __future__ import annotations

import string
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

# Printable ASCII without whitespace or backslash. Browsers drop tabs and newlines and read
# "\" as "/", which turns "/\t/evil.example" or "/\evil.example" into another site.
_ALLOWED = frozenset(string.ascii_letters + string.digits + string.punctuation) - {"\\"}


def _is_local_path(target: str) -> bool:
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.scheme
        and not parts.netloc
    )


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """True for a relative path on this site, also once every percent-escape is decoded."""
    if not target or not set(target) <= _ALLOWED:
        return False
    decoded = target
    while (unquoted := unquote(decoded)) != decoded:
        decoded = unquoted
    return (
        _is_local_path(target)
        and _is_local_path(decoded)
        and not any(ch == "\\" or ch.isspace() or not ch.isprintable() for ch in decoded)
    )
