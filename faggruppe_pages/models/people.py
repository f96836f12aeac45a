"""People who sit in groups, with their work contact details."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin
from wagtail.search import index

from faggruppe_pages import conf
from faggruppe_pages.validators import format_phone, normalise_phone, phone_uri, validate_phone


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


class Person(RevisionMixin, index.Indexed, models.Model):
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
