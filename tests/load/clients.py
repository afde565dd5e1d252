"""Many HTTP clients at once: each its own ``requests`` session and thread, all released
together by a barrier; what each was answered, and the figures of a scenario."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from bs4 import BeautifulSoup

CLIENTS = 8
# Every call is bounded: a server that hangs fails the test instead of the session.
TIMEOUT = 30
BARRIER_TIMEOUT = 120
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

State = TypeVar("State")


class LoopbackClient(requests.Session):
    """One user's browser: its own cookies and connections. Like a browser, it sends
    Secure cookies to a loopback address over plain HTTP.

    ProdConfig marks the session cookie Secure and the load server speaks HTTP on
    127.0.0.1; browsers treat loopback as a secure origin and send such cookies there.
    (A cookie policy cannot do it: requests copies the cookies into a jar with the default
    policy for every request.)
    """

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            if cookie.domain in LOOPBACK:
                cookie.secure = False
        return response


def new_client() -> requests.Session:
    return LoopbackClient()


def csrf_token(client: requests.Session, url: str) -> str:
    """The CSRF token of the form on ``url``, tied to the session cookie that came with it."""
    page = client.get(url, timeout=TIMEOUT)
    if page.status_code != 200:
        raise AssertionError(f"GET {url} answered {page.status_code}: {page.text[:500]}")
    field_ = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})
    if field_ is None:
        raise AssertionError(f"GET {url} has no csrf_token field")
    return str(field_["value"])


def api_token(base_url: str, username: str, password: str) -> str:
    answer = requests.post(
        f"{base_url}/api/auth", json={"username": username, "password": password}, timeout=TIMEOUT
    )
    if answer.status_code != 200:
        raise AssertionError(f"POST /api/auth as {username} answered {answer.status_code}: "
                             f"{answer.text[:300]}")  # fmt: skip
    return str(answer.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Answer:
    """One request's outcome: its status, or None when no answer came (connection lost)."""

    client: int
    status: int | None
    sent: Any = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def __repr__(self) -> str:
        # Short: assertion messages list many answers.
        return f"<Answer {self.status or self.error[:60]} to client {self.client}>"

    @classmethod
    def of(cls, client: int, response: requests.Response, sent: Any = None) -> Answer:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:300]
        return cls(client, response.status_code, sent, body, dict(response.headers))


def statuses(answers: Sequence[Answer]) -> Counter[int | str]:
    return Counter("no answer" if a.status is None else a.status for a in answers)


def server_errors(answers: Sequence[Answer]) -> list[Answer]:
    return [a for a in answers if a.status is not None and a.status >= 500]


def describe(answers: Sequence[Answer], limit: int = 3) -> str:
    """The statuses, and the first few bodies, for an assertion message."""
    shown = "\n".join(f"  {a.status}: {str(a.body)[:200]}" for a in answers[:limit])
    return f"{dict(statuses(answers))}\n{shown}"


@dataclass
class Burst:
    answers: list[Answer]
    seconds: float


def run_clients(
    prepare: Callable[[int], State],
    act: Callable[[int, State], list[Answer]],
    clients: int = CLIENTS,
) -> Burst:
    """Each client in its own thread: ``prepare`` (log in, fetch a form), then all wait at
    a barrier and ``act`` together. The wall time runs from the barrier to the last client's
    end. A client that raises fails the whole burst with its error."""
    barrier = threading.Barrier(clients + 1, timeout=BARRIER_TIMEOUT)
    results: list[list[Answer]] = [[] for _ in range(clients)]
    errors: list[BaseException] = []

    def client(index: int) -> None:
        try:
            state = prepare(index)
            barrier.wait()
            results[index] = act(index, state)
        except threading.BrokenBarrierError:
            pass  # another client failed first; its error is the one reported
        except BaseException as error:
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        barrier.wait()  # broken when a client failed to prepare; its error is raised below
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT + 60 * TIMEOUT)
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a client did not finish in time")
    return Burst([answer for result in results for answer in result], seconds)


def in_parallel(calls: Sequence[Callable[[], Any]], threads: int = 4) -> list[Any]:
    """Results of the calls, run a few at a time (password hashing is CPU-bound)."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda call: call(), calls))


@dataclass
class Figures:
    """One scenario's numbers on one server, printed at the end of the session."""

    scenario: str
    server: str
    database: str
    answers: Counter[int | str]
    stored: str
    seconds: float

    def line(self) -> str:
        by_status = "{" + ", ".join(f"{k}: {v}" for k, v in sorted(self.answers.items(), key=str))
        return (
            f"{self.scenario:<34} {self.server:<21} {self.database:<10} "
            f"{by_status + '}':<32} {self.stored:<28} {self.seconds:6.1f} s"
        )


FIGURES: list[Figures] = []


def form_client(url: str) -> Callable[[int], tuple[requests.Session, str]]:
    """For run_clients: each client's own cookie session and the CSRF token of ``url``."""

    def prepare(client: int) -> tuple[requests.Session, str]:
        session = new_client()
        return session, csrf_token(session, url)

    return prepare


def record(scenario: str, server: Any, burst: Burst, stored: str) -> None:
    """Keep the figures before any assertion, so a failing scenario shows them too."""
    FIGURES.append(
        Figures(
            scenario, server.shape.name, server.database, statuses(burst.answers), stored,
            burst.seconds,
        )
    )  # fmt: skip


def assert_no_server_error(burst: Burst) -> None:
    errors = server_errors(burst.answers)
    assert not errors, f"{len(errors)} server errors:\n{describe(errors)}"
