"""An organisation's current entries as the XLSX the bulk update reads back (upkeep/bulk_files.py).

The same columns, in the same order, as the upload reads; dates as real date cells; every text cell
through the formula guard (``spreadsheet_safe``), which the reader of the upload undoes.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from faggruppe_pages.models import Role
from faggruppe_pages.spreadsheets import spreadsheet_safe
from faggruppe_pages.upkeep.bulk_files import COLUMNS, HEADERS, SHEET_NAME, entry_values

DATE_FIELDS = ("start_date", "end_date")
WIDTHS = {"id": 8, "group": 36, "person": 28, "email": 32, "organisation": 22, "role": 18, "note": 40}


def entries_xlsx(memberships):
    """One row per membership under the headers of ``COLUMNS``; a second sheet says how to fill it in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for membership in memberships:
        values = entry_values(membership)
        sheet.append([spreadsheet_safe(values[c.field]) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.field, 16)
        if column.field in DATE_FIELDS:
            for cell in sheet[letter][1:]:
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions

    help_sheet = workbook.create_sheet(_("How to fill in")[:31])
    for line in help_lines():
        help_sheet.append([spreadsheet_safe(line)])
    help_sheet.column_dimensions["A"].width = 120
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def help_lines():
    return [
        _("Change the rows on the sheet “%(sheet)s” and upload the file in “Our entries”.") % {"sheet": SHEET_NAME},
        _("ID: leave it as it is. An empty ID registers a new seat."),
        _("A seat ends when it gets an end date (Sluttdato). Rows you delete are kept unchanged, not ended."),
        _("E-post identifies the person; without it, the exact name among the people you can choose."),
        _("Dates as dd.mm.yyyy. Roles: %(roles)s.") % {"roles": ", ".join(str(role.label) for role in Role)},
        _("You will see every change before anything is saved."),
    ]
