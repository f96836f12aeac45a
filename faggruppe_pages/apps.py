from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaggruppePagesConfig(AppConfig):
    name = "faggruppe_pages"
    label = "faggruppe_pages"
    verbose_name = _("Professional groups")
    default_auto_field = "django.db.models.BigAutoField"
