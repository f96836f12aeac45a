"""The settings the add-on reads, and the one place each default is written.

A site sets any of them in its Django settings (the demo site reads them from the environment,
site/intranet/settings/base.py); an unset one takes the default here. Read them through these
functions, at the time of use, so ``override_settings`` in tests and a changed setting both apply.
"""

from django.conf import settings

from faggruppe_pages import pdf_render

#: Setting name -> default.
DEFAULTS = {
    # Days a confirmation of a member list stays valid, until a mandate's rules set their own interval.
    "FAGGRUPPE_REVIEW_INTERVAL_DAYS": 180,
    # send_reminders: days between two reminders about the same entries, and days before staff are told.
    "FAGGRUPPE_REMINDER_REPEAT_DAYS": 7,
    "FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS": 14,
    # The language of reminder e-mails (a code from LANGUAGES); None: the site's LANGUAGE_CODE.
    "FAGGRUPPE_EMAIL_LANGUAGE": None,
    # Personal data (docs/privacy.md): a former member's contact details are hidden this many days after
    # their last membership ended, and the person is anonymised after this many years.
    "FAGGRUPPE_CONTACT_RETENTION_DAYS": 365,
    "FAGGRUPPE_PERSON_RETENTION_YEARS": 5,
    # The whole overview's downloads (reader/exports/background.py): with at most this many active seats a
    # missing file is built during the request (about 1 s for a PDF of 100 seats); with more, by the task worker
    # (`manage.py db_worker`) while the reader sees "Filen lages nå".
    "FAGGRUPPE_EXPORT_INLINE_MAX_SEATS": 250,
    # The whole overview's PDF (reader/exports/pdf.py): with more groups than this it is rendered in parts of this
    # many groups' lists (after the matrix), so a build's memory stays the same however many groups there are.
    "FAGGRUPPE_PDF_PART_GROUPS": 100,
    # ... and its parts are laid out side by side in this many processes (pdf_render.py). 0: one per CPU the
    # process may use, at most 4 (each needs about 300-500 MB while it lays out a part); 1: in the process itself.
    "FAGGRUPPE_PDF_PROCESSES": 0,
    # Reader pages are cached by data version (reader/cache.py); entries also expire after this many seconds,
    # so what changes by the clock within a day is at most this late. 0: no cache of reader pages.
    "FAGGRUPPE_READER_CACHE_SECONDS": 300,
    # Dates in the admin are shown and typed as dd.mm.åååå (admin/dates.py); Wagtail's own settings.
    "WAGTAIL_DATE_FORMAT": "%d.%m.%Y",
    "WAGTAIL_DATETIME_FORMAT": "%d.%m.%Y %H:%M",
    "WAGTAIL_TIME_FORMAT": "%H:%M",
}


def get(name):
    """The setting's value, else its default."""
    value = getattr(settings, name, None)
    return DEFAULTS[name] if value is None else value


def review_interval_days():
    return int(get("FAGGRUPPE_REVIEW_INTERVAL_DAYS"))


def reminder_repeat_days():
    return int(get("FAGGRUPPE_REMINDER_REPEAT_DAYS"))


def reminder_escalate_after_days():
    return int(get("FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS"))


def email_language():
    return get("FAGGRUPPE_EMAIL_LANGUAGE") or settings.LANGUAGE_CODE


def contact_retention_days():
    return int(get("FAGGRUPPE_CONTACT_RETENTION_DAYS"))


def person_retention_years():
    return int(get("FAGGRUPPE_PERSON_RETENTION_YEARS"))


def export_inline_max_seats():
    return int(get("FAGGRUPPE_EXPORT_INLINE_MAX_SEATS"))


def pdf_part_groups():
    return max(1, int(get("FAGGRUPPE_PDF_PART_GROUPS")))


def pdf_processes():
    configured = int(get("FAGGRUPPE_PDF_PROCESSES"))
    return configured if configured > 0 else min(4, pdf_render.available_cpus())
