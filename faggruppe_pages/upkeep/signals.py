"""Signal handlers (connected in apps.ready): keep groups in step with saved data."""

import threading
from contextlib import contextmanager

from faggruppe_pages.models import GroupPage
from faggruppe_pages.upkeep.sync import sync_all, sync_group_page_editors, sync_representatives_group

_state = threading.local()


@contextmanager
def deferred_sync(group_page_ids=None):
    """Skip per-save syncing inside the block and sync once at the end: everything (bulk loads), or only the
    editors of the group pages ``group_page_ids`` (a spreadsheet update of memberships, upkeep/bulk.py: the
    pages its rows leave and join). Nothing is synced when the block raises: its transaction is rolled back."""
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = False
    if group_page_ids is None:
        sync_all()
        return
    for page in GroupPage.objects.filter(pk__in=list(group_page_ids)).select_related("editors_group"):
        sync_group_page_editors(page)


def _deferred():
    return getattr(_state, "deferred", False)


def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw or _deferred():
        return
    sync_representatives_group(instance)


def organisation_deleted(sender, instance, **kwargs):
    """The representatives' group goes with its organisation: its members would otherwise keep admin access.
    (Its object permissions on the organisation are deleted with the row: guardian's direct FK cascades.)"""
    from django.contrib.auth.models import Group

    if instance.representatives_group_id:
        Group.objects.filter(pk=instance.representatives_group_id).delete()


def membership_about_to_change(sender, instance, raw=False, **kwargs):
    """Remember the group the membership belonged to, so a move takes the rights away from it too."""
    if raw or instance.pk is None:
        return
    instance._group_before_save = (
        type(instance).all_objects.filter(pk=instance.pk).values_list("group_id", flat=True).first()
    )


def membership_changed(sender, instance, raw=False, **kwargs):
    """Page rights follow the membership at once, in the transaction that saves or deletes it."""
    if raw or _deferred():
        return
    group_ids = {instance.group_id, getattr(instance, "_group_before_save", None)} - {None}
    for page in GroupPage.objects.filter(pk__in=group_ids).select_related("editors_group"):
        sync_group_page_editors(page)


def person_saved(sender, instance, raw=False, **kwargs):
    """A person's user account may have been linked or unlinked: re-sync their groups."""
    if raw or _deferred():
        return
    pages = GroupPage.objects.filter(memberships__person=instance).distinct().select_related("editors_group")
    for page in pages:
        sync_group_page_editors(page)
