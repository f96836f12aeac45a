"""The version of everything reader pages show: one row that the database itself changes on every write.

Database triggers (faggruppe_pages/caching.py installs them after every ``migrate``) give ``token`` a new random
value in the same transaction as any insert, update or delete in a table that reader pages could show, so the
token is visible to other connections exactly when the data is. Cached reader pages are keyed by it: a page
cached under a token was rendered from data at least as new as that token. Writes Django sends no signal for
(``QuerySet.update()``, ``bulk_create``, raw SQL, another app server) are covered the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    #: Random per change; a rolled-back transaction leaves the token of the data it leaves.
    token = models.CharField(max_length=32, default="initial")
    #: Counts changes (for operators; the cache keys use ``token``).
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        default_permissions = ()

    def __str__(self):
        return f"{self.number}:{self.token}"
