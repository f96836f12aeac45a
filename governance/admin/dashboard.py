"""The staff dashboard panel: groups that do not meet their mandate, worst first, with a link to the report."""

from wagtail.admin.ui.components import Component

from governance import compliance, rules
from governance.admin.access import can_see_report


class CompliancePanel(Component):
    """Dashboard: groups that do not meet their mandate, with a link to the full report."""

    name = "governance_compliance"
    order = 50
    template_name = "governance/admin/compliance_panel.html"

    def get_context_data(self, parent_context):
        results = [r for r in compliance.check_all() if r.findings]
        totals = rules.summarise([f for r in results for f in r.findings])
        results.sort(key=lambda r: (-len(r.errors), -len(r.warnings), r.group.title))
        return {"results": results, "totals": totals}


def add_compliance_panel(request, panels):
    """``construct_homepage_panels``: the panel, for those who may see the report."""
    if can_see_report(request.user):
        panels.append(CompliancePanel())
