"""Confirming entries as still correct ("Alt stemmer"): the stamp that keeps a list from falling overdue."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from faggruppe_pages.models import Membership

#: The audit-log action of a confirmation (its label is registered in wagtail_hooks).
VERIFY_ACTION = "faggruppe_pages.verify"
#: Saving an entry through its form confirms it too; the history names it apart from "Alt stemmer".
VERIFY_BY_SAVING_ACTION = "faggruppe_pages.verify_by_saving"


def verify_all(organisation, user, now=None):
    """Stamp every current membership of ``organisation`` as verified by ``user``; audit-log each one."""
    return verify(organisation, user, now=now)


@transaction.atomic
def verify(organisation, user, ids=None, now=None, coming_too=False, log_data=None):
    """Stamp the current memberships of ``organisation`` (all, or those of ``ids``) as verified by ``user``;
    audit-log each one. Ids of other organisations' entries and ended ones are ignored, and coming ones
    unless ``coming_too``. ``log_data(membership)`` adds to each log entry's data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = Membership.objects.filter(represents=organisation)
    current = current.not_ended(today) if coming_too else current.active_on(today)
    if ids is not None:
        current = current.filter(pk__in=list(ids))
    current = list(current.select_related("person", "group", "represents"))
    Membership.objects.filter(pk__in=[m.pk for m in current]).update(last_verified_at=now, last_verified_by=user)
    content_type = ContentType.objects.get_for_model(Membership)
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(m.pk),
            label=str(m)[:255],
            action=VERIFY_ACTION,
            user=user,
            timestamp=now,
            data={"organisation": organisation.pk, **(log_data(m) if log_data else {})},
        )
        for m in current
    )
    return len(current)


def stamp_saved(membership, user, now=None):
    """Saving an entry through its form counts as confirming it: set the stamp before the form saves."""
    membership.last_verified_at = now or timezone.now()
    membership.last_verified_by = user if user is not None and user.is_authenticated else None
