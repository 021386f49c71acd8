"""Local development and the demo: debug on, embedded SQLite by default."""

from .base import *  # noqa: F403

DEBUG = True
