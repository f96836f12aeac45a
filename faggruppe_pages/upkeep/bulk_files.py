"""The spreadsheet of the bulk update: its columns, and reading an uploaded XLSX or CSV into plain rows.

Only reading happens here: every cell becomes text (a date cell an ISO date), nothing is looked up.
``upkeep/bulk.py`` decides what the rows mean. Bad input of any kind raises ``UploadError`` with a
message for the user; nothing else escapes (a broken file is the sender's problem, never a 500).
Formulas are never evaluated: openpyxl reads the values a spreadsheet program cached
(``data_only``), and text that starts with ``=`` stays text.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faggruppe_pages.spreadsheets import spreadsheet_safe

#: A bigger file is refused before it is read.
MAX_BYTES = 5 * 1024 * 1024
#: Rows with data (the header not counted).
MAX_ROWS = 5000
#: Columns read per row; more are ignored.
MAX_COLUMNS = 50
#: What the parts of an XLSX may unpack to (a zip bomb is refused before openpyxl sees it).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: The header row is looked for among this many first non-empty rows.
HEADER_SEARCH_ROWS = 10
#: The sheet our download writes; another file's first sheet is read otherwise.
SHEET_NAME = "Oppføringer"


@dataclass(frozen=True)
class Column:
    field: str
    #: The header our download writes (the file format is Norwegian whatever the user's language).
    header: str
    #: Other headers accepted, compared without case, spaces, hyphens, dots and underscores.
    aliases: tuple = ()
    label: str = ""


COLUMNS = (
    Column("id", "ID", ("oppføringsid", "oppføringid", "membershipid"), gettext_lazy("ID")),
    Column("group", "Gruppe", ("group", "faggruppe", "arbeidsgruppe", "gruppenavn"), gettext_lazy("Group")),
    Column("person", "Person", ("navn", "name", "fulltnavn", "personnavn"), gettext_lazy("Person")),
    Column(
        "email",
        "E-post",
        ("epostadresse", "email", "emailadresse", "mail", "arbeidsepost", "workemail"),
        gettext_lazy("E-mail"),
    ),
    Column(
        "organisation",
        "Organisasjon",
        ("representerer", "organisation", "organization", "represents"),
        gettext_lazy("Organisation"),
    ),
    Column("role", "Rolle", ("role", "verv"), gettext_lazy("Role")),
    Column(
        "start_date",
        "Startdato",
        ("start", "fra", "fradato", "fom", "frå", "frådato", "startdate", "from"),
        gettext_lazy("Start date"),
    ),
    Column(
        "end_date",
        "Sluttdato",
        ("slutt", "til", "tildato", "tom", "enddate", "to"),
        gettext_lazy("End date"),
    ),
    Column(
        "appointed_by",
        "Oppnevnt av",
        ("oppnemndav", "oppnevnt", "appointedby"),
        gettext_lazy("Appointed by"),
    ),
    Column(
        "appointment_reference",
        "Referanse",
        ("oppnevningsreferanse", "reference", "appointmentreference", "saksnummer", "saksnr", "ref"),
        gettext_lazy("Reference"),
    ),
    Column("note", "Merknad", ("note", "kommentar", "notat", "merknader"), gettext_lazy("Note")),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]


def _key(text):
    return "".join(ch for ch in str(text).casefold() if ch not in " \t-_.:*()/").strip()


_ALIASES = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.field, *_column.aliases):
        _ALIASES[_key(_name)] = _column.field


def column_for(header):
    """The field a header names (``"e-post"`` -> ``"email"``), or None."""
    return _ALIASES.get(_key(header)) if header else None


class UploadError(Exception):
    """The file cannot be read; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """What a file holds: its rows as text, keyed by field, and which columns it had."""

    rows: list = field(default_factory=list)  # [{"row": number, "values": {field: text}}]
    present: list = field(default_factory=list)  # fields of the columns found
    ignored: list = field(default_factory=list)  # headers of columns not read


def entry_values(membership):
    """A membership as a row of the download: {field: value}, dates as dates (the role in Bokmål, like the
    headers: the file format is Norwegian whatever the user's language; the upload reads every language)."""
    with translation.override("nb"):
        role = str(membership.get_role_display())
    return {
        "id": membership.pk,
        "group": membership.group.title,
        "person": membership.person.name,
        "email": membership.person.email,
        "organisation": membership.represents.name,
        "role": role,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "appointed_by": membership.appointed_by,
        "appointment_reference": membership.appointment_reference,
        "note": membership.note,
    }


# -- cells ---------------------------------------------------------------------------------------------------


