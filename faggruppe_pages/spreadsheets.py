"""One guard for every CSV and XLSX the portal writes: text a spreadsheet would run stays text.

Names, notes and titles are typed by many people; ``=HYPERLINK("http://…","x")`` or ``@SUM(…)``
must not run when a colleague opens the download in Excel or LibreOffice (CSV/formula
injection, OWASP). The reader exports (``reader/exports/``) and Wagtail's admin listing exports
(``SafeSpreadsheetExportMixin`` on every index view) both go through ``spreadsheet_safe``.
"""

import re

#: A phone number or a plain signed number: "+47 71 11 22 33", "-5", "+47 (0) 712-34". Left as typed.
_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9 ().-]*")
#: First characters that make a spreadsheet treat a cell as a formula (or a DDE call).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """Prefix an apostrophe to text that starts like a formula; leave everything else as it is."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For Wagtail's ``SpreadsheetExportMixin`` views (listings' "Last ned CSV/XLSX")."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(super().preprocess_field_value(field, value, export_format))
