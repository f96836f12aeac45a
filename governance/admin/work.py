"""The admin for a group's work: "Gruppearbeid" with Møter, Tiltak, Gevinster and Forslag.

Who may do what is ``governance.permissions`` (one policy per model, registered here first, before any view
looks a policy up). The views are faggruppe_pages' guarded snippet views (``admin/guards.py``): every
per-object view asks the policy for that very row, every listing is filtered by it, autosave is off. The
forms (``admin/forms.py``) limit every field that points at another row by the boundary rules registered
here, inline rows included. The state transitions (``admin/transitions.py``) are POST views under each
viewset, offered as header buttons on the edit and inspect views to users allowed to use them.

The viewsets have their own URL namespaces (``gruppearbeid_meeting`` …, under ``/admin/gruppearbeid/``):
governance's other snippets (mandates) and its choosers stay staff only by name (``admin/access.py``),
while group members reach these.
"""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from faggruppe_pages.admin.boundary import BOUNDARY_RULES_HOOK
from faggruppe_pages.admin.guards import (
    GuardedCreateView,
    GuardedDeleteView,
    GuardedEditView,
    GuardedInspectView,
    GuardedSnippetViewSet,
    QueryPrefillMixin,
)
from faggruppe_pages.models import GroupPage, Membership
from governance.admin import transitions
from governance.admin.forms import BoundedInlinePanel, GroupWorkForm, boundary_rules
from governance.models import (
    AttendanceStatus,
    Benefit,
    GoverningBody,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
)
from governance.permissions import MEMBER, POLICIES, group_ids_for, is_work_staff, policy_for

SELECT = forms.Select


# -- filters -------------------------------------------------------------------------------------------------------
def visible_groups(request):
    """The groups a listing's filter offers: the user's own groups; for staff, every group."""
    if request is None:
        return GroupPage.objects.none()
    user = request.user
    if any(is_work_staff(user, model) for model in POLICIES):
        return GroupPage.objects.order_by("title")
    return GroupPage.objects.filter(pk__in=group_ids_for(user, MEMBER)).order_by("title")


def year_choices():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year + 2, 2014, -1)]


class GroupWorkFilterSet(WagtailFilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=visible_groups, field_name="group")
    year = django_filters.ChoiceFilter(label=_("Year"), choices=year_choices, method="filter_year")
    #: The date field a year is taken from.
    year_field = "created_at"

    def filter_year(self, queryset, name, value):
        year = int(value)
        lookup = f"{self.year_field}__date__range" if self.year_field.endswith("_at") else f"{self.year_field}__range"
        return queryset.filter(**{lookup: (datetime.date(year, 1, 1), datetime.date(year, 12, 31))})


class MeetingFilterSet(GroupWorkFilterSet):
    minutes_status = django_filters.ChoiceFilter(label=_("Minutes"), choices=MinutesStatus.choices)
    year_field = "starts_at"

    class Meta:
        model = Meeting
        fields = ["group", "minutes_status", "year"]


class MeasureFilterSet(GroupWorkFilterSet):
    published = django_filters.BooleanFilter(
        label=_("Published"), field_name="published_at", lookup_expr="isnull", exclude=True
    )
    year_field = "start_date"

    class Meta:
        model = Measure
        fields = ["group", "kind", "published", "year"]


