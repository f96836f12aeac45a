from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    name = "intranet.oidc"
    label = "oidc"
    verbose_name = _("Single sign-on")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from faggruppe_pages import caching

        from .models import DirectoryGroupMapping, OidcIdentity
        from .permissions import StaffOnlyPolicy

        register_permission_policy(DirectoryGroupMapping, StaffOnlyPolicy(DirectoryGroupMapping), exact_class=True)
        # Written on a user's first login only, and shown on no page: no reason to empty the page cache.
        caching.ignore_tables(OidcIdentity._meta.db_table)
