"""Settings for the evaluation load benchmark's server: the test settings with a URL
configuration that adds one bare view (see ``bench.evaluations_urls``)."""

from oppdrag.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.evaluations_urls"
