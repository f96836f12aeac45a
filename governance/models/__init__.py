"""Governance's data: governing bodies and versioned mandates, one module per concern.

Which submodule may import which (lowest first; never upwards, never a circle):

- ``bodies``: governing bodies and their dated reporting lines; imports no other governance module.
- ``mandate_panels``: the mandate's edit form layout; imports nothing of governance.
- ``mandates``: mandate versions, their status and which one is in force (``pick_mandate``); imports
  ``bodies``, ``mandate_panels``, ``governance.blocks`` and ``governance.rules.base`` (the RuleSet its
  rule fields fill).
- ``meetings`` (meetings, agenda items, attendance, minutes), ``measures`` (measures, status reports,
  benefits, targets, realisations), ``proposals`` (proposals to a body, attachments) and ``calendar``
  (per-user calendar addresses) may import ``bodies`` and ``mandates``; those two never import them.

Nothing here imports the rule checks, compliance, the admin or the reader pages (scripts/import_layers.py).
Import the public names from this package: ``from governance.models import Mandate``.
"""

from governance.models.bodies import MAX_CHAIN, GoverningBody, ReportingLine
from governance.models.calendar import CalendarToken
from governance.models.mandates import (
    REPORT_PERMISSION,
    LeaderEligibility,
    Mandate,
    MandateQuerySet,
    MandateScope,
    MandateStatus,
    case_number_matches,
    group_kind,
    groups_with_mandates,
    pick_mandate,
)
from governance.models.measures import (
    CLOSED_STATUSES,
    Benefit,
    BenefitKind,
    BenefitTarget,
    Measure,
    MeasureKind,
    MeasureStatus,
    Realisation,
    StatusReport,
)
from governance.models.meetings import (
    HELD_KINDS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingKind,
    MinutesStatus,
    format_case_number,
)
from governance.models.proposals import DECIDED, Proposal, ProposalAttachment, ProposalKind, ProposalStatus

__all__ = [
    "CLOSED_STATUSES",
    "DECIDED",
    "HELD_KINDS",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Benefit",
    "BenefitKind",
    "BenefitTarget",
    "CalendarToken",
    "ItemKind",
    "Measure",
    "MeasureKind",
    "MeasureStatus",
    "Meeting",
    "MeetingKind",
    "MinutesStatus",
    "Proposal",
    "ProposalAttachment",
    "ProposalKind",
    "ProposalStatus",
    "Realisation",
    "StatusReport",
    "case_number_matches",
    "format_case_number",
    "MAX_CHAIN",
    "REPORT_PERMISSION",
    "GoverningBody",
    "LeaderEligibility",
    "Mandate",
    "MandateQuerySet",
    "MandateScope",
    "MandateStatus",
    "ReportingLine",
    "group_kind",
    "groups_with_mandates",
    "pick_mandate",
]
