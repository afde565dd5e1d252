"""What gunicorn serves (gunicorn.conf.py): the app for the environment's config.

A configuration error stops gunicorn with its one line (gunicorn prints an AppImportError's
message and halts) instead of a traceback from every worker it keeps restarting.
"""

from __future__ import annotations

from gunicorn.errors import AppImportError

from app import create_app
from app.config import ConfigError

try:
    application = create_app()
except ConfigError as error:
    raise AppImportError(error.message) from None

# What `celery -A wsgi:celery_app worker --beat` runs: the app's Celery app (app.jobs).
celery_app = application.extensions["celery"]
