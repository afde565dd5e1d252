"""gunicorn's settings for the blog, in production and in ``nox -s load``.

    APP_CONFIG=prod SECRET_KEY=... DATABASE_URL=... gunicorn -c gunicorn.conf.py

Every knob a deployment tunes comes from the environment, so the same file serves a laptop,
a container and the load session (which runs it as 4 sync workers and as 1 worker x 8
threads). The app must be configured the same way in every worker: with several workers,
give them one shared database (one SQLite file or a PostgreSQL server) and a shared store
for the failed-login throttle (``LOGIN_THROTTLE_STORAGE_URI``), since ``memory://`` counts
per process.
"""

from __future__ import annotations

import multiprocessing
import os


def _int_from_env(name: str, default: int) -> int:
    """A positive whole number from the environment; a typo stops the server at once
    instead of silently running with the default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


# create_app() for the environment; a config error stops gunicorn with one line.
wsgi_app = "wsgi:application"

# Loopback by default: a server reachable from outside belongs behind a reverse proxy that
# terminates TLS (ProdConfig's cookies are Secure), which then says otherwise explicitly.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# gunicorn's own rule of thumb: while one worker waits on the database another computes.
# Password hashing (argon2, 64 MiB each) is the heaviest request, so this also bounds the
# memory a burst of logins can take.
workers = _int_from_env("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# More than one thread switches to the gthread worker: threads share one process, so its
# connection pool and in-memory state, at the price of the GIL.
threads = _int_from_env("GUNICORN_THREADS", 1)

# A request that holds a worker this long is stuck (a lock never released, a runaway
# query): the master kills and replaces the worker rather than lose it for good.
timeout = _int_from_env("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, a container stop) requests in flight get this long to finish before
# their workers are killed; shorter than the usual 30 s orchestrator grace period, so
# gunicorn, not the orchestrator, decides how the stop ends.
graceful_timeout = _int_from_env("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Idle keep-alive connections (gthread only) are closed soon: behind a proxy they are
# cheap to reopen, and each one holds a thread.
keepalive = 5

# Each worker imports the app itself (no preload): a fork then never shares a database
# connection or a lock made in the master, and a worker restart reloads the code.
preload_app = False
# Replacing workers now and then bounds the damage of a slow leak; the jitter keeps them
# from restarting all at once.
max_requests = _int_from_env("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = max_requests // 10

# gunicorn 25.1+ opens a control socket for `gunicornc` at one path per user
# (~/.gunicorn/gunicorn.ctl), which every gunicorn that user starts would fight over: off
# unless a deployment names a socket of this server's own. (Older versions ignore both.)
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")

# Logs go to the process's streams, where systemd, docker and the load session collect
# them: the access log to stdout, gunicorn's own messages to stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The usual combined format plus the time taken in microseconds, to find slow requests.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
