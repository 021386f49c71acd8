"""Settings for the benchmarks: the test settings plus a bare view to compare pages with."""

from oppdrag.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The test client's host, for the pages timed in-process.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
