"""What a download is called: its file name and its title."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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
