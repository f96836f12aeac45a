"""The page tree: FaggruppeIndexPage -> FaggruppePage -> ArbeidsgruppePage.

GroupPage is the concrete, non-creatable parent of both group kinds, so a
Membership can point at either with one foreign key.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from ..forms import GroupPageForm, SafeAdminPageForm
from ..panels import MembersPanel
from ..seat_rules import due_on, is_overdue, list_is_overdue, rules_for

# Named slots on a group page that other add-ons (governance) fill without this app knowing them.
# Each hook is a callable ``fn(page, request, context)`` returning HTML, or "" to add nothing.
# ``context`` already holds ``members`` (active memberships with person and represents loaded),
# ``today`` and ``parent``, so a hook need not query them again.

#: Right after the group's introduction, before the member list (e.g. a compliance summary).
#: Which of the given group pages have history in another add-on (e.g. a group mandate), so that deleting them is
#: refused (wagtail_hooks): fn(group_pages_queryset) -> iterable of page ids.
GROUPS_WITH_HISTORY_HOOK = "faggruppe_pages_groups_with_history"
GROUP_PAGE_SUMMARY_HOOK = "faggruppe_pages_group_summary"
#: The mandate section. If any hook returns HTML, it replaces the overview page's common mandate.
GROUP_PAGE_MANDATE_HOOK = "faggruppe_pages_group_mandate"
#: Extra sections after the page body.
GROUP_PAGE_SECTIONS_HOOK = "faggruppe_pages_group_sections"


def reader_view(name):
    """A page route that hands the request to ``views/reader.py`` (imported on use: it imports these models)."""

    def route(self, request, *args, **kwargs):
        from ..views import reader

        return getattr(reader, name)(self, request, *args, **kwargs)

    route.__name__ = name
    return route


def reserved_slugs():
    """First path segments of the routes of the overview page and the group pages.

    A child page with such a slug would be shadowed by the route (``mine-grupper``, ``vcard``),
    so the group page form refuses them. Read from the routes, so a new route is covered.
    """
    slugs = set()
    for page_class in (FaggruppeIndexPage, GroupPage):
        for pattern in page_class.get_subpage_urls():
            first = str(pattern.pattern).split("/", 1)[0]
            if first and "<" not in first and not first.startswith("^"):
                slugs.add(first)
    return frozenset(slugs)


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class FaggruppeIndexPage(RoutablePageMixin, Page):
    """/faggrupper/: the groups, the common mandate, and the overviews and downloads (views/reader.py)."""

    base_form_class = SafeAdminPageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    mandate = StreamField(
        BodyBlock(),
        verbose_name=_("common mandate"),
        blank=True,
        help_text=_("The mandate that applies to every faggruppe below this page."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("mandate")]
    subpage_types = ["faggruppe_pages.FaggruppePage"]
    template = "faggruppe_pages/faggruppe_index_page.html"

    class Meta:
        verbose_name = _("faggruppe overview")
        verbose_name_plural = _("faggruppe overviews")

    def get_context(self, request, *args, **kwargs):
        from .memberships import Membership, Role

        context = super().get_context(request, *args, **kwargs)
        groups = list(FaggruppePage.objects.child_of(self).live().order_by("title"))
        active = Membership.objects.filter(group__in=[g.pk for g in groups]).active_on(timezone.localdate())
        # Count in the database and fetch only the leaders: the overview must not
        # build every membership of every group (see `make bench`).
        counts = dict(active.order_by().values("group_id").annotate(n=Count("pk")).values_list("group_id", "n"))
        leaders = {m.group_id: m for m in active.filter(role=Role.LEADER).select_related("person", "represents")}
        for group in groups:
            group.member_count = counts.get(group.pk, 0)
            group.leader = leaders.get(group.pk)
        context["groups"] = groups
        context["overview_links"] = [
            ((self.get_url(request) or "") + self.reverse_subpage(name), label)
            for name, label in (
                ("member_overview", _("Member overview")),
                ("representation_index", _("Where are we represented?")),
                ("my_groups", _("My groups")),
            )
        ]
        return context

    # Routes: stable addresses below the overview page. Routes win over child pages of the same slug.
    member_overview = path("medlemsoversikt/", name="member_overview")(reader_view("member_overview"))
    member_overview_export = path("medlemsoversikt/<str:fmt>/", name="member_overview_export")(
        reader_view("member_overview")
    )
    representation_index = path("representert/", name="representation_index")(reader_view("representation_index"))
    representation = path("representert/<slug:slug>/", name="representation")(reader_view("representation"))
    my_groups = path("mine-grupper/", name="my_groups")(reader_view("my_groups"))
    person_vcard = path("person/<int:pk>/vcard/", name="person_vcard")(reader_view("person_vcard"))


class GroupPage(RoutablePageMixin, Page):
    """Fields and behaviour shared by faggrupper and arbeidsgrupper."""

    purpose = models.TextField(_("purpose"), blank=True)
    area = models.CharField(_("professional area"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    successor = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_group_page",
        help_text=_("Active members with a user account; may edit this page and its subpages. Kept in sync."),
    )

    is_creatable = False
    base_form_class = GroupPageForm
    # A copy gets its own editors group when its members are registered (the group is one-to-one).
    exclude_fields_in_copy = ["editors_group"]

    search_fields = Page.search_fields + [
        index.SearchField("purpose"),
        index.SearchField("area"),
        index.SearchField("body"),
    ]

    members_panel = MembersPanel(heading=_("Members"))
    status_panel = MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("status"), FieldPanel("closed_on")]),
            FieldPanel("successor"),
        ],
        heading=_("Status"),
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def clean(self):
        super().clean()
        if self.status == GroupStatus.CLOSED and not self.closed_on:
            raise ValidationError({"closed_on": _("A closed group needs the date it closed.")})
        if self.status == GroupStatus.ACTIVE and self.closed_on:
            raise ValidationError({"closed_on": _("Only a closed group has a closing date.")})

    @property
    def is_closed(self):
        return self.status == GroupStatus.CLOSED

    def get_mandate(self, parent):
        """The mandate text shown on the page (StreamValue or None)."""
        return None

    def get_context(self, request, *args, **kwargs):
        from .memberships import Membership

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        parent = self.get_parent().specific
        memberships = Membership.objects.filter(group=self).for_display()
        from ..privacy import mark_memberships

        members = list(memberships.active_on(today))
        upcoming = list(memberships.upcoming(today))
        former = list(memberships.ended_before(today).order_by("-end_date", "person__name"))
        mark_memberships(members + upcoming + former, today)  # whose contact details readers may see
        context.update(
            members=members,
            upcoming_members=upcoming,
            former_members=former,
            list_verified_at=Membership.list_verified_at(members),
            subgroups=list(ArbeidsgruppePage.objects.child_of(self).live().order_by("title")),
            parent=parent,
            mandate=self.get_mandate(parent),
            today=today,
        )
        from ..exports import FORMATS  # on use: exports loads openpyxl and vobject

        group_rules = rules_for([self], today)[self.pk]
        base = self.get_url(request) or ""  # None in a preview of a page not yet under a site
        context.update(
            rules=group_rules,
            list_due_on=due_on(context["list_verified_at"], group_rules.review_interval_days),
            list_overdue=list_is_overdue(members, group_rules.review_interval_days, today),
            downloads=[
                (base + self.reverse_subpage("member_export", args=[fmt]), label)
                for fmt, (_type, label) in FORMATS.items()
            ],
            vcard_url=base + self.reverse_subpage("group_vcard"),
        )
        for m in members:
            m.overdue = is_overdue(m.last_verified_at, group_rules.review_interval_days, today)
            m.vcard_url = base + self.reverse_subpage("person_vcard", args=[m.person_id])
        for key, hook in (
            ("summary_sections", GROUP_PAGE_SUMMARY_HOOK),
            ("mandate_sections", GROUP_PAGE_MANDATE_HOOK),
            ("extra_sections", GROUP_PAGE_SECTIONS_HOOK),
        ):
            context[key] = [html for fn in hooks.get_hooks(hook) if (html := fn(self, request, context))]
        return context

    member_export = path("medlemmer/<str:fmt>/", name="member_export")(reader_view("group_export"))
    person_vcard = path("person/<int:pk>/vcard/", name="person_vcard")(reader_view("person_vcard"))
    group_vcard = path("vcard/", name="group_vcard")(reader_view("group_vcard"))


class FaggruppePage(GroupPage):
    content_panels = Page.content_panels + [
        FieldPanel("purpose"),
        FieldPanel("area"),
        FieldPanel("contact_email"),
        FieldPanel("body"),
        GroupPage.members_panel,
        GroupPage.status_panel,
    ]
    parent_page_types = ["faggruppe_pages.FaggruppeIndexPage"]
    subpage_types = ["faggruppe_pages.ArbeidsgruppePage"]
    template = "faggruppe_pages/faggruppe_page.html"

    class Meta:
        verbose_name = _("faggruppe")
        verbose_name_plural = _("faggrupper")

    def get_mandate(self, parent):
        return getattr(parent, "mandate", None) or None


class ArbeidsgruppeKind(models.TextChoices):
    WORKING_GROUP = "arbeidsgruppe", _("Working group")
    PROJECT_GROUP = "prosjektgruppe", _("Project group")


class ArbeidsgruppePage(GroupPage):
    kind = models.CharField(
        _("kind"), max_length=20, choices=ArbeidsgruppeKind.choices, default=ArbeidsgruppeKind.WORKING_GROUP
    )
    assignment = models.TextField(
        _("assignment"), blank=True, help_text=_("What the faggruppe asked this group to do.")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Leave empty if open-ended."))

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("purpose"),
        FieldPanel("assignment"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("area"),
        FieldPanel("contact_email"),
        FieldPanel("body"),
        GroupPage.members_panel,
        GroupPage.status_panel,
    ]
    parent_page_types = ["faggruppe_pages.FaggruppePage"]
    subpage_types = []
    template = "faggruppe_pages/arbeidsgruppe_page.html"

    class Meta:
        verbose_name = _("arbeidsgruppe")
        verbose_name_plural = _("arbeidsgrupper")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
