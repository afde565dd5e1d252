"""Background jobs on Celery (Flask's "Background Tasks with Celery" pattern).

``init_app`` makes the app's Celery app: its tasks run inside this Flask app's context, its
settings come from the Flask config (CELERY_BROKER_URL, CELERY_RESULT_BACKEND, Redis). With
no broker configured (the default, the tests, ``serve``) every task runs inline, in the
process that queues it, so nothing needs Redis to work.

:func:`queue` is how the app starts a task: once the request's answer is made (its rows
committed), from a thread of its own so the visitor never waits for it, on a worker; and
when the broker cannot be reached, inline in this process instead, so that nothing queued
is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from flask import (
    Flask,
    after_this_request,
    current_app,
    has_app_context,
    has_request_context,
    request,
)
from kombu.exceptions import OperationalError
from werkzeug.wrappers import Response

from app.config import ConfigError

# The beat's one schedule: the weekly digest (app.notifications.digest).
DIGEST_TASK = "app.notifications.digest.send_weekly_digest"


def init_app(app: Flask) -> None:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with context_of(app):
                return self.run(*args, **kwargs)

    # Not made the default app: the tests make many Flask apps in one process, and each
    # task is started through its own app's Celery app (queue below), never a default one.
    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_settings(app.config))
    app.extensions["celery"] = celery_app
    app.before_request(mark_answering)
    # The tasks, registered with every Celery app (shared_task).
    from app import mail  # noqa: F401
    from app.notifications import comments, digest  # noqa: F401


@contextmanager
def context_of(app: Flask) -> Iterator[None]:
    """An app context of ``app``: the one active (a task run inline), else a new one (a
    worker's task). A second context would end the first one's database session with it."""
    if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
        yield
        return
    with app.app_context():
        yield


def celery_settings(config: Any) -> dict[str, Any]:
    broker = config["CELERY_BROKER_URL"]
    return {
        "broker_url": broker or "memory://",
        "result_backend": config["CELERY_RESULT_BACKEND"] or broker or None,
        # No broker: run every task where it is queued.
        "task_always_eager": not broker,
        "task_eager_propagates": True,
        # Nothing reads a task's result: a result backend that is down delays no request.
        "task_ignore_result": True,
        # A broker that is down fails the publish at once; queue() then runs the task inline.
        "task_publish_retry": False,
        "broker_connection_timeout": 2,
        # One more try at once when connecting to publish, not kombu's default of waits
        # of 2 s and more.
        "broker_transport_options": {"max_retries": 1, "interval_start": 0},
        "broker_connection_retry_on_startup": True,
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": {
            "weekly-digest": {"task": DIGEST_TASK, "schedule": schedule(config["DIGEST_SCHEDULE"])}
        },
    }


def schedule(cron: str) -> crontab:
    """DIGEST_SCHEDULE, five crontab fields (minute hour day-of-month month day-of-week, in
    UTC), as Celery beat's schedule; a one-line ConfigError for anything else."""
    fields = str(cron).split()
    try:
        if len(fields) != 5:
            raise ValueError(cron)
        minute, hour, day_of_month, month_of_year, day_of_week = fields
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )
    except ValueError:
        raise ConfigError(
            f"DIGEST_SCHEDULE must be five crontab fields (minute hour day month weekday, "
            f"UTC), e.g. '0 18 * * sun', not {cron!r}"
        ) from None


# Set on a request while the app answers it: a task queued then waits for the answer.
ANSWERING = "app.jobs.answering"
# The name of the threads that start the tasks a request queued (the tests wait for them).
AFTER_ANSWER_THREAD = "after-answer"


def mark_answering() -> None:
    request.environ[ANSWERING] = True


def queue(task_name: str, *args: Any) -> None:
    """Start the task ``task_name`` with ``args``: once the answer is made when a view calls
    it, else (a command, a task) now. A task that fails inline is logged, not raised: the
    visitor already has the answer."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def start() -> None:
        with context_of(app):
            start_now(app, task_name, args)

    # Not has_request_context() alone: a task run after the answer, or a test, may find one.
    if not (has_request_context() and request.environ.get(ANSWERING)):
        start_now(app, task_name, args)
        return

    @after_this_request
    def start_once_answered(response: Response) -> Response:
        # Not from the response's close(): werkzeug's server (``flask run``,
        # run_test_server.py, the Selenium flows) skips it when the browser resets the
        # connection after reading the answer, and the task was lost. Not a daemon: a server
        # that shuts down waits for the task instead of dropping it.
        threading.Thread(target=start, name=AFTER_ANSWER_THREAD).start()
        return response


def start_now(app: Flask, task_name: str, args: tuple[Any, ...]) -> None:
    task = app.extensions["celery"].tasks[task_name]
    try:
        try:
            task.apply_async(args)
        except OperationalError:
            app.logger.warning("The broker is down: running %s here instead", task_name)
            task.apply(args)
    except Exception:
        app.logger.exception("The task %s failed", task_name)
