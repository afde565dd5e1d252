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
from dataclasses import dataclass

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

    def attempt(self, username: str, address: str) -> Attempt:
        """Count a try on ``username`` from ``address``; raise Throttled if one is too many."""
        account = ("login-account", username.strip().lower(), address)
        by_address = ("login-address", address)
        if not self.limiter.test(self.address_limit, *by_address):
            raise Throttled(self._retry_after(self.address_limit, by_address))
        if not self.limiter.hit(self.account_limit, *account):
            raise Throttled(self._retry_after(self.account_limit, account))
        return Attempt(self, account, by_address)

    def _retry_after(self, limit: RateLimitItem, key: tuple[str, ...]) -> int:
        reset = self.limiter.get_window_stats(limit, *key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def reset(self) -> None:
        self.storage.reset()


@dataclass(frozen=True)
class Attempt:
    """One counted try, told how it ended."""

    throttle: LoginThrottle
    account: tuple[str, str, str]
    address: tuple[str, str]

    def failed(self) -> None:
        """A failure counts toward the address's limit too."""
        self.throttle.limiter.hit(self.throttle.address_limit, *self.address)

    def succeeded(self) -> None:
        """A login that succeeds forgets its account's count at that address."""
        self.throttle.limiter.clear(self.throttle.account_limit, *self.account)


def init_app(app: Flask, storage: Storage) -> None:
    app.extensions["login_throttle"] = LoginThrottle(
        storage, app.config["LOGIN_THROTTLE_LIMIT"], app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"]
    )


def login_throttle() -> LoginThrottle:
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    return throttle
