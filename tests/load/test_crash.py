"""A server killed mid-burst (SIGKILL to every process) loses no write it answered 201, and
its database comes back whole when the server starts again."""

from __future__ import annotations

import threading
import time

import requests

from tests.load.clients import (
    CLIENTS,
    FIGURES,
    TIMEOUT,
    Answer,
    Figures,
    api_token,
    bearer,
    new_client,
    run_clients,
    statuses,
)
from tests.load.conftest import CrashRig
from tests.load.server import SHAPES, database_kind

PLANNED_EACH = 40
# The kill comes once this many answers are in: well into the burst, well before its end.
KILL_AFTER_ANSWERS = 60
KILL_AT_THE_LATEST = 30.0


# Several processes, each with its own connection to the database, killed at once: the
# harder case of the two shapes, and the one run (a server start costs a lot of the budget).
CRASH_SHAPE = SHAPES[0]


def test_answered_writes_survive_a_kill(crash_rig: CrashRig) -> None:
    """8 clients post API comments; the whole server is killed with SIGKILL mid-burst and
    started again on the same database: every comment answered 201 is there, and SQLite's
    integrity check says ok. Writes the kill left unanswered may or may not be stored."""
    shape = CRASH_SHAPE
    server = crash_rig.launch(shape)
    post_id = server.posts["crash-comments"]
    reader = crash_rig.accounts["reader"]
    # One login shared by the clients: what is measured here is the writes, not the hashing.
    token = api_token(server.base_url, reader.username, reader.password)
    url = f"{server.base_url}/api/post/{post_id}/comments"
    answered = threading.Semaphore(0)
    killed = threading.Event()

    def act(client: int, session: requests.Session) -> list[Answer]:
        answers = []
        for n in range(PLANNED_EACH):
            sent = {"name": f"crash client {client}", "text": f"Comment {n}."}
            try:
                response = session.post(url, json=sent, headers=bearer(token), timeout=TIMEOUT)
            except requests.RequestException as error:
                when = "after the kill" if killed.is_set() else "before the kill"
                answers.append(Answer(client, None, sent, error=f"{when}: {error}"))
                break  # the server is gone; the rest of this client's writes are not sent
            answers.append(Answer.of(client, response, sent))
            answered.release()
        session.close()
        return answers

    def killer() -> None:
        deadline = time.monotonic() + KILL_AT_THE_LATEST
        for _ in range(KILL_AFTER_ANSWERS):
            if not answered.acquire(timeout=max(0.0, deadline - time.monotonic())):
                break
        killed.set()
        server.kill()

    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    burst = run_clients(lambda client: new_client(), act)
    kill_thread.join(timeout=KILL_AT_THE_LATEST + 30)

    created = {a.body["id"] for a in burst.answers if a.status == 201}
    lost_before_kill = [a for a in burst.answers if a.error.startswith("before the kill")]
    answered_in_all = sum(a.status is not None for a in burst.answers)
    crash_rig.restart()
    stored = set(crash_rig.stored.column("SELECT id FROM comment WHERE post_id = :p", p=post_id))
    listed = requests.get(f"{url}?per_page=1", timeout=TIMEOUT)
    FIGURES.append(
        Figures(
            "g. SIGKILL mid-burst, restart", shape.name, database_kind(crash_rig.url),
            statuses(burst.answers), f"{len(stored)} stored, {len(created)} answered 201",
            burst.seconds,
        )
    )  # fmt: skip

    assert killed.is_set()
    assert answered_in_all < CLIENTS * PLANNED_EACH, "the burst ended before the kill"
    assert not lost_before_kill, f"connections lost before the kill: {lost_before_kill[:3]}"
    assert created <= stored, f"answered 201 but not stored: {sorted(created - stored)[:10]}"
    assert listed.status_code == 200
    assert listed.json()["meta"]["total"] == len(stored)
    if database_kind(crash_rig.url) == "sqlite":
        assert crash_rig.stored.column("PRAGMA integrity_check") == ["ok"]
