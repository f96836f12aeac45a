"""One way of writing a date in every language: day.month.year, also in English (Django's is American)."""

import datetime

from django.utils import formats, translation

DAY = datetime.date(2025, 10, 25)


def test_short_dates_are_day_month_year_in_every_language():
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "25.10.2025", language


def test_english_date_fields_read_the_norwegian_way():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("25.10.2025") == DAY
        assert field.clean("2025-10-25") == DAY
