"""Personal data has a lifetime (GDPR storage limitation). docs/privacy.md says what and why.

- A person's work phone and e-mail are contact details for the groups they sit in. When a person has no
  current or coming membership and their last one ended more than ``FAGGRUPPE_CONTACT_RETENTION_DAYS``
  ago, readers and every export see neither (``Person.reader_email``, ``Person.public_phone``). Name,
  organisation, role and term stay on the group's history.
- After ``FAGGRUPPE_PERSON_RETENTION_YEARS`` the person is anonymised by ``manage.py purge_personal_data``
  (cron): name "Tidligere medlem", no contact details, job title or unit, and the same in the person's
  revisions and log labels, with an audit-log entry per person. A person linked to an active user account
  is never anonymised.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from faggruppe_pages import conf
from faggruppe_pages.models import Membership, Person

ANONYMISE_ACTION = "faggruppe_pages.anonymise"
#: What an anonymised person is called (stored; shown translated through Person.__str__).
ANONYMOUS_NAME = "Tidligere medlem"


def expired_contact_ids(person_ids, today=None):
    """The people among ``person_ids`` whose contact details readers may no longer see (one query)."""
    return Membership.objects.filter(person_id__in=list(person_ids)).expired_contact_person_ids(
        today or timezone.localdate(), conf.contact_retention_days()
    )


def mark_contact_state(people, today=None):
    """Decide for many people at once (one query), so that a member list does not ask per row."""
    people = [p for p in people if p is not None]
    expired = expired_contact_ids({p.pk for p in people}, today)
    for person in people:
        person._contact_expired = person.pk in expired
    return people


def mark_memberships(memberships, today=None):
    mark_contact_state([m.person for m in memberships], today)
    return memberships


def mark_annotated_memberships(memberships, today=None):
    """``mark_memberships`` for rows fetched ``with_contact_state(today)``: the same answer, no query."""
    for m in memberships:
        mark_annotated_person(m.person, m.person_still_open, m.person_last_end, today)
    return memberships


def mark_annotated_person(person, still_open, last_end, today=None):
    """Decide ``person``'s contact state from ``contact_state_annotations`` (no query)."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=conf.contact_retention_days())
    person._contact_expired = not still_open and last_end is not None and last_end < cutoff
    return person


# -- anonymising -------------------------------------------------------------------------------------------


def anonymisation_candidates(today=None):
    """People whose last membership ended more than FAGGRUPPE_PERSON_RETENTION_YEARS ago (withdrawn entries
    count by the day they were withdrawn), with no current or coming one, no active user account, and not
    anonymised already. People who never sat in a group count from their last logged change. One query."""
    today = today or timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - conf.person_retention_years())
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - conf.person_retention_years(), day=28)
    seats = Membership.all_objects.filter(person=OuterRef("pk"))
    recent_seats = seats.filter(
        Q(withdrawn_at__isnull=True, end_date__isnull=True)
        | Q(withdrawn_at__isnull=True, end_date__gte=cutoff)
        | Q(withdrawn_at__date__gte=cutoff)
    )
    recently_logged = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=Cast(OuterRef("pk"), CharField()),
        timestamp__date__gte=cutoff,
    )
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .exclude(user__is_active=True)
        .exclude(Exists(recent_seats))
        .exclude(~Exists(seats) & Exists(recently_logged))
        .order_by("pk")
    )


def anonymise(person, now=None):
    """Anonymise one person, their revisions and the labels of their and their memberships' log entries."""
    with transaction.atomic():
        person.name, person.job_title, person.unit = ANONYMOUS_NAME, "", ""
        person.email, person.phone, person.show_phone = "", "", False
        person.user = None
        person.anonymised_at = now or timezone.now()
        person.save()
        person_type = ContentType.objects.get_for_model(Person)
        content = person.serializable_data()
        Revision.objects.filter(content_type=person_type, object_id=str(person.pk)).update(
            content=content, object_str=ANONYMOUS_NAME
        )
        ModelLogEntry.objects.filter(content_type=person_type, object_id=str(person.pk)).update(label=ANONYMOUS_NAME)
        membership_type = ContentType.objects.get_for_model(Membership)
        for membership in Membership.all_objects.filter(person=person).select_related("person", "group"):
            label = str(membership)
            Revision.objects.filter(content_type=membership_type, object_id=str(membership.pk)).update(object_str=label)
            ModelLogEntry.objects.filter(content_type=membership_type, object_id=str(membership.pk)).update(label=label)
        log(person, ANONYMISE_ACTION, user=None, data={"reason": "retention"})
