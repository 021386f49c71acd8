"""Settings for the benchmarks: the test settings plus a bare view to compare pages with."""

import os

from oppdrag.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The test client's host, for the pages timed in-process.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# Connections kept between requests as in production (base.database_from_env), not
# opened per request as the test settings do.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# Page bodies kept under the data version as in production (the test settings keep none);
# OPPDRAG_FRAGMENT_CACHE_SECONDS=0 measures the pages as computed.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("OPPDRAG_FRAGMENT_CACHE_SECONDS", "60"))
