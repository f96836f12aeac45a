"""Option parsing shared by the management commands of both add-ons."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def parse_date_option(value):
    """``--date YYYY-MM-DD`` as a date (None when not given); anything else is a clear, translated error."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--date must be a date such as 2026-11-24, not “%(value)s”.") % {"value": value}) from None
