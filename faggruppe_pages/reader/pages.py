"""The overview page and the group pages themselves: what each shows a reader (their index routes).

The page models route ``""`` here by name (faggruppe_pages/wiring.py). Each view builds the page's
context once (``Page.get_context`` plus what the page shows) and renders the page's own template,
as ``Page.serve`` would; Wagtail's preview takes the same path.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from faggruppe_pages.models import ArbeidsgruppePage, GroupPage, Membership, Person, Role
from faggruppe_pages.models.pages import (
    GROUP_INDEX_MANDATE_HOOK,
    GROUP_PAGE_MANDATE_HOOK,
    GROUP_PAGE_SECTIONS_HOOK,
    GROUP_PAGE_SUMMARY_HOOK,
)
from faggruppe_pages.permissions import holds_no_grants
from faggruppe_pages.predicates import due_on, is_active_on, is_overdue, list_is_overdue
from faggruppe_pages.prepared import prepared
from faggruppe_pages.reader.exports import FORMATS
from faggruppe_pages.reader.overview import AREA_SECTIONS_FROM, area_sections, group_rows
from faggruppe_pages.texts import distinct_texts
from faggruppe_pages.upkeep.privacy import mark_annotated_memberships
from faggruppe_pages.upkeep.seat_rules import rules_for
from faggruppe_pages.wiring import page_view, subpage_address

#: Links at the top of the overview page: (route name, label).
OVERVIEW_LINKS = (
    ("member_overview", _("Member overview")),
    ("representation_index", _("Where are we represented?")),
    ("my_groups", _("My groups")),
)


@page_view("faggruppe_index")
def faggruppe_index(index, request):
    """/faggrupper/: the groups with their member counts, leaders and arbeidsgrupper, links to the overviews,
    and the mandate (from the add-on that keeps mandates, else the page's own field).

    One query for the groups, their member counts and leaders, whatever their number. With many faggrupper
    (more than ``AREA_SECTIONS_FROM``) they are grouped per fagområde in collapsed sections, one compact table
    each, instead of one long list of cards."""
    today = timezone.localdate()
    groups, subgroups = [], {}
    for group in index_groups(index, today, request):
        if group.depth == index.depth + 1:
            groups.append(group)
        else:  # an arbeidsgruppe: under its faggruppe (by tree path)
            subgroups.setdefault(group.path[: -GroupPage.steplen], []).append(group)
    for group in groups:
        group.subgroups = subgroups.get(group.path, [])
    base = index.get_url(request) or ""
    context = index.get_context(request)
    context["groups"] = groups
    context["area_sections"] = area_sections(groups) if len(groups) > AREA_SECTIONS_FROM else []
    context["today"] = today
    context["overview_links"] = [(base + index.reverse_subpage(name), label) for name, label in OVERVIEW_LINKS]
    context["mandate_sections"] = [
        html for fn in hooks.get_hooks(GROUP_INDEX_MANDATE_HOOK) if (html := fn(index, request, context))
    ]
    return TemplateResponse(request, index.get_template(request), context)


class SeatedPerson:
    """A leader as /faggrupper/ names them: ``person_link`` needs the name and the page address only."""

    def __init__(self, pk, name, anonymised_at):
        self.pk, self.name, self.anonymised_at = pk, name, anonymised_at

    def get_absolute_url(self):
        return self._page_url


def index_groups(index, today, request=None):
    """The live faggrupper and arbeidsgrupper below ``index`` (``GroupRow``: no page objects) by title, each
    faggruppe with ``member_count`` and ``leader`` (``person`` and ``represents.display_name``, or None). One
    query: the count and the leader's fields are subqueries, so no row is fetched or built per member."""
    active = Membership.objects.filter(group=OuterRef("pk")).active_on(today)
    count = active.order_by().values("group").annotate(n=Count("pk")).values("n")
    leader = active.filter(role=Role.LEADER).order_by("pk")
    fields = {
        "leader_person_id": "person_id",
        "leader_name": "person__name",
        "leader_anonymised_at": "person__anonymised_at",
        "leader_org_name": "represents__name",
        "leader_org_short_name": "represents__short_name",
    }
    queryset = (
        GroupPage.objects.live()
        .filter(depth__lte=index.depth + 2)
        .annotate(
            member_count=Subquery(count[:1]),
            **{name: Subquery(leader.values(field)[:1]) for name, field in fields.items()},
        )
    )
    groups = group_rows(index, request, queryset, ("purpose", "member_count", *fields), order_by="title")
    # A leader sits in a live group below the overview, so has a page unless anonymised: no query, and the
    # address from one reverse() rather than one per leader.
    person_url = subpage_address(index, "person_page", index.get_url(request) or "")
    for group in groups:
        group.member_count = group.member_count or 0
        group.leader = None
        if group.leader_person_id is not None:
            person = SeatedPerson(group.leader_person_id, group.leader_name, group.leader_anonymised_at)
            person._page_url = person_url(person.pk) if person.anonymised_at is None else ""
            represents = SimpleNamespace(display_name=group.leader_org_short_name or group.leader_org_name)
            group.leader = SimpleNamespace(person=person, represents=represents)
    return groups


#: More people than this who confirmed a list are counted rather than named.
MAX_CONFIRMERS_NAMED = 3


def confirmers(members):
    """Who confirmed the list's entries, for "confirmed … by …": up to MAX_CONFIRMERS_NAMED names, else their
    number (None: nobody known). Read from the seats' ``confirmer_*`` (``group_seats``), no query: the user's
    full name as ``User.get_full_name`` makes it, else their username."""
    names = sorted(
        {
            f"{m.confirmer_first_name} {m.confirmer_last_name}".strip() or m.confirmer_username
            for m in members
            if m.last_verified_at and m.last_verified_by_id
        }
    )
    if not names:
        return None
    return {"names": names if len(names) <= MAX_CONFIRMERS_NAMED else [], "count": len(names)}


#: What a group page never shows of a seat or its person, left out of its query (fewer columns
#: to read and convert). Reading one of them on a row would ask the database once per row: the page's tests count
#: its queries (tests/faggruppe_pages/test_group_page_queries.py).
UNSHOWN_SEAT_FIELDS = (
    "appointed_by",
    "appointment_reference",
    "note",
    "created_at",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawal_reason",
    "latest_revision",
    "person__latest_revision",
    "person__unit",
    "person__user",
    "represents__municipality_number",
    "represents__representatives_group",
)


@prepared
def group_seats(group_id, today):
    """Every seat of the group in the member list's order, each with its rank among the former ones (latest
    ended first) and annotated for ``mark_annotated_memberships``. Compiled once (prepared.py)."""
    return (
        Membership.objects.filter(group_id=group_id)
        .for_display()
        # Who confirmed each seat, as names rather than a User per row (``confirmers``).
        .annotate(
            confirmer_first_name=F("last_verified_by__first_name"),
            confirmer_last_name=F("last_verified_by__last_name"),
            confirmer_username=F(f"last_verified_by__{get_user_model().USERNAME_FIELD}"),
        )
        .with_contact_state(today)
        .annotate(former_rank=Window(RowNumber(), order_by=[F("end_date").desc(), F("person__name").asc()]))
        .defer(*UNSHOWN_SEAT_FIELDS)
    )


def group_memberships(group, today):
    """The group's current, coming and former seats (the member list's order; the former ones latest ended
    first), in one query, each row annotated for ``mark_annotated_memberships``."""
    rows = group_seats(group.pk, today)
    members = [m for m in rows if is_active_on(m.start_date, m.end_date, today)]
    upcoming = [m for m in rows if m.start_date > today]
    former = sorted((m for m in rows if m.end_date and m.end_date < today), key=lambda m: m.former_rank)
    return members, upcoming, former


@page_view("group_page")
def group_page(group, request):
    """A faggruppe's or arbeidsgruppe's page: its members now, coming and former, its rules and downloads."""
    today = timezone.localdate()
    parent = group.get_parent().specific
    holds_no_grants(request.user)  # a plain reader: the permission checks below and in the header ask nothing
    members, upcoming, former = group_memberships(group, today)
    mark_annotated_memberships(members + upcoming + former, today)  # whose contact details readers may see
    Person.mark_pages(  # names link to their pages
        [m.person for m in members + upcoming + former], request=request, seated_in=group
    )
    group_rules = rules_for([group], today)[group.pk]
    interval = group_rules.review_interval_days
    base = group.get_url(request) or ""  # None in a preview of a page not yet under a site
    vcard_url = subpage_address(group, "person_vcard", base)
    for m in members:
        m.overdue = is_overdue(m.last_verified_at, interval, today)
        m.vcard_url = vcard_url(m.person_id)
    list_verified_at = Membership.list_verified_at(members)
    # Say each text once: an arbeidsgruppe's purpose and assignment often say the same (texts.py).
    show_purpose, show_assignment = distinct_texts(group.purpose, getattr(group, "assignment", ""))
    context = group.get_context(request)  # page, self, request
    context |= {
        "members": members,
        "upcoming_members": upcoming,
        "former_members": former,
        "list_verified_at": list_verified_at,
        "list_confirmed_by": confirmers(members),
        "overdue_rows": sum(1 for m in members if m.overdue),
        "show_purpose": show_purpose,
        "show_assignment": show_assignment,
        "page_texts": [
            text
            for text, shown in ((group.purpose, show_purpose), (getattr(group, "assignment", ""), show_assignment))
            if shown
        ],
        # A page without children (every arbeidsgruppe, treebeard's numchild) has no subgroups to ask for.
        "subgroups": list(ArbeidsgruppePage.objects.child_of(group).live().order_by("title")) if group.numchild else [],
        "parent": parent,
        "mandate": group.get_mandate(parent),
        "today": today,
        "rules": group_rules,
        "list_due_on": due_on(list_verified_at, interval),
        "list_overdue": list_is_overdue([m.last_verified_at for m in members], interval, today),
        "downloads": [
            (base + group.reverse_subpage("member_export", args=[fmt]), label)
            for fmt, (_type, label) in FORMATS.items()
        ],
        "vcard_url": base + group.reverse_subpage("group_vcard"),
    }
    # Other add-ons' sections (models/pages.py names the slots); each sees the context built so far.
    for key, hook in (
        ("summary_sections", GROUP_PAGE_SUMMARY_HOOK),
        ("mandate_sections", GROUP_PAGE_MANDATE_HOOK),
        ("extra_sections", GROUP_PAGE_SECTIONS_HOOK),
    ):
        context[key] = [html for fn in hooks.get_hooks(hook) if (html := fn(group, request, context))]
    return TemplateResponse(request, group.get_template(request), context)
