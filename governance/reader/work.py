"""Readers' pages of the group's work: measures (tiltak) with their status history and benefit plans,
proposals to the governing bodies with their attachments, and the work section of a group page.

/tiltak/                           every published measure, by group, with a benefit summary (?gruppe=, ?status=)
/tiltak/gruppe/<group>/            one group's measures and benefit summary
/tiltak/<pk>/                      one measure: status history and benefit plan (a chart per benefit)
/forslag/                          proposals by the body they were sent to (?organ=, ?status=)
/forslag/<pk>/                     one proposal: text, attachments, status and decision
/forslag/<pk>/vedlegg/<id>/        an attachment, as a download

Readers see published measures, approved benefits of published measures and proposals that have
been sent; never drafts (the models' ``for_readers``). Every page runs a fixed number of queries,
whatever the number of measures, reports, benefits and proposals: rows are fetched with their
relations (select_related, prefetch_related) and grouped here.
"""

import os
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from faggruppe_pages.models import GroupPage, Person
from faggruppe_pages.prepared import prepared
from faggruppe_pages.routing import request_memo
from governance.models import (
    Benefit,
    BenefitTarget,
    GoverningBody,
    Measure,
    MeasureStatus,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Realisation,
    StatusReport,
)
from governance.reader import charts

#: How many measures and proposals the group page shows before linking to the full lists.
SECTION_MEASURES, SECTION_PROPOSALS = 5, 3


# -- data -----------------------------------------------------------------------------------------------------
def status_reports_newest_first():
    return Prefetch(
        "status_reports", queryset=StatusReport.objects.select_related("reported_by").order_by("-date", "-pk")
    )


def reader_measures():
    """Published measures with what the lists show: group, owner, municipalities, status reports newest first."""
    return (
        Measure.objects.for_readers()
        .select_related("group", "owner")
        .prefetch_related("organisations", status_reports_newest_first())
    )


def latest_status(measure):
    """The newest status report (prefetched newest first), or None."""
    reports = list(measure.status_reports.all())
    return reports[0] if reports else None


def reporter_name(report):
    if report.reported_by_name:
        return report.reported_by_name
    if report.reported_by_id:
        return report.reported_by.get_full_name() or report.reported_by.get_username()
    return ""


def reached(benefit, value):
    """Has ``value`` reached the total target? The direction runs from the baseline to the target
    (fewer hours, more users); without a baseline, a higher value is better."""
    if benefit.target_value is None or value is None:
        return False
    if benefit.baseline_value is not None and benefit.target_value < benefit.baseline_value:
        return value <= benefit.target_value
    return value >= benefit.target_value


@dataclass
class BenefitProgress:
    """One benefit as readers see it: the latest total realisation, whether the target is reached,
    and whether the target date has passed with nothing measured."""

    benefit: Benefit
    realisations: list  # every realisation (total and per municipality), oldest first
    totals: list  # realisations in total (no municipality), oldest first
    latest: Realisation | None
    reached: bool
    overdue: bool

    @property
    def gain(self):
        """Realised so far, counted from the baseline in the target's direction (for priced benefits)."""
        if self.latest is None:
            return Decimal(0)
        return abs(self.latest.value - (self.benefit.baseline_value or 0))

    @property
    def target_gain(self):
        if self.benefit.target_value is None:
            return Decimal(0)
        return abs(self.benefit.target_value - (self.benefit.baseline_value or 0))


def benefit_progress(benefit, today, until=None):
    """``benefit`` with its realisations prefetched; ``until``: count only realisations up to that day."""
    realisations = sorted(
        (r for r in benefit.realisations.all() if until is None or r.date <= until), key=lambda r: (r.date, r.pk)
    )
    totals = [r for r in realisations if r.organisation_id is None]
    latest = totals[-1] if totals else None
    overdue = bool(benefit.target_date and benefit.target_date < today and not realisations)
    return BenefitProgress(
        benefit=benefit,
        realisations=realisations,
        totals=totals,
        latest=latest,
        reached=reached(benefit, latest.value if latest else None),
        overdue=overdue,
    )


