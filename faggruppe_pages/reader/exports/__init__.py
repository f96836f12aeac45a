"""Downloads generated live from the data: the member overview as PDF, CSV and XLSX, contacts as vCard.

Every export is built from ``reader.overview.build_overview`` (or the same memberships a page shows),
so it holds exactly what the reader's page shows: active seats, empty seats marked, and phone
numbers only where the person allows it (``Person.public_phone``). This module answers HTTP;
``tables`` writes CSV and XLSX, ``pdf`` the PDF, ``vcard`` the contact cards, ``titles`` names them.
"""

from django.http import HttpResponse

from faggruppe_pages.reader.exports.pdf import css_string, overview_pdf, page_counter_css
from faggruppe_pages.reader.exports.tables import overview_csv, overview_xlsx
from faggruppe_pages.reader.exports.titles import content_disposition, export_filename, export_title, file_slug
from faggruppe_pages.reader.exports.vcard import group_vcards, person_vcard, vcard_filename

PDF_TYPE = "application/pdf"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VCARD_TYPE = "text/vcard; charset=utf-8"
#: The overview's download formats: the last segment of their address -> (content type, link label).
FORMATS = {"pdf": (PDF_TYPE, "PDF"), "csv": (CSV_TYPE, "CSV"), "xlsx": (XLSX_TYPE, "Excel (XLSX)")}

__all__ = [
    "CSV_TYPE",
    "FORMATS",
    "PDF_TYPE",
    "VCARD_TYPE",
    "XLSX_TYPE",
    "css_string",
    "download",
    "content_disposition",
    "export_filename",
    "file_slug",
    "export_title",
    "group_vcards",
    "overview_content",
    "overview_csv",
    "overview_download",
    "overview_pdf",
    "overview_xlsx",
    "page_counter_css",
    "person_vcard",
    "vcard_filename",
]


def download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    # Member lists are personal data: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def overview_content(overview, fmt, request=None):
    """The overview as the bytes of a file in ``fmt``, one of ``FORMATS``."""
    if fmt == "pdf":
        return overview_pdf(overview, request)
    if fmt == "csv":
        return overview_csv(overview)
    return overview_xlsx(overview)


def overview_download(overview, fmt, request=None):
    """The overview as a download in ``fmt``, one of ``FORMATS``."""
    return download(overview_content(overview, fmt, request), FORMATS[fmt][0], export_filename(overview, fmt))