def cell_text(value):
    """A cell's value as the text the rules read: dates as ISO dates, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # Our download guards text that looks like a formula with a leading apostrophe (spreadsheet_safe);
    # reading it back gives the text that was stored.
    if text.startswith("'") and len(text) > 1 and spreadsheet_safe(text[1:]) == text:
        text = text[1:]
    return text


# -- reading ---------------------------------------------------------------------------------------------------


def read_table(content, file_name=""):
    """Read an uploaded file (bytes) into a ``Table``, or raise ``UploadError``."""
    if not content:
        raise UploadError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise UploadError(
            _("The file is too big (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": f"{len(content) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
    name = (file_name or "").lower()
    if content[:4] == b"PK\x03\x04":
        if name.endswith((".ods", ".numbers")):
            raise UploadError(_not_supported())
        return _from_rows(_xlsx_rows(content))
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and upload it again.")
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise UploadError(_("The file could not be read as a spreadsheet. It may be damaged."))
    if name.endswith((".ods", ".numbers", ".pdf", ".doc", ".docx", ".txt", ".json", ".xml", ".html", ".zip")):
        raise UploadError(_not_supported())
    return _from_rows(_csv_rows(content))


def _not_supported():
    return _("Only Excel workbooks (.xlsx) and CSV files can be read. Save the file in one of those formats.")


def _xlsx_rows(content):
    from openpyxl import load_workbook

    damaged = _("The Excel file could not be read. It may be damaged; open it and save it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UploadError(_("The Excel file holds too much data to be read."))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise UploadError(damaged) from error
    if "xl/workbook.xml" not in names:
        raise UploadError(_not_supported())
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - anything openpyxl fails on is a file we cannot read
        raise UploadError(damaged) from error
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise UploadError(_("The Excel file has no worksheet."))
        sheet = next((s for s in sheets if s.title.strip().casefold() == SHEET_NAME.casefold()), sheets[0])
        rows = []
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            rows.append((number, [cell_text(v) for v in values]))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS + 1 and _data_rows(rows) > MAX_ROWS:
                break
        return rows
    except UploadError:
        raise
    except Exception as error:  # noqa: BLE001 - as above
        raise UploadError(damaged) from error
    finally:
        workbook.close()


def _data_rows(rows):
    return sum(1 for _number, values in rows if any(values))


def _decode(content):
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError(_("The characters of the file could not be read. Save it as CSV in UTF-8 and try again."))


def _csv_rows(content):
    text = _decode(content)
    if "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t") > 8:
        raise UploadError(_not_supported())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            rows.append((number, [cell_text(v) for v in values[:MAX_COLUMNS]]))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS + 1 and _data_rows(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        raise UploadError(
            _("The CSV file could not be read (%(error)s). Check that it is saved as CSV with ; or , between columns.")
            % {"error": error}
        ) from error
    return rows


def _delimiter(line):
    """The delimiter that makes the most known headers of the first line (else the most frequent one)."""

    def score(delimiter):
        cells = next(csv.reader([line], delimiter=delimiter), [])
        return sum(1 for cell in cells if column_for(cell)), line.count(delimiter)

    return max((";", ",", "\t"), key=score)


def _from_rows(rows):
    """Find the header row, map its columns to fields and keep the rows below it that hold anything."""
    header_at, fields = None, None
    for number, values in [r for r in rows if any(r[1])][:HEADER_SEARCH_ROWS]:
        found = [column_for(v) for v in values]
        if sum(1 for f in found if f) >= 2:
            header_at, fields = number, found
            header_values = values
            break
    if header_at is None:
        if not any(values for _number, values in rows if any(values)):
            raise UploadError(_("The file is empty."))
        raise UploadError(
            _("No header row was found. The first row must name the columns: %(headers)s.")
            % {"headers": ", ".join(HEADERS)}
        )
    seen, ignored = {}, []
    for position, (name, header) in enumerate(zip(fields, header_values, strict=True)):
        if name is None:
            if header:
                ignored.append(header)
        elif name in seen:
            raise UploadError(
                _("The column “%(header)s” appears twice. Keep one of them and upload the file again.")
                % {"header": COLUMN_BY_FIELD[name].header}
            )
        else:
            seen[name] = position
    _check_columns(seen)
    table = Table(present=[f for f in COLUMN_BY_FIELD if f in seen], ignored=ignored)
    for number, values in rows:
        if number <= header_at or not any(values):
            continue
        table.rows.append(
            {"row": number, "values": {f: (values[i] if i < len(values) else "") for f, i in seen.items()}}
        )
        if len(table.rows) > MAX_ROWS:
            raise UploadError(
                _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": MAX_ROWS}
            )
    if not table.rows:
        raise UploadError(_("The file has a header row but no entries below it."))
    return table


def _check_columns(seen):
    """A file either names its rows by ID, or has what a new entry needs."""
    needed = ["group", "role", "start_date"]
    missing = [f for f in needed if f not in seen]
    if "person" not in seen and "email" not in seen:
        missing.append("person")
    if missing and "id" not in seen:
        raise UploadError(
            _("The file lacks the columns %(missing)s. The first row must name the columns: %(headers)s.")
            % {
                "missing": ", ".join(COLUMN_BY_FIELD[f].header for f in missing),
                "headers": ", ".join(HEADERS),
            }
        )
