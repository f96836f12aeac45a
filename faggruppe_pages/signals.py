"""Signal handlers (connected in apps.ready): keep groups in step with saved data."""

import threading
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def deferred_sync():
    """Skip per-save syncing inside the block and sync everything once at the end (bulk loads)."""
    from .sync import sync_all

    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = False
    sync_all()


def _deferred():
    return getattr(_state, "deferred", False)


def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw or _deferred():
        return
    from .sync import sync_representatives_group

    sync_representatives_group(instance)


def membership_changed(sender, instance, raw=False, **kwargs):
    if raw or _deferred():
        return
    from .models import GroupPage
    from .sync import sync_group_page_editors

    page = GroupPage.objects.filter(pk=instance.group_id).select_related("editors_group").first()
    if page is not None:
        sync_group_page_editors(page)


def person_saved(sender, instance, raw=False, **kwargs):
    """A person's user account may have been linked or unlinked: re-sync their groups."""
    if raw or _deferred():
        return
    from .models import GroupPage
    from .sync import sync_group_page_editors

    pages = GroupPage.objects.filter(memberships__person=instance).distinct().select_related("editors_group")
    for page in pages:
        sync_group_page_editors(page)
