from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class FaggruppePagesConfig(AppConfig):
    name = "faggruppe_pages"
    label = "faggruppe_pages"
    verbose_name = _("Professional groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published, page_unpublished

        from faggruppe_pages import caching, middleware
        from faggruppe_pages.admin import dates
        from faggruppe_pages.models import Membership, Organisation, Person
        from faggruppe_pages.permissions import MembershipPolicy, PersonPolicy
        from faggruppe_pages.reader import cache, pages, views  # noqa: F401  (they register the page routes' views)
        from faggruppe_pages.upkeep import signals

        cache.install()  # the reader pages' shared cache, around the views registered above
        # Before any admin form class is built: dd.mm.åååå in every date field.
        dates.register()
        # Before anything looks a policy up.
        register_permission_policy(Membership, MembershipPolicy(Membership))
        register_permission_policy(Person, PersonPolicy(Person))

        # Every table that exists after a migrate gets the data-version trigger (caching.py).
        post_migrate.connect(caching.installed_after_migrate, sender=self, dispatch_uid="fg_data_version_triggers")
        user_logged_in.connect(middleware.language_on_login, dispatch_uid="fg_language_on_login")
        post_save.connect(signals.organisation_saved, sender=Organisation, dispatch_uid="fg_org_saved")
        post_delete.connect(signals.organisation_deleted, sender=Organisation, dispatch_uid="fg_org_deleted")
        pre_save.connect(signals.membership_about_to_change, sender=Membership, dispatch_uid="fg_membership_pre")
        post_save.connect(signals.membership_changed, sender=Membership, dispatch_uid="fg_membership_saved")
        post_delete.connect(signals.membership_changed, sender=Membership, dispatch_uid="fg_membership_deleted")
        post_save.connect(signals.person_saved, sender=Person, dispatch_uid="fg_person_saved")
        # The search index: a person's entry names their groups (reader/search.py).
        post_save.connect(signals.membership_reindex_person, sender=Membership, dispatch_uid="fg_membership_index")
        post_delete.connect(signals.membership_reindex_person, sender=Membership, dispatch_uid="fg_membership_unindex")
        page_published.connect(signals.group_page_reindex_members, dispatch_uid="fg_group_published_index")
        page_unpublished.connect(signals.group_page_reindex_members, dispatch_uid="fg_group_unpublished_index")
