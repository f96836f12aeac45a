"""The overview as spreadsheets: one row per seat (CSV and XLSX), and the matrix (XLSX)."""

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from faggruppe_pages.models import Role
from faggruppe_pages.predicates import local_date
from faggruppe_pages.reader.exports.titles import empty_seat
from faggruppe_pages.spreadsheets import spreadsheet_safe


def _date(value):
    return formats.date_format(value, "d.m.Y") if value else ""


def header():
    return [
        _("Group"),
        _("Kind"),
        _("Represents"),
        _("Name"),
        _("Role"),
        _("Job title"),
        _("E-mail"),
        _("Phone"),
        _("From"),
        _("To"),
        _("Last verified"),
        _("Remark"),
    ]


#: Positions of the dates in ``header()``: From, To, Last verified.
DATE_COLUMNS = (8, 9, 10)


def seat_rows(overview):
    """Every seat and every empty seat of the overview, group by group, as spreadsheet-safe values."""
    for row in overview.rows:
        for values in _seat_rows_of(row):
            yield [spreadsheet_safe(v) for v in values]


def _seat_rows_of(row):
    """One row per seat of a group, then one per empty seat."""
    for cell in row.cells:
        for m in cell.seats:
            remarks = []
            if row.member_is_overdue(m):
                remarks.append(_("Overdue for confirmation"))
            if cell.column.former:
                remarks.append(_("No longer a participant"))
            yield [
                row.group.title,
                str(row.kind_label),
                m.represents.display_name,
                m.person.name,
                str(m.role_label),
                m.person.job_title,
                m.person.reader_email,
                m.person.public_phone,
                m.start_date,
                m.end_date,
                local_date(m.last_verified_at),
                "; ".join(str(r) for r in remarks),
            ]
        for _i in range(cell.gap):
            yield [
                row.group.title,
                str(row.kind_label),
                str(cell.column.label),
                "",
                "",
                "",
                "",
                "",
                None,
                None,
                None,
                empty_seat(),
            ]


def overview_csv(overview):
    """UTF-8 with a byte-order mark and semicolons: what Excel with Norwegian settings opens correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header())
    for values in seat_rows(overview):
        writer.writerow([_date(v) if i in DATE_COLUMNS else v for i, v in enumerate(values)])
    return out.getvalue().encode("utf-8")


def overview_xlsx(overview):
    """Two sheets: one row per seat (filterable), and the matrix as the page shows it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Members")[:31]
    sheet.append(header())
    for values in seat_rows(overview):
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for k in DATE_COLUMNS:
        for cell in sheet[get_column_letter(k + 1)][1:]:
            cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)

    matrix = workbook.create_sheet(_("Overview")[:31])
    matrix.append([_("Group"), *[str(c.label) for c in overview.columns], _("Last verified")])
    gap_fill = PatternFill("solid", fgColor="FFF4E5")
    for row in overview.rows:
        values = [spreadsheet_safe(row.group.title)]
        for cell in row.cells:
            values.append(spreadsheet_safe(_cell_text(cell)))
        values.append(local_date(row.verified_at))
        matrix.append(values)
        for k, cell in enumerate(row.cells, start=2):
            if cell.gap:
                matrix.cell(row=matrix.max_row, column=k).fill = gap_fill
        matrix.cell(row=matrix.max_row, column=len(values)).number_format = "DD.MM.YYYY"
    for cell in matrix[1]:
        cell.font = Font(bold=True)
    for line in matrix.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    matrix.freeze_panes = "B2"
    _fit_columns(matrix, widest=40)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell_text(cell):
    """A matrix cell in words: the names (role when not a plain member), or that the seat is empty."""
    names = [f"★ {_seat_name(m)}" if m.role == "leder" else _seat_name(m) for m in cell.seats]
    if cell.gap:
        names.append(empty_seat())
    return "\n".join(str(n) for n in names)


def _seat_name(m):
    """As the overview page writes a seat: "Kari (leder)", a union's representative "Per (Fagforbundet)" (not
    "Per (Tillitsvalgt (Fagforbundet))"), a member or adviser by name alone."""
    if m.role == Role.UNION_REP:
        return f"{m.person.name} ({m.represents.display_name})"
    if m.role in (Role.MEMBER, Role.ADVISER):
        return m.person.name
    return f"{m.person.name} ({str(m.get_role_display()).lower()})"


def _fit_columns(sheet, widest=50):
    for k, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((max((len(line) for line in str(v).split("\n")), default=0) for v in column if v), default=8)
        sheet.column_dimensions[get_column_letter(k)].width = min(max(longest + 2, 10), widest)
