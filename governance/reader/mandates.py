"""/mandater/<pk>/: one approved mandate version to read in full, with its approval stamp, its rules in words and
every version of the same scope with its period, each readable at its own address. Drafts and versions waiting
for approval are never shown here (404): only a published (approved) version is a mandate."""

import datetime

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from faggruppe_pages.models import FaggruppeIndexPage
from governance import rules
from governance.models import Mandate, MandateScope, MandateStatus


def periods(versions):
    """(version, last day or None) for the approved versions of one scope, newest first: a version holds until
    the day before the next one is valid."""
    ends = [None] + [newer.valid_from - datetime.timedelta(days=1) for newer in versions[:-1]]
    return list(zip(versions, ends, strict=True))


@require_safe
def mandate(request, pk):
    shown = get_object_or_404(Mandate.objects.approved().select_related("approved_by", "reports_to", "group"), pk=pk)
    today = timezone.localdate()
    versions = list(
        Mandate.objects.approved()
        .same_scope_as(shown)
        .select_related("approved_by", "reports_to")
        .order_by("-valid_from", "-pk")
    )
    in_force = next((m for m in versions if m.valid_from <= today), None)
    position = next(i for i, m in enumerate(versions) if m.pk == shown.pk)
    previous = versions[position + 1] if position + 1 < len(versions) else None
    # Whom the groups reported to while this version held (today for the version in force or a coming one).
    as_of = today if shown.valid_from > today or shown == in_force else shown.valid_from
    chain = shown.reports_to.chain_on(as_of) if shown.reports_to_id else []
    if shown == in_force:
        status = MandateStatus.IN_FORCE
    elif shown.valid_from > today:
        status = MandateStatus.APPROVED
    else:
        status = MandateStatus.SUPERSEDED
    index = FaggruppeIndexPage.objects.live().order_by("path").first()
    return TemplateResponse(
        request,
        "governance/reader/mandate_page.html",
        {
            "mandate": shown,
            "status": status,
            "status_label": status.label,
            "in_force": in_force,
            "group": shown.group if shown.scope == MandateScope.GROUP else None,
            "index": index,
            "reports_to": chain[0] if chain else None,
            "above": chain[1:],
            "rules": rules.describe_rules(shown.rule_set()),
            "rule_changes": rules.describe_changes(previous.rule_set(), shown.rule_set()) if previous else [],
            "versions": periods(versions),
            "today": today,
        },
    )


urlpatterns = [
    path("mandater/<int:pk>/", mandate, name="governance_mandate"),
]
