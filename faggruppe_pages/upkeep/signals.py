"""Signal handlers (connected in apps.ready): keep groups in step with saved data."""

import threading
from contextlib import contextmanager

from wagtail.search import index

from faggruppe_pages.models import GroupPage, Person
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


# -- the search index (reader/search.py) -------------------------------------------------------------------------
def membership_reindex_person(sender, instance, raw=False, **kwargs):
    """A person's index entry names the groups they sit in: a membership saved or deleted reindexes its person
    (Wagtail's own signal handlers reindex only the row saved)."""
    if raw or not instance.person_id:
        return
    person = Person.objects.filter(pk=instance.person_id).first()
    if person is not None:
        index.insert_or_update_object(person)


def group_page_reindex_members(sender, instance, **kwargs):
    """A group page published (perhaps renamed) or unpublished: its members' index entries name it."""
    if not isinstance(instance, GroupPage):
        return
    people = Person.objects.filter(memberships__group=instance).distinct()
    for person in people:
        index.insert_or_update_object(person)
