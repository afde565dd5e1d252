"""Failed-login throttling, on the rate limiter's storage (shared by every worker).

Two limits, in moving windows: ``LOGIN_THROTTLE_LIMIT`` tries on one account from one
address, and ``LOGIN_THROTTLE_ADDRESS_LIMIT`` failures from one address on any accounts.
There is no limit on an account from everywhere: anyone could use it to lock a user out
(ASVS V6: anti-automation must not become a denial of service).

A try on an account is counted *before* the password is checked, in one atomic step with
the check of the limit, so that concurrent tries across workers cannot all pass; a login
that succeeds then forgets its account's count at that address.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from limits import RateLimitItem, parse, strategies
from limits.storage import Storage


class Throttled(Exception):
    """Too many failed logins on this account from this address, or from this address."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class LoginThrottle:
    def __init__(self, storage: Storage, account_limit: str, address_limit: str) -> None:
        self.storage = storage
        self.account_limit: RateLimitItem = parse(account_limit)
        self.address_limit: RateLimitItem = parse(address_limit)
        self.limiter = strategies.MovingWindowRateLimiter(storage)

    @staticmethod
    def _account(username: str, address: str) -> tuple[str, str, str]:
        return ("login-account", username.strip().lower(), address)

    @staticmethod
    def _address(address: str) -> tuple[str, str]:
        return ("login-address", address)

    def attempt(self, username: str, address: str) -> None:
        """Count a try on ``username`` from ``address``; raise Throttled if one is too many."""
        if not self.limiter.test(self.address_limit, *self._address(address)):
            raise Throttled(self._retry_after(self.address_limit, self._address(address)))
        account = self._account(username, address)
        if not self.limiter.hit(self.account_limit, *account):
            raise Throttled(self._retry_after(self.account_limit, account))

    def failed(self, address: str) -> None:
        """The try was a failure: it counts toward the address's limit too."""
        self.limiter.hit(self.address_limit, *self._address(address))

    def succeeded(self, username: str, address: str) -> None:
        self.limiter.clear(self.account_limit, *self._account(username, address))

    def _retry_after(self, limit: RateLimitItem, key: tuple[str, ...]) -> int:
        reset = self.limiter.get_window_stats(limit, *key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def reset(self) -> None:
        self.storage.reset()


def init_app(app: Flask, storage: Storage) -> None:
    app.extensions["login_throttle"] = LoginThrottle(
        storage, app.config["LOGIN_THROTTLE_LIMIT"], app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"]
    )


def login_throttle() -> LoginThrottle:
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    return throttle
