"""Confirming entries as still correct ("Alt stemmer"): the stamp that keeps a list from falling overdue."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from faggruppe_pages.models import Membership

#: The audit-log action of a confirmation (its label is registered in wagtail_hooks).
VERIFY_ACTION = "faggruppe_pages.verify"


@transaction.atomic
def verify_all(organisation, user, now=None):
    """Stamp every current membership of ``organisation`` as verified by ``user``; audit-log each one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = list(
        Membership.objects.filter(represents=organisation)
        .active_on(today)
        .select_related("person", "group", "represents")
    )
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
            data={"organisation": organisation.pk},
        )
        for m in current
    )
    return len(current)
