"""What a download is called: its file name and its title."""

from urllib.parse import quote

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Norwegian letters that slugify would drop, spelled out so a file name stays readable ("lonn", not "lnn").
ASCII_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def file_slug(text, fallback="fil"):
    """ "Lønn og personal" -> "lonn-og-personal": ASCII, for file names."""
    return slugify(str(text).translate(ASCII_LETTERS)) or fallback


def overview_scope(organisation):
    """The whole overview's filter in names of stored files: the organisation's slug, or ``alle``."""
    return organisation.slug if organisation is not None else "alle"


def content_disposition(filename):
    """``attachment`` with the name twice (RFC 6266): ``filename*`` in UTF-8 keeps Norwegian letters, and
    ``filename`` spells them out in ASCII (ø -> o) for clients that read only that one."""
    stem, dot, extension = str(filename).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    fallback = ".".join(filter(None, [file_slug(stem), file_slug(extension, "")]))
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(str(filename), safe='')}"
    return header


def export_filename(overview, extension):
    """medlemsoversikt-2026-11-24.pdf, medlemsoversikt-molde-…, medlemmer-teknisk-…"""
    if overview.group is not None:
        return f"medlemmer-{overview.group.slug}-{overview.today.isoformat()}.{extension}"
    return overview_filename(overview.organisation, overview.today, extension)


def overview_filename(organisation, day, extension):
    """The whole overview's file name (``organisation``: its filter, or None), known before it is built."""
    stem = f"medlemsoversikt-{organisation.slug}" if organisation is not None else "medlemsoversikt"
    return f"{stem}-{day.isoformat()}.{extension}"


def export_title(overview):
    if overview.group is not None:
        return _("Members of %(group)s") % {"group": overview.group.title}
    if overview.organisation is not None:
        return _("Member overview: %(organisation)s") % {"organisation": overview.organisation.display_name}
    return _("Member overview")


def empty_seat():
    # The same message as the pages' "Empty seat / 3 empty seats", so it is one translation.
    return ngettext("Empty seat", "%(counter)s empty seats", 1)
