"""Governance's data: governing bodies and versioned mandates, one module per concern.

Which submodule may import which (lowest first; never upwards, never a circle):

- ``bodies``: governing bodies and their dated reporting lines; imports no other governance module.
- ``mandate_panels``: the mandate's edit form layout; imports nothing of governance.
- ``mandates``: mandate versions, their status and which one is in force (``pick_mandate``); imports
  ``bodies``, ``mandate_panels``, ``governance.blocks`` and ``governance.rules.base`` (the RuleSet its
  rule fields fill).
- Later concerns (meetings, measures, benefits, proposals) get a module each and may import
  ``bodies`` and ``mandates``; those two never import them.

Nothing here imports the rule checks, compliance, the admin or the reader pages (scripts/import_layers.py).
Import the public names from this package: ``from governance.models import Mandate``.
"""

from governance.models.bodies import MAX_CHAIN, GoverningBody, ReportingLine
from governance.models.mandates import (
    REPORT_PERMISSION,
    LeaderEligibility,
    Mandate,
    MandateQuerySet,
    MandateScope,
    MandateStatus,
    group_kind,
    groups_with_mandates,
    pick_mandate,
)

__all__ = [
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