@dataclass
class BenefitSummary:
    """Counts across benefits, and kroner only where the benefit is priced (units of other benefits differ)."""

    group: GroupPage | None = None
    count: int = 0
    measured: int = 0
    reached: int = 0
    overdue: int = 0
    priced: int = 0
    priced_realised: Decimal = Decimal(0)
    priced_target: Decimal = Decimal(0)

    def add(self, progress):
        self.count += 1
        self.measured += progress.latest is not None
        self.reached += progress.reached
        self.overdue += progress.overdue
        if progress.benefit.priced:
            self.priced += 1
            self.priced_realised += progress.gain
            self.priced_target += progress.target_gain
        return self

    def merge(self, other):
        for name in ("count", "measured", "reached", "overdue", "priced", "priced_realised", "priced_target"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def url(self):
        return group_measures_url(self.group.pk) if self.group else ""

    @property
    def priced_realised_text(self):
        return charts.format_amount(self.priced_realised, "kr")

    @property
    def priced_target_text(self):
        return charts.format_amount(self.priced_target, "kr")


def reader_benefits():
    return Benefit.objects.for_readers().select_related("measure__group", "owner").prefetch_related("realisations")


def benefit_summaries(groups_q, today):
    """{group id: BenefitSummary} for the approved benefits of published measures (two queries)."""
    summaries = {}
    for benefit in reader_benefits().filter(**groups_q):
        group = benefit.measure.group
        summaries.setdefault(group.pk, BenefitSummary(group=group)).add(benefit_progress(benefit, today))
    return summaries


# -- measures ------------------------------------------------------------------------------------------------
class MeasureFilterForm(forms.Form):
    gruppe = forms.ModelChoiceField(
        label=_("Group"),
        queryset=GroupPage.objects.none(),
        required=False,
        empty_label=_("All groups"),
        error_messages={"invalid_choice": _("There is no such group to filter by.")},
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gruppe"].queryset = (
            GroupPage.objects.live().filter(measures__published_at__isnull=False).distinct().order_by("path")
        )
        self.fields["status"].choices = [("", _("All statuses")), *MeasureStatus.choices, ("none", _("No status yet"))]


@dataclass
class GroupMeasures:
    group: GroupPage
    measures: list = field(default_factory=list)
    summary: BenefitSummary = field(default_factory=BenefitSummary)


def measure_rows(measures):
    return [{"measure": m, "status": latest_status(m)} for m in measures]


def by_group(measures, summaries):
    grouped = {}
    for measure in measures:
        grouped.setdefault(measure.group_id, GroupMeasures(group=measure.group)).measures.append(
            {"measure": measure, "status": latest_status(measure)}
        )
    for entry in grouped.values():
        entry.summary = summaries.get(entry.group.pk, BenefitSummary())
    return sorted(grouped.values(), key=lambda g: g.group.path)


def filter_by_status(measures, status):
    if not status:
        return measures
    out = []
    for measure in measures:
        report = latest_status(measure)
        if (report.status if report else "none") == status:
            out.append(measure)
    return out


@require_safe
def measures(request):
    today = timezone.localdate()
    form = MeasureFilterForm(request.GET or None)
    qs = reader_measures()
    group, status = None, ""
    if form.is_bound and form.is_valid():
        group, status = form.cleaned_data["gruppe"], form.cleaned_data["status"]
    if group:
        qs = qs.filter(group=group)
    rows = filter_by_status(list(qs), status)
    Person.mark_pages([m.owner for m in rows], request=request)  # owners' names link to their pages
    summaries = benefit_summaries({"measure__group": group} if group else {}, today)
    groups = by_group(rows, summaries)
    total = BenefitSummary()
    for summary in summaries.values():
        total.merge(summary)
    summary_rows = sorted(summaries.values(), key=lambda s: s.group.path)
    return TemplateResponse(
        request,
        "governance/reader/work/measures.html",
        {
            "form": form,
            "groups": groups,
            "summary_rows": summary_rows,
            "total": total,
            "filtered": bool(group or status),
            "today": today,
        },
    )


def group_measures_url(group_id):
    return reverse("governance_group_measures", args=[group_id])


@require_safe
def group_measures(request, group):
    today = timezone.localdate()
    page = get_object_or_404(GroupPage.objects.live(), pk=group)
    measures = list(reader_measures().filter(group=page))
    Person.mark_pages([m.owner for m in measures], request=request)
    summary = benefit_summaries({"measure__group": page}, today).get(page.pk, BenefitSummary())
    return TemplateResponse(
        request,
        "governance/reader/work/group_measures.html",
        {"group": page, "rows": measure_rows(measures), "summary": summary, "today": today},
    )


@require_safe
def measure(request, pk):
    today = timezone.localdate()
    obj = get_object_or_404(reader_measures(), pk=pk)
    benefits = (
        Benefit.objects.for_readers()
        .filter(measure=obj)
        .select_related("owner")
        .prefetch_related(
            Prefetch("targets", queryset=BenefitTarget.objects.select_related("organisation", "sub_owner")),
            Prefetch("realisations", queryset=Realisation.objects.select_related("organisation", "recorded_by")),
        )
    )
    plans = []
    for benefit in benefits:
        progress = benefit_progress(benefit, today)
        plans.append(
            {
                "benefit": benefit,
                "progress": progress,
                "targets": list(benefit.targets.all()),
                "chart": charts.benefit_chart(benefit, progress.totals, f"benefit-{benefit.pk}"),
                "baseline_text": charts.format_amount(benefit.baseline_value, benefit.unit)
                if benefit.baseline_value is not None
                else "",
                "target_text": charts.format_amount(benefit.target_value, benefit.unit)
                if benefit.target_value is not None
                else "",
                "realisations": [
                    {"row": r, "value": charts.format_amount(r.value, benefit.unit), "by": recorder_name(r)}
                    for r in progress.realisations
                ],
                "target_rows": [
                    {
                        "target": t,
                        "baseline": charts.format_amount(t.baseline_value, benefit.unit)
                        if t.baseline_value is not None
                        else "",
                        "value": charts.format_amount(t.target_value, benefit.unit)
                        if t.target_value is not None
                        else "",
                    }
                    for t in benefit.targets.all()
                ],
            }
        )
    reports = [{"report": r, "by": reporter_name(r)} for r in obj.status_reports.all()]
    Person.mark_pages(
        [obj.owner]
        + [plan["benefit"].owner for plan in plans]
        + [row["target"].sub_owner for plan in plans for row in plan["target_rows"]],
        request=request,
    )
    return TemplateResponse(
        request,
        "governance/reader/work/measure.html",
        {
            "measure": obj,
            "status": latest_status(obj),
            "reports": reports,
            "plans": plans,
            "organisations": list(obj.organisations.all()),
            "today": today,
        },
    )


def recorder_name(realisation):
    if realisation.recorded_by_name:
        return realisation.recorded_by_name
    if realisation.recorded_by_id:
        return realisation.recorded_by.get_full_name() or realisation.recorded_by.get_username()
    return ""


# -- proposals -----------------------------------------------------------------------------------------------
READER_PROPOSAL_STATUSES = [(value, label) for value, label in ProposalStatus.choices if value != ProposalStatus.DRAFT]


class ProposalFilterForm(forms.Form):
    organ = forms.ModelChoiceField(
        label=_("Sent to"),
        queryset=GoverningBody.objects.none(),
        required=False,
        empty_label=_("All bodies"),
        error_messages={"invalid_choice": _("There is no such body to filter by.")},
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = GoverningBody.objects.filter(
            pk__in=Proposal.objects.for_readers().values("to_body")
        ).order_by("name")
        self.fields["status"].choices = [("", _("All statuses")), *READER_PROPOSAL_STATUSES]


def reader_proposals():
    return Proposal.objects.for_readers().select_related("group", "to_body")


@require_safe
def proposals(request):
    form = ProposalFilterForm(request.GET or None)
    qs = reader_proposals()
    filtered = False
    if form.is_bound and form.is_valid():
        if form.cleaned_data["organ"]:
            qs = qs.filter(to_body=form.cleaned_data["organ"])
            filtered = True
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
            filtered = True
    bodies = {}
    for proposal in qs.order_by("-submitted_on", "-pk"):
        bodies.setdefault(proposal.to_body_id, {"body": proposal.to_body, "proposals": []})["proposals"].append(
            proposal
        )
    grouped = sorted(bodies.values(), key=lambda b: (b["body"] is None, b["body"].name if b["body"] else ""))
    return TemplateResponse(
        request, "governance/reader/work/proposals.html", {"form": form, "bodies": grouped, "filtered": filtered}
    )


@require_safe
def proposal(request, pk):
    obj = get_object_or_404(reader_proposals(), pk=pk)
    return TemplateResponse(
        request,
        "governance/reader/work/proposal.html",
        {"proposal": obj, "attachments": list(obj.attachments.all())},
    )


def attachment_filename(attachment):
    """The title as a file name, with the stored file's extension (letters and digits only)."""
    extension = os.path.splitext(attachment.file.name)[1].lower()
    if not extension[1:].isalnum() or len(extension) > 10:
        extension = ""
    stem = slugify(attachment.title, allow_unicode=True) or "vedlegg"
    return f"{stem[:80]}{extension}"


@require_safe
def proposal_attachment(request, pk, attachment):
    obj = get_object_or_404(Proposal.objects.for_readers(), pk=pk)
    item = get_object_or_404(ProposalAttachment, pk=attachment, proposal=obj)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment_filename(item))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the group page's section ----------------------------------------------------------------------------------
def _memoized(page, key, load):
    memo = request_memo(page)
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def page_measures(page):
    """The group's published measures, newest start first, with every status report (newest first): two
    queries, asked once per request for a routed page (the work section and the compliance check read them)."""
    return _memoized(
        page,
        "governance_page_measures",
        lambda: _page_measure_rows(page.pk),
    )


@prepared
def _page_measure_rows(group_id):
    """``page_measures``' query, compiled once (faggruppe_pages/prepared.py); the status reports are a second."""
    return (
        Measure.objects.for_readers()
        .filter(group_id=group_id)
        .prefetch_related(status_reports_newest_first())
        .order_by("-start_date", "title")
    )


@prepared
def _page_proposal_rows(group_id):
    """The group section's latest proposals, one more than it shows (it says when there are more); compiled once."""
    return reader_proposals().filter(group_id=group_id).order_by("-submitted_on", "-pk")[: SECTION_PROPOSALS + 1]


def page_benefits(page, measures):
    """The approved benefits of the group's published measures (``page_measures``) with their realisations
    (two queries; none when the group has no published measure), once per request for a routed page."""
    if not measures:
        return []
    return _memoized(page, "governance_page_benefits", lambda: list(reader_benefits().filter(measure__group=page)))


def group_section(page, request, context):
    """The group page's work section: measures with their latest status, benefits, proposals (six queries at
    most, fewer when the compliance check has loaded the measures and benefits)."""
    today = context.get("today") or timezone.localdate()
    measures = page_measures(page)
    proposals = _page_proposal_rows(page.pk)
    if not measures and not proposals:
        return ""
    summary = BenefitSummary()
    for benefit in page_benefits(page, measures):  # as benefit_summaries does for one group
        summary.group = summary.group or benefit.measure.group
        summary.add(benefit_progress(benefit, today))
    last_year = today.year - 1
    return render_to_string(
        "governance/reader/work/group_section.html",
        {
            "group": page,
            "rows": measure_rows(measures[:SECTION_MEASURES]),
            "more_measures": len(measures) > SECTION_MEASURES,
            "measure_count": len(measures),
            "summary": summary,
            "proposals": proposals[:SECTION_PROPOSALS],
            "more_proposals": len(proposals) > SECTION_PROPOSALS,
            "last_year": last_year,
            "report_url": reverse("governance_group_yearly_report", args=[last_year, page.pk]),
            "today": today,
        },
        request=request,
    )


urlpatterns = [
    path("tiltak/", measures, name="governance_measures"),
    path("tiltak/gruppe/<int:group>/", group_measures, name="governance_group_measures"),
    path("tiltak/<int:pk>/", measure, name="governance_measure"),
    path("forslag/", proposals, name="governance_proposals"),
    path("forslag/<int:pk>/", proposal, name="governance_proposal"),
    path("forslag/<int:pk>/vedlegg/<int:attachment>/", proposal_attachment, name="governance_proposal_attachment"),
]

__all__ = ["BenefitProgress", "BenefitSummary", "benefit_progress", "group_section", "urlpatterns"]
