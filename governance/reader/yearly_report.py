"""The yearly report (årsrapport) of the groups, generated from the data for one calendar year.

/arsrapport/                                  choose the year (last year and this year offered)
/arsrapport/<year>/            and …/pdf/     one document for every live group ("Årsmelding – faggruppene");
                                              the PDF is a stored download, built by the task worker when the
                                              data is large (faggruppe_pages/reader/exports/background.py)
/arsrapport/<year>/gruppe/<group>/ and …/pdf/ one group's report
The pages are kept in the reader-page cache (faggruppe_pages/reader/cache.py, ``cached_view``) by data version.

Per group: the members at the year's end and who joined and left in the year; the meetings held in
the year (ordinary and extraordinary, with the notice sent) against the mandate in force at the
year's end; the published measures and their status at the year's end (the latest status report
dated within or before the year, never a later one); the approved benefits and their latest
realisation in the year against baseline and target; the proposals sent in the year and their
outcome; and the compliance findings at the year's end. For the current year "the year's end" is
today.

``build_yearly_report(year, groups=None)`` builds the data without a request (the views, the PDF
and ``make bench`` use it). It runs a fixed number of queries whatever the number of groups,
members, meetings, measures, benefits and proposals: every kind of row for the year is fetched
once and grouped here.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from faggruppe_pages import conf
from faggruppe_pages.models import GroupPage, Membership, Person
from faggruppe_pages.reader.cache import cached_view
from faggruppe_pages.reader.exports import PDF_TYPE, background, download
from faggruppe_pages.reader.exports.pdf import css_string, render_pdf
from faggruppe_pages.reader.overview import AREA_SECTIONS_FROM, area_sections
from faggruppe_pages.wiring import address_for_ids
from governance import compliance
from governance.models import (
    CLOSED_STATUSES,
    Benefit,
    Mandate,
    Measure,
    Meeting,
    Proposal,
    Realisation,
    StatusReport,
    pick_mandate,
)
from governance.reader import charts
from governance.reader.work import BenefitSummary, benefit_progress

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class MeasureAtYearEnd:
    measure: Measure
    status: StatusReport | None


@dataclass
class BenefitInYear:
    benefit: Benefit
    progress: object  # work.BenefitProgress, counting realisations up to the year's end
    in_year: Realisation | None  # the latest total realisation dated in the year

    @property
    def baseline_text(self):
        b = self.benefit
        return charts.format_amount(b.baseline_value, b.unit) if b.baseline_value is not None else ""

    @property
    def target_text(self):
        b = self.benefit
        return charts.format_amount(b.target_value, b.unit) if b.target_value is not None else ""

    @property
    def realised_text(self):
        return charts.format_amount(self.in_year.value, self.benefit.unit) if self.in_year else ""


@dataclass
class GroupYear:
    group: GroupPage
    members: list = field(default_factory=list)
    joined: list = field(default_factory=list)
    left: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    mandate: Mandate | None = None
    measures: list = field(default_factory=list)
    benefits: list = field(default_factory=list)
    benefit_summary: BenefitSummary = field(default_factory=BenefitSummary)
    proposals: list = field(default_factory=list)
    findings: list = field(default_factory=list)

    @property
    def meetings_held(self):
        return len(self.meetings)

    @property
    def meetings_min(self):
        return self.mandate.meetings_per_year_min if self.mandate else None

    @property
    def meetings_max(self):
        return self.mandate.meetings_per_year_max if self.mandate else None

    @property
    def meetings_rule_set(self):
        return self.meetings_min is not None or self.meetings_max is not None

    @property
    def meetings_verdict(self):
        """ "below", "above", "within" or "" when the group decides itself."""
        if not self.meetings_rule_set:
            return ""
        if self.meetings_min is not None and self.meetings_held < self.meetings_min:
            return "below"
        if self.meetings_max is not None and self.meetings_held > self.meetings_max:
            return "above"
        return "within"


@dataclass
class YearlyReport:
    year: int
    first: datetime.date
    last: datetime.date
    #: The day "at the year's end" stands for: 31 December, or today while the year runs.
    as_of: datetime.date
    generated_at: datetime.datetime
    groups: list = field(default_factory=list)

    @property
    def is_current(self):
        return self.as_of < self.last


def check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def report_days(year, today=None):
    """The year's first and last day, and the day the report's state is of: its last, or today while it runs."""
    check_year(year)
    today = today or timezone.localdate()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return first, last, max(first, min(last, today))


def build_yearly_report(year, groups=None, today=None):
    """The report's data for ``year``: every live group (path order) or ``groups``, in a fixed number of queries."""
    first, last, as_of = report_days(year, today)
    if groups is None:
        groups = list(GroupPage.objects.live().order_by("path"))
    ids = [g.pk for g in groups]
    entries = {g.pk: GroupYear(group=g) for g in groups}

    # Members: every seat that overlaps the year.
    memberships = (
        Membership.objects.filter(group_id__in=ids, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("person", "represents")
        .order_by("represents__name", "person__name", "start_date")
    )
    for m in memberships:
        entry = entries[m.group_id]
        if m.is_active_on(as_of):
            entry.members.append(m)
        if first <= m.start_date <= as_of:
            entry.joined.append(m)
        if m.end_date and first <= m.end_date <= as_of:
            entry.left.append(m)

    # Meetings held in the year, and the mandate in force at its end.
    for meeting in (
        Meeting.objects.for_readers().held_between(first, last).filter(group_id__in=ids).order_by("starts_at")
    ):
        entries[meeting.group_id].meetings.append(meeting)
    mandates = list(Mandate.objects.valid_on(as_of).defer("text"))
    for entry in entries.values():
        entry.mandate = pick_mandate(mandates, entry.group)

    # Measures and their status at the year's end (reports after the year are never looked at).
    reports_in_time = Prefetch(
        "status_reports",
        queryset=StatusReport.objects.filter(date__lte=last).order_by("-date", "-pk"),
        to_attr="reports_until_year_end",
    )
    measures = (
        Measure.objects.for_readers()
        .filter(group_id__in=ids)
        .filter(Q(start_date__lte=last) | Q(start_date__isnull=True, created_at__date__lte=last))
        .select_related("owner")
        .prefetch_related(reports_in_time)
        .order_by("start_date", "title")
    )
    listed = set()
    for measure in measures:
        status = measure.reports_until_year_end[0] if measure.reports_until_year_end else None
        if status and status.status in CLOSED_STATUSES and status.date < first:
            continue  # finished before the year began
        listed.add(measure.pk)
        entries[measure.group_id].measures.append(MeasureAtYearEnd(measure=measure, status=status))

    # Benefits of those measures: the latest realisation in the year, against baseline and target.
    realisations_in_time = Prefetch("realisations", queryset=Realisation.objects.filter(date__lte=last))
    for benefit in (
        Benefit.objects.for_readers()
        .filter(measure_id__in=listed)
        .select_related("measure")
        .prefetch_related(realisations_in_time)
        .order_by("measure__title", "pk")
    ):
        progress = benefit_progress(benefit, as_of, until=last)
        in_year = [r for r in progress.totals if r.date >= first]
        entry = entries[benefit.measure.group_id]
        entry.benefits.append(
            BenefitInYear(benefit=benefit, progress=progress, in_year=in_year[-1] if in_year else None)
        )
        entry.benefit_summary.add(progress)

    # Proposals sent in the year and their outcome.
    for proposal in (
        Proposal.objects.for_readers()
        .filter(group_id__in=ids, submitted_on__gte=first, submitted_on__lte=last)
        .select_related("to_body")
        .order_by("submitted_on", "pk")
    ):
        entries[proposal.group_id].proposals.append(proposal)

    # Compliance at the year's end.
    for result in compliance.check_all(as_of, groups=groups):
        entries[result.group.pk].findings = sorted(result.findings, key=lambda f: f.sort_key)

    return YearlyReport(
        year=year,
        first=first,
        last=last,
        as_of=as_of,
        generated_at=timezone.localtime(),
        groups=[entries[g.pk] for g in groups],
    )


# -- views ----------------------------------------------------------------------------------------------------
def report_title(year, group=None):
    if group is None:
        return _("Yearly report %(year)s – the groups") % {"year": year}
    return _("Yearly report %(year)s – %(group)s") % {"year": year, "group": group.title}


def report_filename(year, group=None):
    return f"arsrapport-{year}-{group.slug}.pdf" if group else f"arsrapport-{year}.pdf"


@require_safe
def yearly_reports(request):
    today = timezone.localdate()
    chosen = request.GET.get("ar", "").strip()
    error = ""
    if chosen:
        if chosen.isdigit() and FIRST_YEAR <= int(chosen) <= LAST_YEAR:
            return redirect("governance_yearly_report", year=int(chosen))
        error = _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    years = [today.year - 1, today.year]
    return TemplateResponse(
        request,
        "governance/reader/report/index.html",
        {
            "years": years,
            "groups": list(GroupPage.objects.live().order_by("path")),
            "last_year": today.year - 1,
            "chosen": chosen,
            "error": error,
            "first_year": FIRST_YEAR,
            "last_allowed": LAST_YEAR,
        },
    )


def live_group(group):
    return get_object_or_404(GroupPage.objects.live(), pk=group)


def link_people(report, request):
    """On the report's page (not the PDF), each member's name links to their person page: decided at once."""
    Person.mark_pages([m.person for g in report.groups for m in g.members + g.joined + g.left], request=request)
    return report


def report_context(report, group=None):
    return {
        "report": report,
        "group": group,
        "title": report_title(report.year, group),
        "title_css": css_string(report_title(report.year, group)),
        "generated": report.generated_at,
    }


def report_contents(year):
    """The report's contents per fagområde when there are many faggrupper (more than ``AREA_SECTIONS_FROM``, as
    /faggrupper/ groups them): ``area_sections`` of the live faggrupper, each with ``report_url`` (its own report
    page) and ``subgroups`` (its live arbeidsgrupper, the same), or None for a report of fewer groups, which the
    page shows whole. One query; at 900 groups the whole report as one page took seconds and was no page to read.
    """
    rows = GroupPage.objects.live().order_by("path").values("pk", "path", "title", "faggruppepage__area")
    report_url = address_for_ids(lambda pk: reverse("governance_group_yearly_report", args=[year, pk]))
    groups = [
        SimpleNamespace(
            pk=row["pk"],
            path=row["path"],
            title=row["title"],
            area=row["faggruppepage__area"],
            report_url=report_url(row["pk"]),
            subgroups=[],
        )
        for row in rows
    ]
    by_path = {g.path: g for g in groups}
    tops = []
    for g in groups:
        parent = by_path.get(g.path[: -GroupPage.steplen])
        if parent is None:
            tops.append(g)
        else:  # an arbeidsgruppe, under its faggruppe
            parent.subgroups.append(g)
    if len(tops) <= AREA_SECTIONS_FROM:
        return None
    for g in tops:
        g.subgroups.sort(key=lambda sub: sub.title.casefold())
    return {"sections": area_sections(tops), "group_count": len(groups)}


@require_safe
@cached_view
def yearly_report(request, year):
    check_year(year)
    contents = report_contents(year)
    if contents is not None:
        first, last, as_of = report_days(year)
        report = YearlyReport(year=year, first=first, last=last, as_of=as_of, generated_at=timezone.now())
        return TemplateResponse(
            request, "governance/reader/report/report.html", {**report_context(report), "contents": contents}
        )
    report = link_people(build_yearly_report(year), request)
    return TemplateResponse(request, "governance/reader/report/report.html", report_context(report))


#: The yearly report of all groups as a stored download (registered in governance/apps.py).
STORED_KIND = "arsrapport"


def yearly_report_pdf_content(year, request=None):
    """The yearly report of every live group as the bytes of a PDF."""
    report = build_yearly_report(year)
    return render_pdf("governance/reader/report/pdf.html", report_context(report), request)


def build_stored_report(*, year):
    """The task worker's side of ``yearly_report_pdf``."""
    return yearly_report_pdf_content(year)


def report_is_large():
    """More active seats in live groups than a request may lay out (``FAGGRUPPE_EXPORT_INLINE_MAX_SEATS``, the
    whole overview's threshold): the report's length grows with its members, and its meetings and measures with
    its groups."""
    seats = Membership.objects.filter(group__live=True).active_on().count()
    return seats > conf.export_inline_max_seats()


@require_safe
def yearly_report_pdf(request, year):
    """Stored, built now, or (large data) built by the task worker while the reader waits on "Filen lages nå"."""
    check_year(year)
    report_url = reverse("governance_yearly_report", args=[year])
    title = report_title(year)
    return background.stored_export(
        request,
        kind=STORED_KIND,
        params={"year": year},
        scope=year,
        fmt="pdf",
        content_type=PDF_TYPE,
        filename=report_filename(year),
        is_large=report_is_large,
        build_now=lambda: yearly_report_pdf_content(year, request),
        pending={
            "document": _("the yearly report %(year)s") % {"year": year},
            "breadcrumbs": [(reverse("governance_yearly_reports"), _("Yearly reports")), (report_url, title)],
            "back_url": report_url,
            "back_label": _("Back to the yearly report"),
        },
    )


@require_safe
@cached_view
def group_yearly_report(request, year, group):
    check_year(year)
    page = live_group(group)
    report = link_people(build_yearly_report(year, groups=[page]), request)
    return TemplateResponse(request, "governance/reader/report/report.html", report_context(report, page))


@require_safe
def group_yearly_report_pdf(request, year, group):
    check_year(year)
    page = live_group(group)
    report = build_yearly_report(year, groups=[page])
    content = render_pdf("governance/reader/report/pdf.html", report_context(report, page), request)
    return download(content, PDF_TYPE, report_filename(year, page))


urlpatterns = [
    path("arsrapport/", yearly_reports, name="governance_yearly_reports"),
    path("arsrapport/<int:year>/", yearly_report, name="governance_yearly_report"),
    path("arsrapport/<int:year>/pdf/", yearly_report_pdf, name="governance_yearly_report_pdf"),
    path("arsrapport/<int:year>/gruppe/<int:group>/", group_yearly_report, name="governance_group_yearly_report"),
    path(
        "arsrapport/<int:year>/gruppe/<int:group>/pdf/",
        group_yearly_report_pdf,
        name="governance_group_yearly_report_pdf",
    ),
]
