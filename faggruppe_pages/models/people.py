"""People who sit in groups, with their work contact details."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin
from wagtail.search import index

from faggruppe_pages import conf
from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.routing import routed_first_live
from faggruppe_pages.validators import format_phone, normalise_phone, phone_uri, validate_phone
from faggruppe_pages.wiring import subpage_address


class PhoneField(models.CharField):
    """A phone number, stored normalised (validators.normalise_phone) whichever way it was typed: in forms
    (``to_python``, so the validator sees the stored form) and on every save (``pre_save``)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_phone(value) if value else value

    def pre_save(self, model_instance, add):
        value = normalise_phone(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class Person(FastLoadMixin, RevisionMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employer = models.ForeignKey(
        "faggruppe_pages.Organisation",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = PhoneField(_("work phone"), max_length=30, blank=True, validators=[validate_phone])
    show_phone = models.BooleanField(
        _("show phone number"),
        default=False,
        help_text=_("Only then is the phone number shown to readers."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faggruppe_person",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="faggruppe_person")

    #: Search (reader/search.py): only what every reader page shows of a person: name, job title, employer and
    #: the published groups they sit in now. Never the phone number or the e-mail address (docs/search.md).
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("job_title"),
        index.AutocompleteField("job_title"),
        index.RelatedFields("employer", [index.SearchField("name"), index.SearchField("short_name")]),
        index.SearchField("current_group_titles"),
        index.FilterField("id"),
        index.FilterField("anonymised_at"),
    ]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return str(_("Former member")) if self.anonymised_at else self.name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    # -- the person's page (reader/views.py ``person_page``) -----------------------------------------------------
    def get_absolute_url(self):
        """The person's page below the overview page, or "" when they have none.

        A person has a page while they sit or sat in a published group (``MembershipQuerySet.visible_below``)
        and are not anonymised. Lists decide for all their people at once with ``Person.mark_pages``; called on
        a person not marked so, this asks the database (two queries)."""
        if not hasattr(self, "_page_url"):
            Person.mark_pages([self])
        return self._page_url

    @classmethod
    def mark_pages(cls, people, *, index=None, request=None, seated_in=None, seated=False):
        """Decide the page address of many people at once, so that a list linking each name does not ask per row.

        Two queries (one when ``index`` is given) whatever the number of people, none included: a page's count
        does not step when its first person appears. ``index``: the overview page serving the person pages
        (default: the first published one, asked once per request). ``seated_in``: a group page every one of
        ``people`` holds a seat in (its member list); when it is published below ``index`` each of them has a
        page unless anonymised, which needs no query. ``seated``: the caller knows each person holds a seat in a
        live group below ``index`` (the overview pages' lists), so only anonymisation decides: no query either.
        Returns the people."""
        people = [p for p in people if p is not None]
        if index is None:
            index = person_page_index(request)
        base = (index.get_url(request) or "") if index is not None else ""
        shown = set()
        in_group = seated_in is not None and seated_in.live and seated_in.path.startswith(index.path)
        if base and (seated or in_group):
            shown = {p.pk for p in people if p.anonymised_at is None}  # their seat is visible_below(index)
        elif base:
            ids = {p.pk for p in people}
            seats = apps.get_model("faggruppe_pages", "Membership").objects.visible_below(index)
            # With no ids, a query that finds nothing rather than none (Django skips an empty ``__in``).
            seats = seats.filter(person_id__in=ids) if ids else seats.filter(person__isnull=True)
            shown = set(seats.filter(person__anonymised_at__isnull=True).values_list("person_id", flat=True).distinct())
        page_url = subpage_address(index, "person_page", base) if shown else None
        for person in people:
            person._page_url = page_url(person.pk) if person.pk in shown else ""
        return people

    def current_group_titles(self):
        """The titles of the published groups this person sits in today (indexed for search)."""
        if self.pk is None or self.anonymised_at:
            return ""
        seats = self.memberships.active_on().filter(group__live=True).select_related("group").order_by("group__title")
        return ", ".join(dict.fromkeys(m.group.title for m in seats))

    # -- what readers may see (upkeep/privacy.py) ---------------------------------------------------------------
    @property
    def contact_expired(self):
        """Whether the retention time for this former member's contact details has run out."""
        if not hasattr(self, "_contact_expired"):
            # Lists mark many people at once (upkeep.privacy.mark_contact_state); this is the one-person case.
            self._contact_expired = self.pk is not None and self.pk in self.memberships.expired_contact_person_ids(
                timezone.localdate(), conf.contact_retention_days()
            )
        return self._contact_expired

    @property
    def reader_email(self):
        """The work e-mail as readers and exports may see it."""
        return "" if self.contact_expired else self.email

    @property
    def public_phone(self):
        """The phone number as readers may see it: empty unless the person allows it."""
        return format_phone(self.phone) if self.show_phone and not self.contact_expired else ""

    @property
    def phone_display(self):
        return format_phone(self.phone)

    @property
    def phone_uri(self):
        return phone_uri(self.phone) if self.phone else ""


def person_page_index(request=None):
    """The overview page whose ``personer/<id>/`` route serves the person pages: the first published one
    (asked once per ``request`` when one is given; no query when the request was routed through it)."""
    if request is not None and hasattr(request, "_faggruppe_person_page_index"):
        return request._faggruppe_person_page_index
    model = apps.get_model("faggruppe_pages", "FaggruppeIndexPage")
    index = routed_first_live(request, model) or model.objects.live().order_by("path").first()
    if request is not None:
        request._faggruppe_person_page_index = index
    return index
