"""The Django app: its label and name, the yearly report's stored download, and the signals Wagtail's search
needs (Wagtail finds ``wagtail_hooks`` by itself; the hooks are registered there)."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    label = "governance"
    verbose_name = _("Governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from faggruppe_pages import caching
        from faggruppe_pages.reader.exports import background
        from governance.models import AgendaItem, CalendarToken
        from governance.reader import yearly_report
        from governance.reader.search import agenda_item_reindex_meeting

        # The yearly report of all groups is a stored download, built by the task worker when large: the worker
        # finds its builder here (it never loads the URL configuration).
        background.register(yearly_report.STORED_KIND, yearly_report.build_stored_report)

        # A user's calendar key is made on their first visit to "Mine grupper" (a GET) and shown only there, which
        # is never cached: its writes must not change the data version of every cached page (docs/caching.md).
        caching.ignore_tables(CalendarToken._meta.db_table)

        # A meeting's agenda items are saved after the meeting (modelcluster): each reindexes its meeting.
        post_save.connect(agenda_item_reindex_meeting, sender=AgendaItem, dispatch_uid="gov_agenda_item_index")
        post_delete.connect(agenda_item_reindex_meeting, sender=AgendaItem, dispatch_uid="gov_agenda_item_unindex")
