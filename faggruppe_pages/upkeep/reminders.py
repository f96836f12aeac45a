"""Reminders that keep the member lists current (``manage.py send_reminders``, daily from cron).

What is due, per organisation, on a day:
* an entry not confirmed within its group's review interval ("overdue"), and
* a term ending within 30 days, unless a successor is registered or a representative
  confirmed the entry after the notice period began.

Who is told:
* each representative with an e-mail address gets one digest for all their organisations;
* when an item has stood for ``FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS`` (14) since the first
  digest about it, or its organisation has no representative to tell, the editorial staff get
  one e-mail listing those items too.

How often: never twice a day to the same person (a unique constraint backs this up); again after
``FAGGRUPPE_REMINDER_REPEAT_DAYS`` (7) while anything remains, or at once when something new
comes due. Every e-mail is logged (``Reminder``, ``ReminderItem``) before it is sent, in one
transaction, so a failed send is not recorded as sent (``upkeep/mail.py`` writes and sends them).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Min
from django.urls import reverse
from django.utils.http import urlencode

from faggruppe_pages import conf
from faggruppe_pages.models import GroupStatus, Membership, Organisation, OrganisationKind
from faggruppe_pages.models.memberships import ENDING_SOON_DAYS
from faggruppe_pages.models.reminders import ReminderItem, ReminderKind, ReminderReason
from faggruppe_pages.predicates import due_on, is_overdue, local_date
from faggruppe_pages.upkeep.seat_rules import rules_for
from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME


def absolute(url):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


@dataclass
class Item:
    membership: Membership
    reason: str
    key: str
    due: datetime.date | None = None
    first_reminded: datetime.date | None = None

    @property
    def edit_url(self):
        return absolute(reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[self.membership.pk]))

    @property
    def verified_on(self):
        return local_date(self.membership.last_verified_at)


@dataclass
class Section:
    """One organisation's items in an e-mail."""

    organisation: Organisation
    items: list = field(default_factory=list)
    #: Escalated because the organisation has no representative with an e-mail address to tell.
    unrepresented: bool = False

    @property
    def overdue(self):
        return [i for i in self.items if i.reason == ReminderReason.OVERDUE]

    @property
    def ending(self):
        return [i for i in self.items if i.reason == ReminderReason.TERM_ENDS]

    @property
    def our_entries_url(self):
        return absolute(
            reverse("faggruppe_pages_our_entries") + "?" + urlencode({"organisation": self.organisation.pk})
        )


@dataclass
class Message:
    kind: str
    recipient: object
    sections: list
    subject: str = ""
    body: str = ""
    status: str = ""

    @property
    def items(self):
        return [item for section in self.sections for item in section.items]


def due_items(day):
    """Everything due on ``day``, by organisation id (a fixed number of queries)."""
    memberships = list(
        Membership.objects.active_on(day)
        .filter(group__live=True, group__status=GroupStatus.ACTIVE)
        .select_related("person", "group", "represents")
        .order_by("represents__name", "group__title", "person__name")
    )
    groups = {m.group_id: m.group for m in memberships}
    rules = rules_for(list(groups.values()), day)
    ending = [m for m in memberships if m.ends_soon(day)]
    successors = _successors(ending)
    items = {}
    for m in memberships:
        interval = rules[m.group_id].review_interval_days
        if is_overdue(m.last_verified_at, interval, day):
            verified = local_date(m.last_verified_at)
            items.setdefault(m.represents_id, []).append(
                Item(
                    membership=m,
                    reason=ReminderReason.OVERDUE,
                    key=f"overdue:{m.pk}:{verified.isoformat() if verified else 'never'}",
                    due=due_on(m.last_verified_at, interval),
                )
            )
    for m in ending:
        notice_from = m.end_date - datetime.timedelta(days=ENDING_SOON_DAYS)
        confirmed = local_date(m.last_verified_at)
        if m.pk in successors or (confirmed is not None and confirmed >= notice_from):
            continue
        items.setdefault(m.represents_id, []).append(
            Item(
                membership=m,
                reason=ReminderReason.TERM_ENDS,
                key=f"ends:{m.pk}:{m.end_date.isoformat()}",
                due=m.end_date,
            )
        )
    _attach_first_reminded(items)
    return items


