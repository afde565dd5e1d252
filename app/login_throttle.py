"""Failed-login throttling per account and per address, on the `limits` library.

Only failures count: after ``LOGIN_THROTTLE_LIMIT`` of them in the moving window, further
tries on that account, or from that address, are refused until the window moves on.
``LOGIN_THROTTLE_STORAGE_URI`` chooses where the counts live: ``memory://`` is per process,
so a deployment with several server processes points them all at one shared store
(e.g. ``redis://host:6379``).
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from limits import RateLimitItem, parse, storage, strategies


class LoginThrottle:
    def __init__(self, limit: str, storage_uri: str) -> None:
        self.limit: RateLimitItem = parse(limit)
        try:
            self.storage = storage.storage_from_string(storage_uri)
        except Exception as error:
            raise ValueError(
                f"LOGIN_THROTTLE_STORAGE_URI {storage_uri!r} names no usable storage: {error}"
            ) from error
        self.limiter = strategies.MovingWindowRateLimiter(self.storage)

    @staticmethod
    def _keys(username: str, address: str) -> list[tuple[str, str]]:
        # The kind prefix keeps an account named like an address apart from that address.
        return [("account", username.strip().lower()), ("address", address)]

    def allows(self, username: str, address: str) -> bool:
        return all(self.limiter.test(self.limit, *key) for key in self._keys(username, address))

    def record_failure(self, username: str, address: str) -> None:
        for key in self._keys(username, address):
            self.limiter.hit(self.limit, *key)

    def retry_after(self, username: str, address: str) -> int:
        """Whole seconds until both the account and the address may try again."""
        resets = [
            self.limiter.get_window_stats(self.limit, *key).reset_time
            for key in self._keys(username, address)
        ]
        return max(1, math.ceil(max(resets) - time.time()))

    def reset(self) -> None:
        self.storage.reset()


def init_app(app: Flask) -> None:
    app.extensions["login_throttle"] = LoginThrottle(
        app.config["LOGIN_THROTTLE_LIMIT"], app.config["LOGIN_THROTTLE_STORAGE_URI"]
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
