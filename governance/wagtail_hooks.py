"""Governance's registrations and nothing else: each line names a slot and what fills it (defined elsewhere).

Wagtail's own slots (admin viewsets, report, dashboard, permissions) are filled from ``governance.admin``;
faggruppe_pages' named slots from ``governance.reader`` (group page), ``governance.compliance``
(seat rules), ``governance.models`` (groups with history) and ``governance.setup`` (setup_portal).
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from faggruppe_pages.admin.access import STAFF_ONLY_HOOK
from faggruppe_pages.models.pages import (
    GROUP_INDEX_MANDATE_HOOK,
    GROUP_PAGE_MANDATE_HOOK,
    GROUP_PAGE_SECTIONS_HOOK,
    GROUP_PAGE_SUMMARY_HOOK,
    GROUPS_WITH_HISTORY_HOOK,
    MY_GROUPS_SECTIONS_HOOK,
)
from faggruppe_pages.reader.search import SEARCH_SOURCES_HOOK
from faggruppe_pages.upkeep.seat_rules import GROUP_RULES_HOOK
from faggruppe_pages.upkeep.setup import SETUP_PORTAL_HOOK
from faggruppe_pages.upkeep.worklist import ORGANISATION_FINDINGS_HOOK
from governance import compliance, setup
from governance.admin import access, dashboard, report, viewsets, work, work_panel
from governance.models import groups_with_mandates
from governance.reader import calendar, meetings, search, sections
from governance.reader import work as reader_work

# -- admin: mandates (snippets), governing bodies (ModelViewSet); staff only ---------------------------------
register_snippet(viewsets.MandateViewSet)
hooks.register("register_admin_viewset", viewsets.governing_bodies)
hooks.register(STAFF_ONLY_HOOK, access.staff_only_views)

# -- admin: the compliance report, its menu item and permission, the dashboard panel -----------------------
hooks.register("register_admin_urls", report.report_urls)
hooks.register("register_reports_menu_item", report.report_menu_item)
hooks.register("register_permissions", access.report_permissions)
hooks.register("construct_homepage_panels", dashboard.add_compliance_panel)
# The start page's "Gruppens arbeid": what the user's groups must do next (members, officers, leader; staff).
hooks.register("construct_homepage_panels", work_panel.add_group_work_panel)

# -- admin: the group's work (meetings, measures, benefits, proposals): members of the group and staff ---------
work.register_all()

# -- faggruppe_pages' slots ---------------------------------------------------------------------------------
# The group page: "does the group meet its mandate?" under the introduction (a status line for readers, the
# findings for staff and those involved), and the mandate in force as a summary linking to /mandater/<pk>/.
hooks.register(GROUP_PAGE_SUMMARY_HOOK, sections.compliance_summary)
hooks.register(GROUP_PAGE_MANDATE_HOOK, sections.mandate_in_force)
# /faggrupper/: the mandates in force as summaries (never the overview page's own copy).
hooks.register(GROUP_INDEX_MANDATE_HOOK, sections.index_mandate)
# The group's work on its page: meetings (next, latest minutes, archive), then measures, benefits, proposals.
hooks.register(GROUP_PAGE_SECTIONS_HOOK, meetings.group_section)
hooks.register(GROUP_PAGE_SECTIONS_HOOK, reader_work.group_section)
# "Mine grupper": the user's coming meetings and personal calendar address.
hooks.register(MY_GROUPS_SECTIONS_HOOK, calendar.my_groups_section)
# Seats the overview expects and how often lists must be confirmed come from the mandate in force.
hooks.register(GROUP_RULES_HOOK, compliance.seat_rules_for)
# The start page's work list: each organisation's own findings.
hooks.register(ORGANISATION_FINDINGS_HOOK, compliance.organisation_findings)
# A group with a mandate of its own is closed, never deleted.
hooks.register(GROUPS_WITH_HISTORY_HOOK, groups_with_mandates)
# setup_portal: staff permissions and the approval workflow for mandates.
hooks.register(SETUP_PORTAL_HOOK, setup.setup_governance)

# -- faggruppe_pages' search page: mandates, meetings, measures and proposals as readers may read them --------------
hooks.register(SEARCH_SOURCES_HOOK, search.search_sources)
