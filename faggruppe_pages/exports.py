"""Downloads generated live from the data: the member overview as PDF, CSV and XLSX, contacts as vCard.

Every export is built from ``overview.build_overview`` (or the same memberships a page shows),
so it holds exactly what the reader's page shows: active seats, empty seats marked, and phone
numbers only where the person allows it (``Person.public_phone``).
"""

import csv
import io
import queue
import re

import vobject
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .seat_rules import verified_on
from .spreadsheets import spreadsheet_safe

PDF_TYPE = "application/pdf"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VCARD_TYPE = "text/vcard; charset=utf-8"
#: The overview's download formats: the last segment of their address -> (content type, link label).
FORMATS = {"pdf": (PDF_TYPE, "PDF"), "csv": (CSV_TYPE, "CSV"), "xlsx": (XLSX_TYPE, "Excel (XLSX)")}


def _date(value):
    return formats.date_format(value, "d.m.Y") if value else ""


def download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Member lists are personal data: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def export_filename(overview, extension):
    """medlemsoversikt-2026-11-24.pdf, medlemsoversikt-molde-…, medlemmer-teknisk-…"""
    if overview.group is not None:
        stem = f"medlemmer-{overview.group.slug}"
    elif overview.organisation is not None:
        stem = f"medlemsoversikt-{overview.organisation.slug}"
    else:
        stem = "medlemsoversikt"
    return f"{stem}-{overview.today.isoformat()}.{extension}"


def export_title(overview):
    if overview.group is not None:
        return _("Members of %(group)s") % {"group": overview.group.title}
    if overview.organisation is not None:
        return _("Member overview: %(organisation)s") % {"organisation": overview.organisation.display_name}
    return _("Member overview")


def empty_seat():
    # The same message as the pages' "Empty seat / 3 empty seats", so it is one translation.
    return ngettext("Empty seat", "%(counter)s empty seats", 1)


# -- one row per seat (CSV, XLSX) ---------------------------------------------------------------------


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
                verified_on(m.last_verified_at),
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
        values.append(verified_on(row.verified_at))
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
    names = [m.person.name if m.role == "medlem" else f"{m.person.name} ({m.role_label})" for m in cell.seats]
    names = [f"★ {n}" if m.role == "leder" else n for m, n in zip(cell.seats, names, strict=True)]
    if cell.gap:
        names.append(empty_seat())
    return "\n".join(str(n) for n in names)


def _fit_columns(sheet, widest=50):
    for k, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((max((len(line) for line in str(v).split("\n")), default=0) for v in column if v), default=8)
        sheet.column_dimensions[get_column_letter(k)].width = min(max(longest + 2, 10), widest)


# -- PDF ---------------------------------------------------------------------------------------------------


def css_string(text):
    """A Python string as a CSS string literal, safe inside a <style> element.

    Every character that could end the string or the element (quotes, backslash, newline, < and >)
    becomes a CSS escape.
    """
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n<>' else c for c in text)
    return f'"{escaped}"'


def page_counter_css():
    """“Side 1 av 3” as a CSS ``content`` value, from one translatable message."""
    message = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", message)
    values = []
    for part in parts:
        if part == "%(page)s":
            values.append("counter(page)")
        elif part == "%(pages)s":
            values.append("counter(pages)")
        elif part:
            values.append(css_string(part))
    return " ".join(values)


def overview_pdf(overview, request=None):
    """A4, Norwegian, title, when it was generated, “Side x av y”, leaders marked. WeasyPrint renders it."""
    from weasyprint import HTML

    context = {
        "overview": overview,
        "title": export_title(overview),
        "generated": timezone.localtime(overview.generated_at),
        "page_counter": page_counter_css(),
        "title_css": css_string(export_title(overview)),
    }
    html = render_to_string("faggruppe_pages/pdf/member_overview.html", context, request=request)
    font_config = _take_font_config()
    try:
        return HTML(string=html, base_url=None).write_pdf(font_config=font_config)
    finally:
        _idle_font_configs.put(font_config)


#: WeasyPrint's font configurations, reused: without one, write_pdf() makes a new FontConfiguration per
#: document, and each leaks its fontconfig configuration (~220 KB a PDF with Debian 12's pango 1.50; see
#: docs/pdf-memory.md). One per concurrent render, never shared by two at once: at most as many as the
#: process ever rendered at the same time.
_idle_font_configs = queue.SimpleQueue()


def _take_font_config():
    try:
        return _idle_font_configs.get_nowait()
    except queue.Empty:
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()


def overview_download(overview, fmt, request=None):
    """The overview as a download in ``fmt``, one of ``FORMATS``."""
    if fmt == "pdf":
        content = overview_pdf(overview, request)
    elif fmt == "csv":
        content = overview_csv(overview)
    else:
        content = overview_xlsx(overview)
    return download(content, FORMATS[fmt][0], export_filename(overview, fmt))


# -- vCard -----------------------------------------------------------------------------------------------------


def person_vcard(person, memberships=()):
    """One vCard 3.0 for a person: name, employer, title, work e-mail, the phone only if shown to readers."""
    card = vobject.vCard()
    card.add("fn").value = person.name
    given, _sep, family = person.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family or person.name, given=given)
    org = card.add("org")
    org.value = [person.employer.name, person.unit] if person.unit else [person.employer.name]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.reader_email:
        email = card.add("email")
        email.value = person.reader_email
        email.type_param = "WORK"
    if person.public_phone:
        tel = card.add("tel")
        tel.value = person.public_phone
        tel.type_param = "WORK"
    roles = [f"{m.role_label}, {m.group.title} ({m.represents.display_name})" for m in memberships]
    if roles:
        card.add("note").value = "\n".join(str(r) for r in roles)
    card.add("uid").value = f"urn:faggruppe-person:{person.pk}"
    return card.serialize()


def group_vcards(group, memberships):
    """The active members of a group, one vCard each (a person with two roles appears once)."""
    by_person = {}
    for m in memberships:
        by_person.setdefault(m.person_id, (m.person, []))[1].append(m)
    return "".join(person_vcard(person, seats) for person, seats in by_person.values())


def vcard_filename(name):
    return f"{slugify(name) or 'kontakter'}.vcf"
