"""People who sit in groups, with their work contact details."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from ..validators import normalise_phone, validate_phone


class Person(RevisionMixin, models.Model):
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
    phone = models.CharField(_("work phone"), max_length=30, blank=True, validators=[validate_phone])
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
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="faggruppe_person")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.phone = (self.phone or "").strip()
        super().save(*args, **kwargs)

    @property
    def public_phone(self):
        """The phone number as readers may see it: empty unless the person allows it."""
        return self.phone if self.show_phone else ""

    @property
    def phone_uri(self):
        return f"tel:{normalise_phone(self.phone)}" if self.phone else ""
