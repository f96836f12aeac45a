"""The admin start page's "Gruppens arbeid": what the user's groups must do next, per group, each a link.

For a member: the next meeting; for officers also the meetings held whose minutes are not yet sent for
approval, and a coming meeting whose notice is not sent; for the leader the minutes waiting for approval or
publishing, and the measures, benefits and proposals waiting to be published, approved or sent; for everyone
the published measures whose status report is overdue and the approved benefits past their target date with
no realisation (the mandate's rules, tasks 7 and 5). Staff get one line per
kind across all groups (minutes waiting, proposals waiting for the body's handling). A fixed number of
queries, whatever the number of groups and items.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from faggruppe_pages.models import GroupPage
from governance import compliance
from governance.models import (
    HELD_KINDS,
    Benefit,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
)
from governance.permissions import LEADER, MEMBER, OFFICER, group_ids_for, is_work_staff


def _edit(model_name, pk):
    return reverse(f"gruppearbeid_{model_name}:edit", args=[pk])


def group_work(user, today=None):
    """[{group, next_meeting, notice_unsent, minutes_to_send, minutes_to_approve, minutes_to_publish,
    to_publish, overdue_measures, is_officer, is_leader}] for the groups the user is a member of."""
    today = today or timezone.localdate()
    member = set(group_ids_for(user, MEMBER, today))
    if not member:
        return []
    officer = set(group_ids_for(user, OFFICER, today))
    leader = set(group_ids_for(user, LEADER, today))
    groups = {g.pk: g for g in GroupPage.objects.filter(pk__in=member).order_by("title")}
    rows = {
        pk: {
            "group": g,
            "is_officer": pk in officer,
            "is_leader": pk in leader,
            "next_meeting": None,
            "notice_unsent": [],
            "minutes_to_send": [],
            "minutes_to_approve": [],
            "minutes_to_publish": [],
            "to_publish": [],
            "overdue_measures": [],
            "overdue_benefits": [],
        }
        for pk, g in groups.items()
    }
    now = timezone.now()
    meetings = Meeting.objects.filter(group_id__in=member).filter(
        Q(starts_at__gte=now) | ~Q(minutes_status=MinutesStatus.PUBLISHED)
    )
    for m in meetings.order_by("starts_at"):
        row = rows[m.group_id]
        m.edit_url = _edit("meeting", m.pk)
        if m.starts_at >= now:
            if row["next_meeting"] is None:
                row["next_meeting"] = m
            if m.notice_sent_at is None and row["is_officer"]:
                row["notice_unsent"].append(m)
        elif m.minutes_status == MinutesStatus.DRAFT and m.kind in HELD_KINDS and row["is_officer"]:
            row["minutes_to_send"].append(m)
        elif m.minutes_status == MinutesStatus.SENT and row["is_leader"]:
            row["minutes_to_approve"].append(m)
        elif m.minutes_status == MinutesStatus.APPROVED and row["is_leader"]:
            row["minutes_to_publish"].append(m)
    if leader:
        waiting = [
            *((m, "measure") for m in Measure.objects.filter(group_id__in=leader, published_at=None)),
            *(
                (b, "benefit")
                for b in Benefit.objects.filter(measure__group_id__in=leader, approved_at=None).select_related(
                    "measure"
                )
            ),
            *((p, "proposal") for p in Proposal.objects.filter(group_id__in=leader, status=ProposalStatus.DRAFT)),
        ]
        for obj, model_name in waiting:
            obj.edit_url = _edit(model_name, obj.pk)
            obj.kind_label = obj._meta.verbose_name
            group_id = obj.measure.group_id if model_name == "benefit" else obj.group_id
            rows[group_id]["to_publish"].append(obj)
    # Overdue status reports and benefits: the compliance report's own findings (tasks 7 and 5), not a second
    # reading of the rules.
    overdue_measures, overdue_benefits = {}, {}
    for result in compliance.check_all(today, groups=list(groups.values())):
        for found in result.findings:
            if found.code == "measure_status_overdue":
                overdue_measures[found.details["measure"]] = result.group.pk
            elif found.code == "benefit_not_followed_up":
                overdue_benefits[found.details["benefit"]] = result.group.pk
    for measure in Measure.objects.filter(pk__in=overdue_measures):
        measure.edit_url = _edit("measure", measure.pk)
        rows[overdue_measures[measure.pk]]["overdue_measures"].append(measure)
    for benefit in Benefit.objects.filter(pk__in=overdue_benefits):
        benefit.edit_url = _edit("benefit", benefit.pk)
        rows[overdue_benefits[benefit.pk]]["overdue_benefits"].append(benefit)
    return list(rows.values())


def staff_summary():
    """Across all groups: minutes waiting for approval or publishing, proposals waiting for the body."""
    minutes = Meeting.objects.filter(minutes_status__in=[MinutesStatus.SENT, MinutesStatus.APPROVED]).count()
    proposals = Proposal.objects.filter(status__in=[ProposalStatus.SENT, ProposalStatus.IN_CONSIDERATION]).count()
    return {
        "minutes": minutes,
        "minutes_url": reverse("gruppearbeid_meeting:list") + "?minutes_status=sent",
        "proposals": proposals,
        "proposals_url": reverse("gruppearbeid_proposal:list") + "?status=sent",
    }


class GroupWorkPanel(Component):
    name = "governance_group_work"
    order = 20
    template_name = "governance/admin/group_work_panel.html"

    def __init__(self, rows, summary):
        self.rows, self.summary = rows, summary

    def get_context_data(self, parent_context):
        return {"rows": self.rows, "summary": self.summary}


def add_group_work_panel(request, panels):
    """``construct_homepage_panels``: the panel, for members of a group (their groups) and staff (a summary)."""
    rows = group_work(request.user)
    summary = staff_summary() if is_work_staff(request.user, Meeting) else None
    if rows or summary:
        panels.append(GroupWorkPanel(rows, summary))
