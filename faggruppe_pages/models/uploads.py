"""A spreadsheet uploaded to update an organisation's entries, kept between its review and its confirmation.

Nothing is applied on upload (upkeep/bulk.py): the rows are read into plain values and kept here until the
uploader confirms or cancels, or the upload expires. The fingerprint and digest are what the uploader was
shown; a confirmation whose recomputed review no longer matches them applies nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BulkUpload(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "faggruppe_pages.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    #: [{"row": 2, "values": {"id": "17", "group": "Teknisk", ...}}, ...]: the cells as text, nothing resolved.
    rows = models.JSONField(_("rows"), default=list)
    #: {"present": [field, ...], "ignored": [header, ...]}: which columns the file had.
    columns = models.JSONField(_("columns"), default=dict)
    #: Of the organisation's entries when the review was shown (upkeep.bulk.entries_fingerprint).
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    #: Of the changes the review showed (upkeep.bulk.Review.digest).
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("spreadsheet upload")
        verbose_name_plural = _("spreadsheet uploads")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return self.file_name or str(self._meta.verbose_name)
