"""Bokmål formats for what Django formats itself (the admin, unfiltered dates).

Only what differs from Django's own ``nb`` formats, which fill in the rest: dates as
23.11.2026 rather than "23. november 2026", and the thin space (U+2009) the templates'
``tall`` filter uses between thousands.
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
THOUSAND_SEPARATOR = "\u2009"
