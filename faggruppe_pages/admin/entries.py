"""“Våre oppføringer”: the organisation's work list across all groups.

A representative sees their organisation's entries (current and coming, and on request the ended
ones), each marked overdue / never confirmed / ending soon / coming, the groups where the
organisation has nobody (gaps, with a pre-filled "add" link), the people it employs, and the recent
history of those entries. They confirm one row, the selected rows, or everything ("Alt stemmer"),
and filter by group and status. The marks come from ``upkeep/worklist.py``, confirming from
``upkeep/confirmation.py``.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry

from faggruppe_pages.admin.boundary import parse_id
from faggruppe_pages.models import Membership, Person
from faggruppe_pages.permissions import organisations_user_acts_for
from faggruppe_pages.upkeep import worklist
from faggruppe_pages.upkeep.confirmation import verify

RECENT_CHANGES = 15


#: The status filter: value -> (label, which entries it keeps).
STATUS_FILTERS = {
    "due": (gettext_lazy("Needs confirming"), lambda entry: entry.due),
    worklist.OVERDUE: (gettext_lazy("Overdue"), lambda entry: worklist.OVERDUE in entry.statuses),
    worklist.NEVER: (gettext_lazy("Never confirmed"), lambda entry: worklist.NEVER in entry.statuses),
    worklist.ENDING: (gettext_lazy("Ending within 30 days"), lambda entry: worklist.ENDING in entry.statuses),
    worklist.COMING: (gettext_lazy("Coming"), lambda entry: worklist.COMING in entry.statuses),
}


def our_entries_url(organisation, **params):
    """Våre oppføringer of ``organisation``, with the filters in ``params`` that have a value."""
    params = {key: value for key, value in params.items() if value}
    return reverse("faggruppe_pages_our_entries") + "?" + urlencode({"organisation": organisation.pk, **params})


def add_seat_url(organisation, group=None):
    """The membership form, pre-filled with the organisation (and the group of a gap)."""
    params = {"group": group.pk} if group is not None else {}
    return (
        reverse("wagtailsnippets_faggruppe_pages_membership:add")
        + "?"
        + urlencode({**params, "represents": organisation.pk})
    )


class OrganisationMixin:
    """The organisation worked on: one the user acts for (the first when none is asked for); any other
    organisation, typed or forged, is refused before the view runs."""

    def dispatch(self, request, *args, **kwargs):
        self.organisations = list(organisations_user_acts_for(request.user))
        if not self.organisations:
            raise PermissionDenied
        wanted = request.POST.get("organisation") or request.GET.get("organisation")
        chosen = [o for o in self.organisations if str(o.pk) == wanted]
        if wanted and not chosen:
            raise PermissionDenied  # someone else's organisation, typed or forged
        self.organisation = chosen[0] if chosen else self.organisations[0]
        return super().dispatch(request, *args, **kwargs)


class OurEntriesView(OrganisationMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "faggruppe_pages/admin/our_entries.html"
    page_title = gettext_lazy("Our entries")
    header_icon = "clipboard-list"

    def get_page_subtitle(self):
        return self.organisation.display_name

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def url(self, **params):
        return our_entries_url(self.organisation, **params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        work = worklist.organisations_work([self.organisation], today)[0]
        status = self.request.GET.get("status", "")
        status = status if status in STATUS_FILTERS or status == "gap" else ""
        group_id = parse_id(self.request.GET.get("group", ""))
        groups = {entry.membership.group_id: entry.membership.group for entry in work.entries}
        groups.update({gap.group.pk: gap.group for gap in work.gaps})
        current = [entry.membership for entry in work.entries if worklist.COMING not in entry.statuses]
        entries = work.entries
        gaps = work.gaps
        if group_id is not None:
            entries = [entry for entry in entries if entry.membership.group_id == group_id]
            gaps = [gap for gap in gaps if gap.group.pk == group_id]
        if status == "gap":
            entries = []
        elif status:
            entries = [entry for entry in entries if STATUS_FILTERS[status][1](entry)]
            gaps = []
        include_ended = self.request.GET.get("ended") == "1"
        ended = []
        if include_ended:
            ended = list(
                Membership.objects.filter(represents=self.organisation)
                .ended_before(today)
                .select_related("person", "group", "last_verified_by")
                .order_by("group__path", "role", "person__name")
            )
        people_policy = policy_registry.get_by_type(Person)
        people = list(
            Person.objects.filter(people_policy.q_for_organisations({self.organisation.pk}))
            .select_related("employer")
            .order_by("name")
        )
        context.update(
            organisation=self.organisation,
            organisations=self.organisations,
            work=work,
            entries=entries,
            gaps=[(gap, add_seat_url(self.organisation, gap.group)) for gap in gaps],
            ended=ended,
            include_ended=include_ended,
            due_count=len(work.due),
            current_count=len(current),
            list_verified_at=Membership.list_verified_at(current),
            people=people,
            recent_changes=self.recent_changes(),
            today=today,
            status=status,
            status_choices=[(key, label) for key, (label, _keep) in STATUS_FILTERS.items()]
            + [("gap", _("Groups without a representative"))],
            group_id=group_id,
            group_choices=sorted(groups.values(), key=lambda g: g.path),
            filtered=bool(status or group_id is not None),
            toggle_ended_url=self.url(status=status, group=group_id, **({} if include_ended else {"ended": "1"})),
            clear_filters_url=self.url(),
            membership_add_url=add_seat_url(self.organisation),
            person_add_url=reverse("wagtailsnippets_faggruppe_pages_person:add"),
        )
        return context

    def recent_changes(self):
        """The latest audit-log entries of this organisation's memberships (withdrawn ones too: "Trukket
        tilbake" belongs to the history) and people."""
        membership_ids = (
            Membership.all_objects.filter(represents=self.organisation)
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        person_policy = policy_registry.get_by_type(Person)
        person_ids = (
            Person.objects.filter(person_policy.q_for_organisations({self.organisation.pk}))
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        types = ContentType.objects.get_for_models(Membership, Person)
        return list(
            ModelLogEntry.objects.filter(
                Q(content_type=types[Membership], object_id__in=membership_ids)
                | Q(content_type=types[Person], object_id__in=person_ids)
            )
            .select_related("user", "content_type")
            .order_by("-timestamp", "-pk")[:RECENT_CHANGES]
        )

    def post(self, request, *args, **kwargs):
        """Confirm everything ("confirm=all"), or the entries named by ``entry`` (the ticked rows, or the one
        row whose button was pressed). Ids of other organisations' entries confirm nothing."""
        if request.POST.get("confirm") == "all":
            ids = None
        else:
            ids = {pk for pk in map(parse_id, request.POST.getlist("entry")) if pk is not None}
            if not ids:
                messages.warning(request, _("Tick the entries you want to confirm first."))
                return redirect(self.url(status=request.POST.get("status"), group=request.POST.get("group")))
        count = verify(self.organisation, request.user, ids=ids)
        if count:
            messages.success(
                request,
                ngettext(
                    "Confirmed %(count)s entry for %(organisation)s. Thank you!",
                    "Confirmed %(count)s entries for %(organisation)s. Thank you!",
                    count,
                )
                % {"count": count, "organisation": self.organisation.display_name},
            )
        else:
            messages.warning(request, _("Nothing was confirmed: only current entries can be confirmed."))
        return redirect(self.url(status=request.POST.get("status"), group=request.POST.get("group")))
