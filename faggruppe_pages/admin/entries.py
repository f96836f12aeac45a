"""“Våre oppføringer”: every entry of the user's organisation across all groups, and “Alt stemmer”.

A representative sees their organisation's memberships (current and coming, and on
request the ended ones), the people it employs, and the recent
history of those entries; "Alt stemmer" (one POST) confirms every current membership
(``upkeep/confirmation.py``).
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
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry

from faggruppe_pages.models import Membership, Person
from faggruppe_pages.permissions import organisations_user_acts_for
from faggruppe_pages.upkeep.confirmation import verify_all

RECENT_CHANGES = 15


class OurEntriesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "faggruppe_pages/admin/our_entries.html"
    page_title = gettext_lazy("Our entries")
    header_icon = "group"

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

    def get_page_subtitle(self):
        return self.organisation.display_name

    def url(self, **params):
        return (
            reverse("faggruppe_pages_our_entries") + "?" + urlencode({"organisation": self.organisation.pk, **params})
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        include_ended = self.request.GET.get("ended") == "1"
        memberships = Membership.objects.filter(represents=self.organisation).select_related(
            "person", "group", "represents", "last_verified_by"
        )
        if not include_ended:
            memberships = memberships.not_ended(today)
        memberships = list(memberships.order_by("group__path", "role", "person__name"))
        people_policy = policy_registry.get_by_type(Person)
        people = list(
            people_policy.q_for_organisations
            and Person.objects.filter(people_policy.q_for_organisations({self.organisation.pk}))
            .select_related("employer")
            .order_by("name")
        )
        current = [m for m in memberships if m.is_active_on(today)]
        context.update(
            organisation=self.organisation,
            organisations=self.organisations,
            memberships=memberships,
            current_count=len(current),
            people=people,
            include_ended=include_ended,
            list_verified_at=Membership.list_verified_at(current),
            recent_changes=self.recent_changes(),
            today=today,
            toggle_ended_url=self.url(**({} if include_ended else {"ended": "1"})),
            membership_add_url=reverse("wagtailsnippets_faggruppe_pages_membership:add")
            + "?"
            + urlencode({"represents": self.organisation.pk}),
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
        count = verify_all(self.organisation, request.user)
        messages.success(
            request,
            _("Confirmed %(count)s entries for %(organisation)s. Thank you!")
            % {"count": count, "organisation": self.organisation.display_name},
        )
        return redirect(self.url())