def _successors(ending):
    """Ids of ending memberships whose seat someone takes over: same group and organisation, starting after
    the ending one started and no later than the day after it ends (one query)."""
    if not ending:
        return set()
    starts = {}
    for group_id, org_id, start in Membership.objects.filter(
        group__in={m.group_id for m in ending}, start_date__gt=min(m.start_date for m in ending)
    ).values_list("group_id", "represents_id", "start_date"):
        starts.setdefault((group_id, org_id), []).append(start)
    next_day = datetime.timedelta(days=1)
    return {
        m.pk
        for m in ending
        if any(m.start_date < start <= m.end_date + next_day for start in starts.get((m.group_id, m.represents_id), ()))
    }


def _attach_first_reminded(items):
    keys = [item.key for org_items in items.values() for item in org_items]
    first = dict(
        ReminderItem.objects.filter(key__in=keys, reminder__kind=ReminderKind.DIGEST)
        .values("key")
        .annotate(first=Min("reminder__sent_on"))
        .values_list("key", "first")
    )
    for org_items in items.values():
        for item in org_items:
            item.first_reminded = first.get(item.key)


def representatives(organisations):
    """``{user: [organisation, …]}`` for the active representatives with an e-mail address (one query)."""
    User = get_user_model()
    by_group = {org.representatives_group_id: org for org in organisations if org.representatives_group_id}
    # One row per (user, representatives group): a user may act for several organisations.
    rows = list(
        User.objects.filter(is_active=True, groups__in=list(by_group))
        .exclude(email="")
        .order_by("username")
        .values_list("pk", "groups__id")
    )
    users = User.objects.in_bulk({pk for pk, _group in rows})
    result = {}
    for user_pk, group_id in rows:
        result.setdefault(users[user_pk], []).append(by_group[group_id])
    return result


def staff_recipients():
    User = get_user_model()
    staff = User.objects.filter(is_active=True, groups__name=STAFF_GROUP_NAME).exclude(email="").distinct()
    if not staff.exists():
        staff = User.objects.filter(is_active=True, is_superuser=True).exclude(email="")
    return list(staff.order_by("username"))


def plan(day):
    """The e-mails due on ``day``, each with the status it would get (nothing is sent or logged)."""
    items = due_items(day)
    organisations = {org.pk: org for org in Organisation.objects.filter(pk__in=list(items))}
    reps = representatives(
        [org for org in organisations.values() if org.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.UNION)]
    )
    messages = []
    told = set()
    for user, orgs in reps.items():
        sections = [Section(org, items[org.pk]) for org in sorted(orgs, key=lambda o: o.name) if items.get(org.pk)]
        if sections:
            messages.append(Message(ReminderKind.DIGEST, user, sections))
            told.update(org.pk for org in orgs)
    threshold = day - datetime.timedelta(days=conf.reminder_escalate_after_days())
    escalated = []
    for org_id, org_items in sorted(items.items(), key=lambda kv: organisations[kv[0]].name):
        org = organisations[org_id]
        if org_id not in told:
            escalated.append(Section(org, org_items, unrepresented=True))  # nobody else can act on them
            continue
        stale = [i for i in org_items if i.first_reminded is not None and i.first_reminded <= threshold]
        if stale:
            escalated.append(Section(org, stale))
    if escalated:
        for user in staff_recipients():
            messages.append(Message(ReminderKind.ESCALATION, user, escalated))
    _decide(messages, day)
    return messages


def _decide(messages, day):
    """Mark each message "send" or the reason it is skipped: sent today, or sent lately with nothing new."""
    since = day - datetime.timedelta(days=conf.reminder_repeat_days() - 1)
    emails = [m.recipient.email for m in messages]
    recent = {}
    for kind, email, sent_on, key in ReminderItem.objects.filter(
        reminder__recipient_email__in=emails, reminder__sent_on__gte=since, reminder__sent_on__lte=day
    ).values_list("reminder__kind", "reminder__recipient_email", "reminder__sent_on", "key"):
        entry = recent.setdefault((kind, email), {"days": set(), "keys": set()})
        entry["days"].add(sent_on)
        entry["keys"].add(key)
    for message in messages:
        entry = recent.get((message.kind, message.recipient.email))
        if entry and day in entry["days"]:
            message.status = "sent_today"
        elif entry and {item.key for item in message.items} <= entry["keys"]:
            message.status = "recently"
        else:
            message.status = "send"
