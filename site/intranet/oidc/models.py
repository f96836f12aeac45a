"""Who logged in with which provider, and which directory group gives which rights."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """A user's identity at an OpenID Connect provider: the token's ``iss`` and ``sub``, stable and never reused.

    Users are found by this pair only, never by the e-mail claim (Entra ID lets users influence it). Written once,
    at the first login: nothing here changes at later logins, so a login does not empty the page cache.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first login"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique_subject")]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class MappingTarget(models.TextChoices):
    STAFF = "staff", _("Staff (Redaksjon)")
    REPRESENTATIVES = "representatives", _("An organisation's representatives")


class DirectoryGroupMapping(models.Model):
    """A group in the provider's directory (its id in the token's ``groups`` claim) → rights in the portal.

    Applied at every single sign-on login (``rights.apply_directory_groups``): a user in the directory group is
    put in the target's Django group, a user no longer in it is taken out. Django groups no mapping points at are
    never touched.
    """

    directory_group_id = models.CharField(
        _("directory group id"),
        max_length=255,
        help_text=_("As the provider sends it in the token's “groups” claim (Entra ID: the group's object id)."),
    )
    description = models.CharField(
        _("description"), max_length=255, blank=True, help_text=_("The group's name in the directory, for people.")
    )
    target = models.CharField(_("gives"), max_length=20, choices=MappingTarget.choices)
    organisation = models.ForeignKey(
        "faggruppe_pages.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_group_mappings",
        help_text=_("Whose representatives (only for “An organisation's representatives”)."),
    )

    class Meta:
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")
        ordering = ["target", "organisation__name", "directory_group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory_group_id", "target", "organisation"], name="oidc_mapping_unique"
            ),
            models.UniqueConstraint(
                fields=["directory_group_id", "target"],
                condition=models.Q(organisation__isnull=True),
                name="oidc_mapping_unique_staff",
            ),
        ]

    def __str__(self):
        return f"{self.description or self.directory_group_id} → {self.target_label}"

    def save(self, *args, **kwargs):
        self.directory_group_id = (self.directory_group_id or "").strip()
        super().save(*args, **kwargs)
        organisation = self.organisation
        if self.target == MappingTarget.REPRESENTATIVES and organisation and not organisation.representatives_group_id:
            # The group the mapping gives, made as staff's saving of the organisation would (upkeep/sync).
            from faggruppe_pages.upkeep.sync import sync_representatives_group

            sync_representatives_group(organisation)

    @property
    def target_label(self):
        if self.target == MappingTarget.REPRESENTATIVES and self.organisation_id:
            return str(_("Representatives of %(organisation)s") % {"organisation": self.organisation})
        return str(self.get_target_display())

    def clean(self):
        self.directory_group_id = (self.directory_group_id or "").strip()
        if self.target == MappingTarget.REPRESENTATIVES:
            if self.organisation is None:
                raise ValidationError({"organisation": _("Choose whose representatives the group gives.")})
            if not self.organisation.has_representatives:
                raise ValidationError(
                    {"organisation": _("Only municipalities and unions have representatives; choose one of them.")}
                )
        elif self.organisation_id:
            raise ValidationError({"organisation": _("Leave the organisation empty for staff.")})
        duplicates = DirectoryGroupMapping.objects.filter(
            directory_group_id=self.directory_group_id, target=self.target, organisation=self.organisation
        ).exclude(pk=self.pk)
        if duplicates.exists():
            raise ValidationError({"directory_group_id": _("This directory group already gives these rights.")})
