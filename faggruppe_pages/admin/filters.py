"""Filter sets for the admin listings."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from faggruppe_pages.models import GroupPage, Membership, Organisation, OrganisationKind, Person, Role
from faggruppe_pages.predicates import active_on_q


class MembershipFilterSet(WagtailFilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=GroupPage.objects.order_by("path"))
    represents = django_filters.ModelChoiceFilter(label=_("Represents"), queryset=Organisation.objects.all())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    active = django_filters.ChoiceFilter(
        label=_("Active"),
        choices=[("yes", _("Active now")), ("no", _("Ended or not yet started"))],
        method="filter_active",
    )

    class Meta:
        model = Membership
        fields = ["group", "represents", "role", "active"]

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        active = active_on_q(today)
        if value == "yes":
            return queryset.filter(active)
        if value == "no":
            return queryset.exclude(active)
        return queryset


class PersonFilterSet(WagtailFilterSet):
    employer = django_filters.ModelChoiceFilter(label=_("Employer"), queryset=Organisation.objects.all())

    class Meta:
        model = Person
        fields = ["employer"]


class OrganisationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["kind"]
