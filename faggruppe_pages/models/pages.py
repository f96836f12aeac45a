"""The page tree: FaggruppeIndexPage -> FaggruppePage -> ArbeidsgruppePage.

GroupPage is the concrete, non-creatable parent of both group kinds, so a
Membership can point at either with one foreign key.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from faggruppe_pages.blocks import BodyBlock
from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.models.panels import MembersPanel
from faggruppe_pages.routing import RouteAwarePageMixin
from faggruppe_pages.wiring import ClassByName, route_to

# Named slots on a group page that other add-ons (governance) fill without this app knowing them.
# Each hook is a callable ``fn(page, request, context)`` returning HTML, or "" to add nothing.
# ``context`` already holds ``members`` (active memberships with person and represents loaded),
# ``today`` and ``parent``, so a hook need not query them again.

#: Which of the given group pages have history in another add-on (e.g. a group mandate), so that deleting them is
#: refused (wagtail_hooks): fn(group_pages_queryset) -> iterable of page ids.
GROUPS_WITH_HISTORY_HOOK = "faggruppe_pages_groups_with_history"
#: Right after the group's introduction, before the member list (e.g. a compliance summary).
GROUP_PAGE_SUMMARY_HOOK = "faggruppe_pages_group_summary"
#: The mandate section. If any hook returns HTML, it replaces the overview page's common mandate.
#: ``context["page_texts"]`` holds the texts the page already shows (purpose, assignment; normalised with
#: ``plain_text``), so a section can leave out what would only repeat them.
GROUP_PAGE_MANDATE_HOOK = "faggruppe_pages_group_mandate"
#: The mandate section of the overview page (/faggrupper/), ``fn(index, request, context) -> html``. If any hook
#: returns HTML, it replaces the overview page's own ``mandate`` field (governance: the mandate in force).
GROUP_INDEX_MANDATE_HOOK = "faggruppe_pages_index_mandate"
#: Extra sections after the page body.
GROUP_PAGE_SECTIONS_HOOK = "faggruppe_pages_group_sections"
#: Sections added to "Mine grupper" by add-ons, ``fn(request, person, memberships) -> html`` (governance: the
#: user's meetings and calendar address).
MY_GROUPS_SECTIONS_HOOK = "faggruppe_pages_my_groups_sections"


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


class FaggruppeIndexPage(FastLoadMixin, RouteAwarePageMixin, RoutablePageMixin, Page):
    """/faggrupper/: the groups, the common mandate, and the overviews and downloads (reader/)."""

    base_form_class = ClassByName("faggruppe_pages.admin.forms.SafeAdminPageForm")

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

    # Routes: stable addresses below the overview page. Routes win over child pages of the same slug.
    # Each dispatches to the view registered under its name (faggruppe_pages/wiring.py, reader/).
    index_route = path("", name="index_route")(route_to("faggruppe_index"))
    member_overview = path("medlemsoversikt/", name="member_overview")(route_to("member_overview"))
    member_overview_export = path("medlemsoversikt/<str:fmt>/", name="member_overview_export")(
        route_to("member_overview")
    )
    representation_index = path("representert/", name="representation_index")(route_to("representation_index"))
    representation = path("representert/<slug:slug>/", name="representation")(route_to("representation"))
    my_groups = path("mine-grupper/", name="my_groups")(route_to("my_groups"))
    person_vcard = path("person/<int:pk>/vcard/", name="person_vcard")(route_to("person_vcard"))
    person_page = path("personer/<int:pk>/", name="person_page")(route_to("person_page"))


class GroupPage(FastLoadMixin, RouteAwarePageMixin, RoutablePageMixin, Page):
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
    base_form_class = ClassByName("faggruppe_pages.admin.forms.GroupPageForm")
    # A copy gets its own editors group when its members are registered (the group is one-to-one).
    exclude_fields_in_copy = ["editors_group"]

    # Search (reader/search.py): the title with prefixes ("lønn" finds "Lønn og personal"), the purpose and area
    # with prefixes too, the body by whole (stemmed) words.
    search_fields = Page.search_fields + [
        index.SearchField("purpose"),
        index.AutocompleteField("purpose"),
        index.SearchField("area"),
        index.AutocompleteField("area"),
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

    index_route = path("", name="index_route")(route_to("group_page"))
    member_export = path("medlemmer/<str:fmt>/", name="member_export")(route_to("group_export"))
    person_vcard = path("person/<int:pk>/vcard/", name="person_vcard")(route_to("person_vcard"))
    group_vcard = path("vcard/", name="group_vcard")(route_to("group_vcard"))


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
    search_fields = GroupPage.search_fields + [index.SearchField("assignment"), index.AutocompleteField("assignment")]

    class Meta:
        verbose_name = _("arbeidsgruppe")
        verbose_name_plural = _("arbeidsgrupper")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
