"""Reader pages and downloads below the faggruppe overview page (routes of its RoutablePageMixin).

/faggrupper/medlemsoversikt/              the groups × organisations matrix, ?organisasjon=<slug>
/faggrupper/medlemsoversikt/pdf|csv|xlsx/ the same, as a download
/faggrupper/representert/                 which organisation?   …/representert/<slug>/  "Hvor er Molde representert?"
/faggrupper/mine-grupper/                 the logged-in member's groups, roles and terms
/faggrupper/personer/<id>/                a person's page: groups now and earlier, contact details, vCard
/faggrupper/person/<id>/vcard/            a person's contact card
and on every group page: medlemmer/pdf|csv|xlsx/ and vcard/.

The whole site requires login (middleware); these views show what every employee may read.
"""

import functools
from datetime import timedelta

from django import forms
from django.db.models import OuterRef, Q
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks

from faggruppe_pages.models import Membership, Organisation, OrganisationKind, Person
from faggruppe_pages.models.memberships import ENDING_SOON_DAYS, contact_state_annotations
from faggruppe_pages.models.pages import MY_GROUPS_SECTIONS_HOOK
from faggruppe_pages.permissions import holds_no_grants, organisations_user_acts_for, represented_organisation_ids
from faggruppe_pages.reader import exports
from faggruppe_pages.reader.exports.background import overview_export
from faggruppe_pages.reader.overview import build_matrix, build_overview
from faggruppe_pages.reader.representation import representation as build_representation
from faggruppe_pages.upkeep.privacy import mark_annotated_person, mark_memberships
from faggruppe_pages.wiring import page_view


def read_only(view):
    """Reader pages and downloads answer GET and HEAD only."""

    @functools.wraps(view)
    def wrapper(page, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(page, request, *args, **kwargs)

    return wrapper


def subpage_url(page, request, name, *args):
    return page.get_url(request) + page.reverse_subpage(name, args=args)


def reader_organisations():
    """Organisations a reader can pick: today's participants and every union, municipalities first."""
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.UNION) | Q(pk__in=Organisation.objects.participants_on().values("pk"))
    ).order_by("kind", "name")


def reader_choices(organisations, today):
    """``reader_organisations`` picked from ``organisations`` already loaded (no query)."""
    return sorted(
        (o for o in organisations if o.kind == OrganisationKind.UNION or o.participates_on(today)),
        key=lambda o: (o.kind, o.name),
    )


