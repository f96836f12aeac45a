"""Versioned mandates carrying their rules as data, and which version is in force for a group on a date.

A mandate version is a Wagtail snippet with drafts, revisions and the staff approval workflow:
publishing a version *is* approving it. The database row of a live version holds the approved
content; later edits wait in a draft revision until approved again. Which version is in force for
a group on a date is decided by ``valid_from``, never by code: approving a newer version changes
every group's compliance from its valid-from date (``pick_mandate``, ``MandateQuerySet``).
"""

import dataclasses
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin, WorkflowState
from wagtail.search import index

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.models import ArbeidsgruppePage
from faggruppe_pages.prepared import prepared
from faggruppe_pages.routing import request_memo
from faggruppe_pages.versioned import copy_instance, versioned
from faggruppe_pages.wiring import ClassByName
from governance.blocks import MandateBlock
from governance.models.bodies import GoverningBody
from governance.models.mandate_panels import MANDATE_PANELS
from governance.rules.base import ANYONE, MUNICIPALITIES, OWNER_MUNICIPALITIES, RuleSet

#: The action (codename "view_compliance_mandate", in ``Mandate.Meta.permissions``) that lets staff see
#: the compliance report and the dashboard panel.
REPORT_PERMISSION = "view_compliance"


class MandateScope(models.TextChoices):
    FAGGRUPPER = "faggruppe", _("Every faggruppe")
    ARBEIDSGRUPPER = "arbeidsgruppe", _("Every arbeidsgruppe")
    GROUP = "group", _("One group")


class LeaderEligibility(models.TextChoices):
    OWNER_MUNICIPALITIES = OWNER_MUNICIPALITIES, _("The owner municipalities' representatives")
    MUNICIPALITIES = MUNICIPALITIES, _("The municipalities' representatives")
    ANYONE = ANYONE, _("Any member")


class MandateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved, not yet in force")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


def case_number_matches(prefix, case_number):
    """ "ST 4/19" for a body with the prefix "ST" (also "ST 04/2019", "ST-4/19"); a body without a prefix: "4/19"."""
    number = r"\d{1,4}\s?[/-]\s?(\d{2}|\d{4})"
    pattern = rf"{re.escape(prefix.strip())}[\s-]?{number}" if prefix.strip() else number
    return re.fullmatch(pattern, case_number.strip(), flags=re.IGNORECASE) is not None


def group_kind(group):
    """The mandate scope a group page falls under (from its content type; no query)."""
    if issubclass(group.specific_class or type(group), ArbeidsgruppePage):
        return MandateScope.ARBEIDSGRUPPER
    return MandateScope.FAGGRUPPER


def pick_mandate(mandates, group):
    """Of approved versions already valid (newest first), the one in force for ``group``.

    The most specific wins: a version for this one group before the version for its kind.
    The one place that decides precedence, for one group and for all groups at once.
    """
    kind = group_kind(group)
    own = next((m for m in mandates if m.scope == MandateScope.GROUP and m.group_id == group.pk), None)
    return own or next((m for m in mandates if m.scope == kind and m.group_id is None), None)


def groups_with_mandates(groups):
    """The ids of ``groups`` with a mandate of their own: such a group is closed, never deleted."""
    return Mandate.objects.filter(group__in=groups).values_list("group_id", flat=True)


class MandateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(live=True)

    def same_scope_as(self, mandate):
        if mandate.scope == MandateScope.GROUP:
            return self.filter(scope=MandateScope.GROUP, group_id=mandate.group_id)
        return self.filter(scope=mandate.scope)

    def valid_on(self, day):
        """Approved versions valid from ``day`` or earlier, newest first, with what the pages show."""
        return (
            self.approved()
            .filter(valid_from__lte=day)
            .select_related("approved_by", "reports_to")
            .order_by("-valid_from", "-pk")
        )

    def with_status(self, day):
        """Annotate what ``status_on`` needs, so a listing does not query per row.

        ``is_superseded``: a later approved version of the same scope is in force on ``day``;
        ``in_review``: a workflow is in progress.
        """
        later = Mandate.objects.annotate(group_key=Coalesce("group_id", Value(0))).filter(
            live=True,
            scope=OuterRef("scope"),
            group_key=OuterRef("group_key"),
            valid_from__gt=OuterRef("valid_from"),
            valid_from__lte=day,
        )
        in_review = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Mandate),
            object_id=Cast(OuterRef("pk"), models.CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        return self.annotate(group_key=Coalesce("group_id", Value(0))).annotate(
            is_superseded=Exists(later), in_review=Exists(in_review)
        )


@prepared
def _in_force_candidates(group_id, kind, day):
    """The approved versions valid on ``day`` for the group or its kind, newest first (``pick_mandate`` picks).
    Compiled once (faggruppe_pages/prepared.py)."""
    return Mandate.objects.valid_on(day).filter(Q(group_id=group_id) | Q(group__isnull=True, scope=kind))


def in_force_for(group, day):
    """The mandate in force for ``group`` on ``day`` (None when none applies): one query."""
    return pick_mandate(_in_force_candidates(group.pk, group_kind(group), day), group)


class MandateManager(models.Manager.from_queryset(MandateQuerySet)):
    def in_force_for(self, group, day):
        """The mandate in force for ``group`` on ``day`` (None when none applies), of all mandates: one query.
        On the manager only: a filtered queryset's filter would not apply."""
        return in_force_for(group, day)


def mandate_in_force(group, day):
    """``in_force_for(group, day)``, asked once per request for a routed page (its
    ``request_memo``): a group page's seat rules, compliance and mandate summary read the same mandate. A reader
    request that read the data version gets it without a query when another request of that version asked
    (faggruppe_pages/versioned.py), as its own copy."""
    memo = request_memo(group)
    if memo is None:
        return in_force_for(group, day)
    key = ("governance_mandate_in_force", day)
    if key not in memo:
        kept = versioned((*key, group.pk), lambda: in_force_for(group, day))
        memo[key] = copy_instance(kept) if kept is not None else None
    return memo[key]


class Mandate(FastLoadMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """One version of a mandate, for every group of a kind or for one group, with its rules as data."""

    # A broken StreamField submission is a form error, not a server error; publishing needs the approval
    # stamp (named: the admin is a higher layer).
    base_form_class = ClassByName("governance.admin.forms.MandateForm")

    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. “Mandat for faggruppene”."))
    version = models.CharField(_("version"), max_length=50, help_text=_("E.g. “2019” or “2.0”."))
    scope = models.CharField(
        _("applies to"), max_length=20, choices=MandateScope.choices, default=MandateScope.FAGGRUPPER
    )
    group = models.ForeignKey(
        "faggruppe_pages.GroupPage",
        verbose_name=_("group"),
        null=True,
        blank=True,
        # A group with a mandate is closed, never deleted (faggruppe_pages refuses deleting it).
        on_delete=models.PROTECT,
        related_name="mandates",
        help_text=_("Only when the mandate applies to one group (e.g. an arbeidsgruppe's assignment)."),
    )
    text = StreamField(MandateBlock(), verbose_name=_("text"), blank=True)
    changes = models.TextField(
        _("what changed"), blank=True, help_text=_("For readers: what is new compared with the previous version.")
    )

    approved_by = models.ForeignKey(
        GoverningBody,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_mandates",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=50, blank=True, help_text=_("E.g. “ST 4/19”."))
    valid_from = models.DateField(_("valid from"))
    reports_to = models.ForeignKey(
        GoverningBody,
        verbose_name=_("groups report to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates_reporting_here",
    )

    # The rule set (governance.rules.RuleSet). Empty means the mandate sets no rule; an empty review
    # interval means the portal default applies (governance.rules.review).
    min_reps_per_municipality = models.PositiveSmallIntegerField(
        _("representatives per municipality, at least"), null=True, blank=True, default=1
    )
    max_reps_per_municipality = models.PositiveSmallIntegerField(
        _("representatives per municipality, at most"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no upper limit."),
    )
    cooperation_seat_required = models.BooleanField(_("the cooperation must be represented"), default=True)
    union_seats_min = models.PositiveSmallIntegerField(_("union representatives, at least"), null=True, blank=True)
    union_seats_max = models.PositiveSmallIntegerField(_("union representatives, at most"), null=True, blank=True)
    leader_required = models.BooleanField(_("the group must have a leader"), default=True)
    leader_eligibility = models.CharField(
        _("the leader is elected from"),
        max_length=30,
        choices=LeaderEligibility.choices,
        default=LeaderEligibility.MUNICIPALITIES,
    )
    meetings_per_year_min = models.PositiveSmallIntegerField(
        _("meetings per year, at least"), null=True, blank=True, help_text=_("Leave both empty: the group decides.")
    )
    meetings_per_year_max = models.PositiveSmallIntegerField(_("meetings per year, at most"), null=True, blank=True)
    urgent_matters_between_meetings = models.BooleanField(
        _("urgent matters may be handled between meetings"), default=False
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("member list confirmed at least every (days)"), null=True, blank=True, default=180
    )
    status_report_interval_days = models.PositiveSmallIntegerField(
        _("measures report their status at least every (days)"),
        null=True,
        blank=True,
        default=120,
        help_text=_("Leave empty: no rule (task 7, follow up and report status on the group's own measures)."),
    )
    benefits_followed_up = models.BooleanField(
        _("benefits are followed up"),
        default=True,
        help_text=_("Task 5: a benefit past its target date without a realisation is a finding."),
    )

    objects = MandateManager()

    # Search (governance/reader/search.py): readers find approved versions valid today or earlier.
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("version"),
        index.SearchField("case_number"),
        index.SearchField("text"),
        index.SearchField("changes"),
        index.FilterField("id"),
        index.FilterField("live"),
        index.FilterField("valid_from"),
    ]

    panels = MANDATE_PANELS

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["scope", "group_id", "-valid_from"]
        # Wagtail's permission policies name an action "<action>_<model>": this is the action REPORT_PERMISSION.
        permissions = [("view_compliance_mandate", _("Can see the compliance report and dashboard panel"))]

    def __str__(self):
        return f"{self.title} ({self.version})"

    def get_absolute_url(self):
        """The mandate's reader page (governance/reader/mandates.py; drafts answer 404 there)."""
        from django.urls import reverse

        return reverse("governance_mandate", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.scope == MandateScope.GROUP and not self.group_id:
            errors["group"] = _("Choose the group this mandate applies to.")
        elif self.scope != MandateScope.GROUP and self.group_id:
            errors["group"] = _("Leave the group empty when the mandate applies to every group of a kind.")
        for low, high in (
            ("min_reps_per_municipality", "max_reps_per_municipality"),
            ("union_seats_min", "union_seats_max"),
            ("meetings_per_year_min", "meetings_per_year_max"),
        ):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and b < a:
                errors[high] = _("The highest number cannot be lower than the lowest.")
        if errors:
            raise ValidationError(errors)

    def stamp_errors(self):
        """What the approval stamp lacks before this version may be published (approved): body, date and
        a case number in the body's format ({field: message}; empty when complete)."""
        errors = {}
        if not self.approved_by_id:
            errors["approved_by"] = _("Say which body approved the mandate before it is published.")
        if not self.approved_on:
            errors["approved_on"] = _("Give the date of the approval before the mandate is published.")
        if not self.case_number.strip():
            errors["case_number"] = _("Give the approval's case number before the mandate is published.")
        elif self.approved_by_id and not case_number_matches(self.approved_by.case_prefix, self.case_number):
            example = f"{self.approved_by.case_prefix} 4/19".strip()
            errors["case_number"] = _(
                "Write the case number in the format of %(body)s, for example “%(example)s”: number, slash, year."
            ) % {"body": self.approved_by.name, "example": example}
        return errors

    def publish(self, revision, *args, **kwargs):
        """Publishing a version approves it: never without its stamp, whichever way it is published (the
        edit form and the workflow's approval refuse earlier, with the message on the field)."""
        errors = revision.as_object().stamp_errors()
        if errors:
            raise ValidationError(errors)
        return super().publish(revision, *args, **kwargs)

    # -- rules --------------------------------------------------------------------------
    def rule_set(self):
        """The fields named like ``RuleSet``'s, as one (a new rule needs a field of the same name).

        As the mandate states them: an empty review interval stays empty here (the engine is given the
        effective one, ``governance.compliance.effective_rules``).
        """
        return RuleSet(**{f.name: getattr(self, f.name) for f in dataclasses.fields(RuleSet)})

    @property
    def scope_label(self):
        if self.scope == MandateScope.GROUP and self.group_id:
            return self.group.title
        return self.get_scope_display()

    # -- status -------------------------------------------------------------------------
    @property
    def approval_stamp(self):
        """“Godkjent av styret for ROR-IKT 13.02.2019 – sak ST 4/19”, from what is known."""
        if not self.approved_by_id:
            return ""
        text = _("Approved by %(body)s") % {"body": self.approved_by.name}
        if self.approved_on:
            text += " " + date_format(self.approved_on, "d.m.Y")
        if self.case_number:
            text += " – " + _("case %(number)s") % {"number": self.case_number}
        return text

    def status_on(self, day=None):
        day = day or timezone.localdate()
        if not self.live:
            in_review = getattr(self, "in_review", None)
            if in_review is None:
                in_review = self.workflow_in_progress
            return MandateStatus.IN_REVIEW if in_review else MandateStatus.DRAFT
        superseded = getattr(self, "is_superseded", None)
        if superseded is None:
            superseded = (
                Mandate.objects.approved()
                .same_scope_as(self)
                .filter(valid_from__gt=self.valid_from, valid_from__lte=day)
                .exists()
            )
        if superseded:
            return MandateStatus.SUPERSEDED
        return MandateStatus.IN_FORCE if self.valid_from <= day else MandateStatus.APPROVED

    @property
    def status_label(self):
        return MandateStatus(self.status_on()).label

    def earlier_versions(self):
        """Approved versions of the same scope that came before this one, newest first."""
        return (
            Mandate.objects.approved()
            .same_scope_as(self)
            .filter(valid_from__lt=self.valid_from)
            .select_related("approved_by", "reports_to")
            .order_by("-valid_from", "-pk")
        )
