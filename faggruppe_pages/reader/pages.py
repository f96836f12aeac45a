"""The overview page and the group pages themselves: what each shows a reader (their index routes).

The page models route ``""`` here by name (faggruppe_pages/wiring.py). Each view builds the page's
context once (``Page.get_context`` plus what the page shows) and renders the page's own template,
as ``Page.serve`` would; Wagtail's preview takes the same path.
"""

from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppePage, Membership, Person, Role
from faggruppe_pages.models.pages import GROUP_PAGE_MANDATE_HOOK, GROUP_PAGE_SECTIONS_HOOK, GROUP_PAGE_SUMMARY_HOOK
from faggruppe_pages.predicates import due_on, is_overdue, list_is_overdue
from faggruppe_pages.reader.exports import FORMATS
from faggruppe_pages.upkeep.privacy import mark_memberships
from faggruppe_pages.upkeep.seat_rules import rules_for
from faggruppe_pages.wiring import page_view

#: Links at the top of the overview page: (route name, label).
OVERVIEW_LINKS = (
    ("member_overview", _("Member overview")),
    ("representation_index", _("Where are we represented?")),
    ("my_groups", _("My groups")),
)


@page_view("faggruppe_index")
def faggruppe_index(index, request):
    """/faggrupper/: the groups with their member counts and leaders, and links to the overviews."""
    groups = list(FaggruppePage.objects.child_of(index).live().order_by("title"))
    active = Membership.objects.filter(group__in=[g.pk for g in groups]).active_on(timezone.localdate())
    # Count in the database and fetch only the leaders: the overview must not
    # build every membership of every group (see `make bench`).
    counts = dict(active.order_by().values("group_id").annotate(n=Count("pk")).values_list("group_id", "n"))
    leaders = {m.group_id: m for m in active.filter(role=Role.LEADER).select_related("person", "represents")}
    for group in groups:
        group.member_count = counts.get(group.pk, 0)
        group.leader = leaders.get(group.pk)
    Person.mark_pages([m.person for m in leaders.values()], index=index, request=request)  # the leaders' links
    base = index.get_url(request) or ""
    context = index.get_context(request)
    context["groups"] = groups
    context["overview_links"] = [(base + index.reverse_subpage(name), label) for name, label in OVERVIEW_LINKS]
    return TemplateResponse(request, index.get_template(request), context)


@page_view("group_page")
def group_page(group, request):
    """A faggruppe's or arbeidsgruppe's page: its members now, coming and former, its rules and downloads."""
    today = timezone.localdate()
    parent = group.get_parent().specific
    memberships = Membership.objects.filter(group=group).for_display()
    members = list(memberships.active_on(today))
    upcoming = list(memberships.upcoming(today))
    former = list(memberships.ended_before(today).order_by("-end_date", "person__name"))
    mark_memberships(members + upcoming + former, today)  # whose contact details readers may see
    Person.mark_pages([m.person for m in members + upcoming + former], request=request)  # names link to their pages
    group_rules = rules_for([group], today)[group.pk]
    interval = group_rules.review_interval_days
    base = group.get_url(request) or ""  # None in a preview of a page not yet under a site
    for m in members:
        m.overdue = is_overdue(m.last_verified_at, interval, today)
        m.vcard_url = base + group.reverse_subpage("person_vcard", args=[m.person_id])
    list_verified_at = Membership.list_verified_at(members)
    context = group.get_context(request)  # page, self, request
    context |= {
        "members": members,
        "upcoming_members": upcoming,
        "former_members": former,
        "list_verified_at": list_verified_at,
        "subgroups": list(ArbeidsgruppePage.objects.child_of(group).live().order_by("title")),
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
