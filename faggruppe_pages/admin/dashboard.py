"""The admin start page says what to do: per organisation the user acts for, what needs confirming, what ends
soon, where nobody sits, and what the mandates' rules find (``upkeep/worklist.py``). Staff see every
organisation. Each count links to the rows in "Våre oppføringer"; a gap links to a pre-filled "add" form.

Wagtail's site summary ("2 sider") is for staff; representatives get the work instead.
"""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from faggruppe_pages.admin.access import is_staff
from faggruppe_pages.admin.entries import add_seat_url, our_entries_url
from faggruppe_pages.permissions import organisations_user_acts_for
from faggruppe_pages.upkeep import worklist

#: The start page's columns: (key, label, the work list's status filter); a count of each per organisation.
COLUMNS = [
    ("overdue", _("Overdue for confirmation"), worklist.OVERDUE),
    ("never", _("Never confirmed"), worklist.NEVER),
    ("ending", _("Ending within 30 days"), worklist.ENDING),
    ("gap", _("Groups without a representative"), "gap"),
    ("findings", _("Findings from the mandates"), None),
]

#: Up to this many organisations, each gets its own list of gaps and findings under the table.
DETAILED_ORGANISATIONS = 3


class WorkPanel(Component):
    name = "faggruppe_pages_work"
    order = 10
    template_name = "faggruppe_pages/admin/work_panel.html"

    def __init__(self, organisations):
        self.organisations = organisations

    def get_context_data(self, parent_context):
        rows = []
        for work in worklist.organisations_work(self.organisations):
            org = work.organisation
            rows.append(
                {
                    "work": work,
                    "list_url": our_entries_url(org),
                    "counts": [
                        (
                            len(items),
                            our_entries_url(org, status=status) if status else our_entries_url(org) + "#findings",
                            key,
                            label,
                        )
                        for (key, label, status), items in zip(
                            COLUMNS,
                            [work.overdue, work.never_confirmed, work.ending, work.gaps, work.findings],
                            strict=True,
                        )
                    ],
                    "gaps": [(gap, add_seat_url(org, gap.group)) for gap in work.gaps],
                    "findings": [(f, our_entries_url(org, group=f.group_id)) for f in work.findings],
                }
            )
        return {
            "column_labels": [label for _key, label, _status in COLUMNS],
            "rows": rows,
            "detailed": len(rows) <= DETAILED_ORGANISATIONS,
            "nothing_to_do": all(row["work"].nothing_to_do for row in rows),
        }


def add_work_panel(request, panels):
    """``construct_homepage_panels``: first on the page, for everyone who acts for an organisation."""
    organisations = list(organisations_user_acts_for(request.user))
    if organisations:
        panels.append(WorkPanel(organisations))


def staff_only_site_summary(request, summary_items):
    """``construct_homepage_summary_items``: the page/image/document counts are staff's business."""
    if not is_staff(request.user):
        summary_items[:] = []


def admin_css():
    """``insert_global_admin_css``: the status marks of the start page and the work list."""
    return format_html('<link rel="stylesheet" href="{}">', static("faggruppe_pages/admin.css"))
