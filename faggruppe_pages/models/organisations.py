"""Organisations a member can represent: municipalities, the cooperation itself and unions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.predicates import active_on_q, is_active_on
from faggruppe_pages.validators import validate_municipality_number


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COOPERATION = "cooperation", _("Cooperation")
    UNION = "union", _("Union")


class OrganisationQuerySet(models.QuerySet):
    def participants_on(self, date=None):
        """Organisations taking part on ``date``: joined on or before it and not yet left."""
        date = date or timezone.localdate()
        return self.filter(active_on_q(date, "member_from", "member_to", open_start=True))

    def municipalities(self):
        return self.filter(kind=OrganisationKind.MUNICIPALITY)


class Organisation(FastLoadMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Used in tables, e.g. “ROR-IKT”.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    municipality_number = models.CharField(
        _("municipality number"),
        max_length=4,
        blank=True,
        validators=[validate_municipality_number],
    )
    is_owner = models.BooleanField(
        _("owner municipality"),
        default=False,
        help_text=_("Owner (participating) municipalities' representatives may lead a group."),
    )
    member_from = models.DateField(_("participant from"), null=True, blank=True)
    member_to = models.DateField(_("participant to"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    representatives_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("representatives group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="represented_organisation",
        help_text=_("Its members may manage this organisation's entries. Kept in sync automatically."),
    )

    objects = OrganisationQuerySet.as_manager()

    #: Search (reader/search.py): what the reader pages show of an organisation, by prefix and by word.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("short_name"),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        permissions = [
            ("manage_entries", _("Can manage the organisation's memberships and people")),
        ]

    def __str__(self):
        return self.name

    @property
    def has_representatives(self):
        """Municipalities and unions have representatives; the cooperation's seats belong to staff."""
        return self.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.UNION)

    def participates_on(self, date):
        """Joined on or before ``date`` and not yet left (the same test as ``participants_on``)."""
        return is_active_on(self.member_from, self.member_to, date)

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean(self):
        errors = {}
        if self.member_from and self.member_to and self.member_to < self.member_from:
            errors["member_to"] = _("The end date cannot be before the start date.")
        if self.kind == OrganisationKind.MUNICIPALITY and not self.municipality_number:
            errors["municipality_number"] = _("A municipality needs its municipality number.")
        if self.kind != OrganisationKind.MUNICIPALITY and self.municipality_number:
            errors["municipality_number"] = _("Only municipalities have a municipality number.")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("An organisation cannot merge into itself.")
        if errors:
            raise ValidationError(errors)