class OverviewFilterForm(forms.Form):
    """The member overview's filter. ``organisations``: what the reader can pick (``reader_choices``), loaded
    by the view with the overview's own organisations, so the form asks the database nothing."""

    organisasjon = forms.TypedChoiceField(
        label=gettext_lazy("Municipality or organisation"),
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("There is no organisation “%(value)s” to filter by.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        by_slug = {o.slug: o for o in organisations}
        field = self.fields["organisasjon"]
        field.choices = [("", gettext_lazy("All"))] + [(o.slug, str(o)) for o in organisations]
        field.coerce = by_slug.get


def _export_links(base_url, query):
    suffix = f"?{urlencode(query)}" if query else ""
    return [
        {"format": fmt, "label": label, "url": f"{base_url}{fmt}/{suffix}"}
        for fmt, (_t, label) in exports.FORMATS.items()
    ]


def _check_format(fmt):
    if fmt is not None and fmt not in exports.FORMATS:
        raise Http404(_("There is no such download format."))


# -- the member overview ----------------------------------------------------------------------------------


@page_view("member_overview")
@read_only
def member_overview(index, request, fmt=None):
    """The matrix page, or with ``fmt`` its download (a bad filter shows the page with the error instead).

    The page is ``build_matrix``'s: with many groups, ordered per fagområde and paged (``?side=<n>``, a page
    that does not exist gives the first or the last page with a message). The downloads hold every group."""
    _check_format(fmt)
    today = timezone.localdate()
    organisations = list(Organisation.objects.order_by("name"))
    form = OverviewFilterForm(request.GET or None, organisations=reader_choices(organisations, today))
    organisation = form.cleaned_data["organisasjon"] if form.is_valid() else None
    if fmt is not None and not form.errors:
        # Stored, built now or built by the task worker: reader/exports/background.py.
        return overview_export(index, request, fmt, organisation)
    number, page_error = page_number(request.GET.get(PAGE_PARAMETER))
    matrix = build_matrix(
        index, request, organisation=organisation, organisations=organisations, page=number, day=today
    )
    if matrix.past_last:
        page_error = past_last_page(matrix.page_count)
    query = {"organisasjon": organisation.slug} if organisation else {}
    context = {
        "page": index,
        "overview": matrix,
        "form": form,
        "organisation": organisation,
        "page_error": page_error,
        "pages": page_links(matrix, query),
        "exports": _export_links(subpage_url(index, request, "member_overview"), query),
        "representation_url": (
            subpage_url(index, request, "representation", organisation.slug) if organisation else None
        ),
    }
    return TemplateResponse(
        request, "faggruppe_pages/reader/member_overview.html", context, status=400 if form.errors else 200
    )


#: The member overview's page parameter.
PAGE_PARAMETER = "side"


def page_number(raw):
    """(page number, message or None) from the ``side`` parameter: anything but a whole number from 1 on gives
    the first page and says so."""
    if raw is None or raw == "":
        return 1, None
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1:
        return int(raw), None
    return 1, _("There is no page “%(value)s”. Showing the first page instead.") % {"value": raw[:20]}


def past_last_page(page_count):
    """What a paged list says when asked for a page past its last."""
    return ngettext(
        "There is only %(count)s page. Showing it instead.",
        "There are only %(count)s pages. Showing the last one instead.",
        page_count,
    ) % {"count": page_count}


def page_links(matrix, query):
    """A paged list's navigation (the matrix, or where an organisation is represented): previous, every page
    number, next, and where each fagområde starts (each keeping the filter ``query``)."""
    if not matrix.paged:
        return None

    def url(number):
        return "?" + urlencode({**query, PAGE_PARAMETER: number})

    return {
        "previous": url(matrix.number - 1) if matrix.number > 1 else None,
        "next": url(matrix.number + 1) if matrix.number < matrix.page_count else None,
        "numbers": [(n, url(n), n == matrix.number) for n in matrix.page_numbers],
        "areas": [(section.label, url(number) + "#" + section.key) for section, number in matrix.area_pages],
    }


@page_view("group_export")
@read_only
def group_export(group, request, fmt):
    _check_format(fmt)
    return exports.overview_download(build_overview(group=group), fmt, request)


# -- "Hvor er Molde representert?" --------------------------------------------------------------------------


@page_view("representation_index")
@read_only
def representation_index(index, request):
    organisations = list(reader_organisations())
    own = set(represented_organisation_ids(request.user))
    for org in organisations:
        org.url = subpage_url(index, request, "representation", org.slug)
        org.is_own = org.pk in own
    today = timezone.localdate()
    former = [
        org
        for org in Organisation.objects.exclude(kind=OrganisationKind.UNION).select_related("merged_into")
        if is_former(org, today)
    ]
    for org in former:
        org.url = subpage_url(index, request, "representation", org.slug)
    return TemplateResponse(
        request,
        "faggruppe_pages/reader/representation_index.html",
        {
            "page": index,
            "organisations": organisations,
            "own": [o for o in organisations if o.is_own],
            "former": former,
        },
    )


def is_former(organisation, today):
    """Left the cooperation before ``today``, or merged into another organisation with no end date given."""
    if organisation.member_to is not None:
        return organisation.member_to < today
    return organisation.merged_into_id is not None


@page_view("representation")
@read_only
def representation(index, request, slug):
    organisation = Organisation.objects.filter(slug=slug).select_related("merged_into").first()
    if organisation is None:
        raise Http404(_("There is no organisation with this address."))
    today = timezone.localdate()
    if is_former(organisation, today):
        return former_organisation(index, request, organisation)
    number, page_error = page_number(request.GET.get(PAGE_PARAMETER))
    found = build_representation(index, organisation, page=number, request=request, day=today)
    if found.past_last:
        page_error = past_last_page(found.page_count)
    overview_url = subpage_url(index, request, "member_overview")
    context = {
        "page": index,
        "organisation": organisation,
        "representation": found,
        "page_error": page_error,
        "pages": page_links(found, {}),
        "entries": found.entries,
        "gaps": found.gaps,
        "surplus": found.surplus,
        "seat_count": len(found.seats),
        "group_count": found.group_count,
        "overdue_count": found.overdue_count,
        "ending": found.ending,
        "ending_days": ENDING_SOON_DAYS,
        # The overview's filter (and so its downloads) offers today's participants and the unions only.
        "exports": (
            _export_links(overview_url, {"organisasjon": organisation.slug})
            if organisation.kind == OrganisationKind.UNION or organisation.participates_on(today)
            else []
        ),
        "overview_url": overview_url + "?" + urlencode({"organisasjon": slug}),
        "index_url": subpage_url(index, request, "representation_index"),
        "can_manage": organisations_user_acts_for(request.user).filter(pk=organisation.pk).exists(),
        "our_entries_url": reverse("faggruppe_pages_our_entries") + "?" + urlencode({"organisation": organisation.pk}),
    }
    return TemplateResponse(request, "faggruppe_pages/reader/representation.html", context)


def former_organisation(index, request, organisation):
    """A merged or former organisation: since when it is no longer a member, its successor, its earlier seats.

    No downloads: the overview and its exports show today's participants only.
    """
    seats = list(
        Membership.objects.filter(represents=organisation, group__live=True, group__path__startswith=index.path)
        .select_related("group", "person")
        .order_by("group__title", "start_date", "person__name")
    )
    successor = organisation.merged_into
    context = {
        "page": index,
        "organisation": organisation,
        "left_on": organisation.member_to,
        "member_since_end": organisation.member_to + timedelta(days=1) if organisation.member_to else None,
        "successor": successor,
        "successor_url": subpage_url(index, request, "representation", successor.slug) if successor else None,
        "seats": seats,
        "index_url": subpage_url(index, request, "representation_index"),
    }
    return TemplateResponse(request, "faggruppe_pages/reader/former_organisation.html", context)


# -- "Mine grupper" -----------------------------------------------------------------------------------------


@page_view("my_groups")
@read_only
def my_groups(index, request):
    today = timezone.localdate()
    person = Person.objects.filter(user=request.user).select_related("employer").first()
    current, upcoming, former = [], [], []
    if person is not None:
        memberships = (
            Membership.objects.filter(person=person, group__live=True)
            .select_related("group", "represents")
            .order_by("group__title", "-start_date")
        )
        for m in memberships:
            if m.start_date > today:
                upcoming.append(m)
            elif m.end_date is not None and m.end_date < today:
                former.append(m)
            else:
                current.append(m)
    Person.mark_pages([person], index=index, request=request)  # the own name links to the own person page
    own = list(Organisation.objects.filter(pk__in=represented_organisation_ids(request.user)).order_by("name"))
    for org in own:
        org.url = subpage_url(index, request, "representation", org.slug)
    context = {
        "page": index,
        "person": person,
        "current": current,
        "upcoming": upcoming,
        "former": sorted(former, key=lambda m: m.end_date, reverse=True),
        "represented": own,
        # The card is served for people on a member list only.
        "vcard_url": subpage_url(index, request, "person_vcard", person.pk) if current or upcoming or former else None,
        "today": today,
        "extra_sections": [
            html for fn in hooks.get_hooks(MY_GROUPS_SECTIONS_HOOK) if (html := fn(request, person, current + upcoming))
        ],
    }
    return TemplateResponse(request, "faggruppe_pages/reader/my_groups.html", context)


# -- person pages -------------------------------------------------------------------------------------------

#: The largest id a route may ask for: an integer column's range (a larger number is no person, never a 500).
MAX_ID = 2**31 - 1


@page_view("person_page")
@read_only
def person_page(index, request, pk):
    """/faggrupper/personer/<id>/: whom a person is, the groups they sit and sat in, and how to reach them.

    Only someone who sits or sat in a published group below the overview page has a page (the scope of the
    vCard), and never an anonymised person. Contact details follow the member lists' rules (upkeep/privacy.py):
    the phone only where the person allows it, nothing once a former member's retention time has run out.
    Two queries of its own (the person with their contact state, the seats), whatever the number of seats."""
    today = timezone.localdate()
    holds_no_grants(request.user)  # a plain reader: the header's permission check asks nothing
    person = None
    if pk <= MAX_ID:
        person = (
            Person.objects.select_related("employer")
            .filter(pk=pk, anonymised_at__isnull=True)
            .annotate(**contact_state_annotations(OuterRef("pk"), today))
            .first()
        )
    seats = []
    if person is not None:
        seats = list(
            Membership.objects.visible_below(index)
            .filter(person=person)
            .select_related("group", "represents")
            .order_by("group__title", "-start_date")
        )
    if not seats:
        raise Http404(_("There is no such person on the member lists."))
    mark_annotated_person(person, person.person_still_open, person.person_last_end, today)
    current = [m for m in seats if m.is_active_on(today)]
    upcoming = sorted((m for m in seats if m.start_date > today), key=lambda m: m.start_date)
    former = sorted(
        (m for m in seats if m.end_date is not None and m.end_date < today), key=lambda m: m.end_date, reverse=True
    )
    context = {
        "page": index,
        "person": person,
        "current": current,
        "upcoming": upcoming,
        "former": former,
        "organisation_url": subpage_url(index, request, "representation", person.employer.slug),
        "vcard_url": subpage_url(index, request, "person_vcard", person.pk),
        "today": today,
    }
    return TemplateResponse(request, "faggruppe_pages/reader/person.html", context)


# -- vCards ---------------------------------------------------------------------------------------------------


@page_view("person_vcard")
@read_only
def person_vcard(scope, request, pk):
    """Anyone who sits or sat in a published group at or below ``scope`` (the overview or a group page)."""
    person = Person.objects.select_related("employer").filter(pk=pk).first()
    today = timezone.localdate()
    visible = (
        Membership.objects.visible_below(scope)
        .filter(person_id=pk)
        .select_related("group", "represents")
        .order_by("group__title")
    )
    seats = list(visible)
    if person is None or not seats:
        raise Http404(_("There is no such person on the member lists."))
    active = [m for m in seats if m.is_active_on(today)]
    return exports.download(
        exports.person_vcard(person, active), exports.VCARD_TYPE, exports.vcard_filename(person.name)
    )


@page_view("group_vcard")
@read_only
def group_vcard(group, request):
    members = list(
        Membership.objects.filter(group=group).active_on().for_display().select_related("group", "person__employer")
    )
    mark_memberships(members)
    return exports.download(
        exports.group_vcards(group, members), exports.VCARD_TYPE, exports.vcard_filename(group.title)
    )
