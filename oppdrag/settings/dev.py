"""Local development and the demo: debug on, embedded SQLite by default."""

from .base import *  # noqa: F403

DEBUG = True

# The demo runs without a worker: background work runs in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