class BenefitFilterSet(WagtailFilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=visible_groups, field_name="measure__group")
    approved = django_filters.BooleanFilter(
        label=_("Approved"), field_name="approved_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Benefit
        fields = ["group", "kind", "approved"]


class ProposalFilterSet(GroupWorkFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    to_body = django_filters.ModelChoiceFilter(label=_("To"), queryset=GoverningBody.objects.order_by("name"))
    year_field = "created_at"

    class Meta:
        model = Proposal
        fields = ["group", "status", "to_body", "kind", "year"]


# -- views -----------------------------------------------------------------------------------------------------------
class TransitionButtonsMixin:
    """The transitions the user may start on this row now, as header buttons."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        namespace = self.view_name_namespace
        for transition, label, url in transitions.offered(
            self.request.user, self.object, lambda name: f"{namespace}:{name}"
        ):
            buttons.append(HeaderButton(label, url=url, icon_name=transition.icon))
        return buttons

    @property
    def view_name_namespace(self):
        return self.request.resolver_match.namespace


class WorkEditView(TransitionButtonsMixin, GuardedEditView):
    def save_instance(self):
        instance = super().save_instance()
        if getattr(self.form, "minutes_reset", False):
            log(instance, "governance.minutes_reset", user=self.request.user)
            messages.warning(
                self.request,
                gettext("The minutes were changed after they were sent for approval, so they are a draft again."),
            )
        return instance


class MeetingEditView(WorkEditView):
    """After the meeting started, an officer who opens a meeting without attendance finds one row per member
    active on the meeting's day (present); rows for substitutes can be added."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        meeting = self.object
        if (
            self.request.method == "GET"
            and meeting.starts_at <= timezone.now()
            and not meeting.attendance.exists()
            and "attendance" in getattr(form, "formsets", {})
        ):
            people = (
                Membership.objects.active_on(meeting.day)
                .filter(group_id=meeting.group_id)
                .order_by("person__name")
                .values_list("person_id", flat=True)
                .distinct()
            )
            rows = [{"person": pk, "status": AttendanceStatus.PRESENT} for pk in dict.fromkeys(people)]
            formset = form.formsets["attendance"]
            formset.extra = len(rows)
            formset.initial_extra = rows
        return form


class WorkInspectView(TransitionButtonsMixin, GuardedInspectView):
    pass


class WorkDeleteView(GuardedDeleteView):
    """A row another row still needs (a measure with benefits) is refused, never a server error."""

    def delete_action(self):
        try:
            super().delete_action()
        except ProtectedError as error:
            raise PermissionDenied from error


class DoneColumn(BooleanColumn):
    """Yes or no from a timestamp (Wagtail's BooleanColumn shows "unknown" for an empty one)."""

    def get_value(self, instance):
        return super().get_value(instance) is not None


class DayColumn(Column):
    """A date as dd.mm.åååå: Wagtail's DateColumn says "9 måneder siden", and "akkurat nå" of a date ahead."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "d.m.Y") if value else ""


class WorkCreateView(QueryPrefillMixin, GuardedCreateView):
    """ "Legg til" pre-selects the group named in the query string (the start page's "Planlegg et møte"), when
    the user may choose it."""

    prefill_fields = ("group",)


class BenefitCreateView(WorkCreateView):
    prefill_fields = ("measure",)


class GroupWorkViewSet(GuardedSnippetViewSet):
    add_view_class = WorkCreateView
    edit_view_class = WorkEditView
    inspect_view_class = WorkInspectView
    delete_view_class = WorkDeleteView
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + transitions.transition_urls(self)


class MeetingViewSet(GroupWorkViewSet):
    model = Meeting
    edit_view_class = MeetingEditView
    admin_url_namespace = "gruppearbeid_meeting"
    base_url_path = "gruppearbeid/moter"
    icon = "date"
    menu_label = _("Meetings")
    list_display = [
        # The first column links to the edit view (Wagtail makes a string's column a title column).
        "__str__",
        Column("time_label", label=_("Time"), sort_key="starts_at"),
        Column("get_kind_display", label=_("Type")),
        DoneColumn("notice_sent", label=_("Notice sent"), accessor="notice_sent_at"),
        Column("get_minutes_status_display", label=_("Minutes")),
    ]
    list_select_related = ("group",)
    filterset_class = MeetingFilterSet
    search_fields = ["group__title", "place", "notice"]
    edit_handler = ObjectList(
        [
            FieldPanel("group", widget=SELECT),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("place"), FieldPanel("video_link")]),
            FieldPanel("notice"),
            BoundedInlinePanel(
                "agenda_items",
                heading=_("Agenda"),
                label=_("Agenda item"),
                panels=[
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("presenter")]),
                    FieldPanel("description"),
                    FieldPanel("decision"),
                ],
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("chair", widget=SELECT), FieldPanel("minute_taker", widget=SELECT)])],
                heading=_("Minutes"),
            ),
            BoundedInlinePanel(
                "attendance",
                heading=_("Attendance"),
                label=_("Attendance"),
                panels=[
                    FieldRowPanel(
                        [
                            FieldPanel("person", widget=SELECT),
                            FieldPanel("status"),
                            FieldPanel("on_behalf_of", widget=SELECT),
                        ]
                    )
                ],
            ),
            FieldPanel("minutes_text"),
        ],
        base_form_class=GroupWorkForm,
    )


class MeasureViewSet(GroupWorkViewSet):
    model = Measure
    admin_url_namespace = "gruppearbeid_measure"
    base_url_path = "gruppearbeid/tiltak"
    icon = "tasks"
    menu_label = _("Measures")
    list_display = [
        "title",
        Column("group", label=_("Group")),
        Column("get_kind_display", label=_("Kind")),
        DayColumn("start_date", label=_("Start")),
        DayColumn("planned_end", label=_("Planned end")),
        DoneColumn("published", label=_("Published"), accessor="published_at"),
    ]
    list_select_related = ("group",)
    filterset_class = MeasureFilterSet
    search_fields = ["title", "description", "group__title"]
    edit_handler = ObjectList(
        [
            FieldPanel("group", widget=SELECT),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("owner", widget=SELECT)]),
            FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("planned_end")]),
            BoundedInlinePanel(
                "status_reports",
                heading=_("Status reports"),
                label=_("Status report"),
                panels=[FieldRowPanel([FieldPanel("date"), FieldPanel("status")]), FieldPanel("progress")],
            ),
        ],
        base_form_class=GroupWorkForm,
    )


class BenefitViewSet(GroupWorkViewSet):
    model = Benefit
    add_view_class = BenefitCreateView
    admin_url_namespace = "gruppearbeid_benefit"
    base_url_path = "gruppearbeid/gevinster"
    icon = "pick"
    menu_label = _("Benefits")
    list_display = [
        "description",
        Column("measure", label=_("Measure")),
        Column("group", label=_("Group"), accessor="measure.group"),
        Column("get_kind_display", label=_("Type")),
        DayColumn("target_date", label=_("Target date")),
        DoneColumn("approved", label=_("Approved"), accessor="approved_at"),
    ]
    list_select_related = ("measure", "measure__group")
    filterset_class = BenefitFilterSet
    search_fields = ["description", "indicator", "measure__title"]
    edit_handler = ObjectList(
        [
            FieldPanel("measure", widget=SELECT),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("priced")]),
            FieldRowPanel([FieldPanel("indicator"), FieldPanel("unit")]),
            FieldPanel("method"),
            FieldPanel("owner", widget=SELECT),
            FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_date")]),
            FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_date")]),
            BoundedInlinePanel(
                "targets",
                heading=_("Targets per municipality"),
                label=_("Target"),
                panels=[
                    FieldRowPanel([FieldPanel("organisation", widget=SELECT), FieldPanel("sub_owner", widget=SELECT)]),
                    FieldRowPanel(
                        [FieldPanel("baseline_value"), FieldPanel("target_value"), FieldPanel("target_date")]
                    ),
                ],
            ),
            BoundedInlinePanel(
                "realisations",
                heading=_("Realisations"),
                label=_("Realisation"),
                panels=[
                    FieldRowPanel([FieldPanel("date"), FieldPanel("value"), FieldPanel("organisation", widget=SELECT)]),
                    FieldPanel("comment"),
                ],
            ),
        ],
        base_form_class=GroupWorkForm,
    )


class ProposalViewSet(GroupWorkViewSet):
    model = Proposal
    admin_url_namespace = "gruppearbeid_proposal"
    base_url_path = "gruppearbeid/forslag"
    icon = "doc-full-inverse"
    menu_label = _("Proposals")
    list_display = [
        "title",
        Column("group", label=_("From group")),
        Column("to_body", label=_("To")),
        Column("get_kind_display", label=_("Kind")),
        Column("get_status_display", label=_("Status")),
        DayColumn("submitted_on", label=_("Sent on")),
        DayColumn("decision_date", label=_("Decided on")),
    ]
    list_select_related = ("group", "to_body")
    filterset_class = ProposalFilterSet
    search_fields = ["title", "text", "decision_case_number"]
    edit_handler = ObjectList(
        [
            FieldPanel("group", widget=SELECT),
            FieldPanel("kind"),
            FieldPanel("title"),
            FieldPanel("text"),
            BoundedInlinePanel(
                "attachments",
                heading=_("Attachments"),
                label=_("Attachment"),
                panels=[FieldRowPanel([FieldPanel("title"), FieldPanel("file")])],
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("decision_case_number"), FieldPanel("decision_date")]),
                    FieldPanel("decision_note"),
                ],
                heading=_("The body's handling"),
            ),
        ],
        base_form_class=GroupWorkForm,
    )


class GroupWorkAdminGroup(SnippetViewSetGroup):
    menu_label = _("Group work")
    menu_icon = "tasks"
    menu_order = 240
    items = (MeetingViewSet, MeasureViewSet, BenefitViewSet, ProposalViewSet)


def register_all():
    """Every admin registration of the group work: policies, viewsets, transitions, log actions, boundary rules."""
    # First: the policies, before any view or menu looks one up (Wagtail would cache a model-permission policy).
    for model, policy_class in POLICIES.items():
        register_permission_policy(model, policy_class(model))
    assert all(isinstance(policy_for(m), c) for m, c in POLICIES.items())
    # Viewsets and their menu group "Gruppearbeid" (the transition URLs come with each viewset).
    register_snippet(GroupWorkAdminGroup)
    hooks.register("register_log_actions", transitions.register_log_actions)
    hooks.register(BOUNDARY_RULES_HOOK, boundary_rules)
