"""Settings for the benchmarks: the test settings plus a bare view to compare pages with."""

from oppdrag.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The test client's host, for the pages timed in-process.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# Connections kept between requests as in production (base.database_from_env), not
# opened per request as the test settings do.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
