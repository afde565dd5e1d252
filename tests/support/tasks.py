"""Waiting for the tasks the app started on threads once a request's answer was made
(app.jobs.queue): in the unit tests, with no broker, they run there (mails, notes)."""

from __future__ import annotations

import threading
import time

from celery._state import _set_task_join_will_block  # type: ignore[attr-defined]  # unstubbed

from app.jobs import AFTER_ANSWER_THREAD

# Generous: a task may run on a machine that is busy.
WAIT_SECONDS = 30


def tasks_finished(timeout: float = WAIT_SECONDS) -> None:
    """Wait until every task started on an after-answer thread has finished."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == AFTER_ANSWER_THREAD:
            thread.join(max(0.0, deadline - time.monotonic()))
    # Celery's task.apply() marks the process "inside a task" (result.get() then refuses to
    # wait) and puts back the mark it found when it ends: applies on two threads at once can
    # leave it set for good, and a later test's apply().get() failed ("Never call
    # result.get() within a task!"). No task runs here now.
    _set_task_join_will_block(False)
