"""A person's seat in a group: who they represent, in what role, and for how long.

A standalone model rather than an inline of the page, because its edit rights
follow the organisation represented, not the page. Ended memberships stay as history.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.models.organisations import OrganisationKind
from faggruppe_pages.predicates import active_on_q, ends_within, is_active_on, list_verified_at, not_ended_q


class Role(models.TextChoices):
    LEADER = "leder", _("Leader")
    DEPUTY = "nestleder", _("Deputy leader")
    MEMBER = "medlem", _("Member")
    SUBSTITUTE = "vara", _("Substitute")
    UNION_REP = "tillitsvalgt", _("Union representative")
    ADVISER = "radgiver", _("Adviser from the cooperation")
    SECRETARY = "sekretaer", _("Secretary")
    OBSERVER = "observator", _("Observer")


#: A term ending within this many days is announced ("Hvor er … representert?", "Mine grupper", reminders).
ENDING_SOON_DAYS = 30

#: Order within one organisation's seats on a member list.
ROLE_RANK = [
    Role.LEADER,
    Role.DEPUTY,
    Role.MEMBER,
    Role.ADVISER,
    Role.UNION_REP,
    Role.SECRETARY,
    Role.SUBSTITUTE,
    Role.OBSERVER,
]
#: Municipalities first, then the cooperation, then unions: the order of the mandate's composition.
KIND_RANK = [OrganisationKind.MUNICIPALITY, OrganisationKind.COOPERATION, OrganisationKind.UNION]


def _rank(field, values):
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def contact_state_annotations(person_ref, today):
    """``person_still_open`` (a current or coming seat) and ``person_last_end`` (the latest end) of the person
    ``person_ref`` points at: what ``expired_contact_person_ids`` decides on, as annotations for any query."""
    person_seats = Membership.objects.filter(person_id=person_ref).order_by()
    last_end = person_seats.values("person_id").annotate(last=Max("end_date")).values("last")[:1]
    return {
        "person_still_open": Exists(person_seats.filter(not_ended_q(today))),
        "person_last_end": Subquery(last_end),
    }


class MembershipQuerySet(models.QuerySet):
    def active_on(self, date=None):
        date = date or timezone.localdate()
        return self.filter(active_on_q(date))

    def not_ended(self, date=None):
        """Current or coming: not ended before ``date``."""
        return self.filter(not_ended_q(date or timezone.localdate()))

    def expired_contact_person_ids(self, today, retention_days):
        """Of the people these memberships belong to, those whose contact details have expired (docs/privacy.md).

        A person with no current or coming membership whose last one ended more than ``retention_days``
        before ``today``. One query, whatever the number of people.
        """
        cutoff = today - datetime.timedelta(days=retention_days)
        still_open = self.filter(not_ended_q(today), person_id=OuterRef("person_id"))
        return set(
            self.order_by()
            .values("person_id")
            .annotate(last=Max("end_date"))
            .filter(~Exists(still_open), last__lt=cutoff)
            .values_list("person_id", flat=True)
        )

    def with_contact_state(self, today):
        """Annotate what ``expired_contact_person_ids`` reads of the row's person (any open seat, the last end),
        so a member list decides whose contact details expired without a query of its own
        (``upkeep.privacy.mark_annotated_memberships``)."""
        return self.annotate(**contact_state_annotations(OuterRef("person_id"), today))

    def visible_below(self, scope):
        """Seats readers may see below ``scope`` (the overview page or a group page): in a published group.

        The scope of the person pages and the person's vCard: who has such a seat has a page."""
        return self.filter(group__live=True, group__path__startswith=scope.path)

    def ended_before(self, date=None):
        return self.filter(end_date__lt=date or timezone.localdate())

    def upcoming(self, date=None):
        return self.filter(start_date__gt=date or timezone.localdate())

    def for_display(self):
        """Leader first, then by organisation (municipalities, cooperation, unions), role and name."""
        return (
            self.select_related("person", "represents")
            .annotate(
                leader_rank=Case(When(role=Role.LEADER, then=Value(0)), default=Value(1), output_field=IntegerField()),
                kind_rank=_rank("represents__kind", KIND_RANK),
                role_rank=_rank("role", ROLE_RANK),
            )
            .order_by("leader_rank", "kind_rank", "represents__name", "role_rank", "person__name")
        )


class CurrentMembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    """Memberships that count: every list, count, export, reminder and compliance check reads these.

    A membership withdrawn as "registered in error" is never deleted (its revisions and log stay), but it is
    gone from everything that reads ``Membership.objects`` or a related manager (``group.memberships``).
    ``Membership.all_objects`` sees it too (staff's list of withdrawn entries, restoring, history)."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Membership(FastLoadMixin, RevisionMixin, models.Model):
    person = models.ForeignKey(
        "faggruppe_pages.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    group = models.ForeignKey(
        # PROTECT: a group with members is closed, never deleted (wagtail_hooks refuses with the reason).
        "faggruppe_pages.GroupPage",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    represents = models.ForeignKey(
        "faggruppe_pages.Organisation",
        verbose_name=_("represents"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The last day of the term. Leave empty if open-ended.")
    )
    appointed_by = models.CharField(
        _("appointed by"), max_length=200, blank=True, help_text=_("E.g. “Molde kommune, kommunalsjef oppvekst”.")
    )
    appointment_reference = models.CharField(_("appointment reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True, editable=False)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = models.CharField(_("why it was withdrawn"), max_length=255, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="faggruppe_membership")

    objects = CurrentMembershipManager()
    all_objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group__title", "represents__name", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group", "role", "start_date"],
                condition=Q(withdrawn_at__isnull=True),
                name="membership_unique_person_group_role_start",
                violation_error_message=_("This person already has this role in this group from this date."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["group", "end_date"]), models.Index(fields=["represents", "end_date"])]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} – {self.group}"

    def is_active_on(self, date):
        return is_active_on(self.start_date, self.end_date, date)

    @property
    def is_active(self):
        return self.is_active_on(timezone.localdate())

    def ends_soon(self, today=None):
        """The term ends within ``ENDING_SOON_DAYS`` of ``today`` (and has not ended yet)."""
        return ends_within(self.end_date, today or timezone.localdate(), ENDING_SOON_DAYS)

    @property
    def role_label(self):
        """The role as a reader sees it; a union representative is marked with the union."""
        if self.role == Role.UNION_REP:
            return _("Union representative (%(union)s)") % {"union": self.represents.display_name}
        try:
            # The enum's label: what get_role_display() gives, without building the field's choices each call
            # (a member list asks once per row).
            return str(Role(self.role).label)
        except ValueError:
            return self.get_role_display()

    @staticmethod
    def list_verified_at(memberships):
        """When a whole list was last verified: its least recently verified entry.

        None when the list is empty or any entry was never verified.
        """
        return list_verified_at(m.last_verified_at for m in memberships)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.represents_id:
            kind = self.represents.kind
            if self.role == Role.UNION_REP and kind != OrganisationKind.UNION:
                errors["represents"] = _("A union representative must represent a union.")
            elif kind == OrganisationKind.UNION and self.role not in (Role.UNION_REP, Role.SUBSTITUTE):
                errors["role"] = _("Only a union representative (or their substitute) can represent a union.")
            elif self.role == Role.ADVISER and kind != OrganisationKind.COOPERATION:
                errors["represents"] = _("An adviser from the cooperation must represent the cooperation.")
        if not errors and self.person_id and self.group_id and self.start_date:
            clash = self.overlapping().first()
            if clash:
                errors["start_date"] = _(
                    "%(person)s already has the role %(role)s in %(group)s in this period (from %(start)s)."
                ) % {
                    "person": self.person,
                    "role": self.get_role_display().lower(),
                    "group": self.group.title,
                    "start": formats.date_format(clash.start_date, "SHORT_DATE_FORMAT"),
                }
        if errors:
            raise ValidationError(errors)

    def overlapping(self):
        """Other memberships of the same person, group and role whose period overlaps this one."""
        others = Membership.objects.filter(person_id=self.person_id, group_id=self.group_id, role=self.role)
        if self.pk:
            others = others.exclude(pk=self.pk)
        others = others.filter(not_ended_q(self.start_date))
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.order_by("start_date")

    # -- registered in error: withdrawn, never deleted ---------------------------------------------------------
    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def withdraw(self, user, reason=""):
        """Take the entry out of every list, count, export and check; its revisions and log stay."""
        from django.db import transaction
        from wagtail.log_actions import log

        with transaction.atomic():
            self.withdrawn_at, self.withdrawn_by, self.withdrawal_reason = timezone.now(), user, reason[:255]
            self.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
            log(self, WITHDRAW_ACTION, user=user, data={"reason": self.withdrawal_reason})

    def restore(self, user):
        """Undo a withdrawal (staff). Raises ValidationError if the entry now clashes with another one."""
        from django.db import transaction
        from wagtail.log_actions import log

        self.withdrawn_at = None
        self.validate_constraints()
        self.clean()
        with transaction.atomic():
            self.withdrawn_by, self.withdrawal_reason = None, ""
            self.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
            log(self, RESTORE_ACTION, user=user)


WITHDRAW_ACTION = "faggruppe_pages.withdraw"
RESTORE_ACTION = "faggruppe_pages.restore"
