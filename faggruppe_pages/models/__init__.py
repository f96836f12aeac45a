"""The data model of the faggruppe pages add-on: the lowest layer but the pure helpers below it.

Within the package only memberships imports organisations and pages imports panels; the others
import no sibling (panels and people reach memberships through the ``memberships`` relation).
Nothing here imports the add-on's domain logic, views, admin or exports (scripts/import_layers.py
checks it); the page models name their admin form and their route views by string
(faggruppe_pages/wiring.py). Other modules import the public names from here.
"""

from faggruppe_pages.models.accessibility import AccessibilityStatement, Conformance
from faggruppe_pages.models.data_version import DataVersion
from faggruppe_pages.models.memberships import Membership, MembershipQuerySet, Role
from faggruppe_pages.models.object_permissions import (
    OrganisationGroupObjectPermission,
    OrganisationUserObjectPermission,
)
from faggruppe_pages.models.organisations import Organisation, OrganisationKind
from faggruppe_pages.models.pages import ArbeidsgruppePage, FaggruppeIndexPage, FaggruppePage, GroupPage, GroupStatus
from faggruppe_pages.models.people import Person
from faggruppe_pages.models.reminders import Reminder, ReminderItem, ReminderKind, ReminderReason
from faggruppe_pages.models.uploads import BulkUpload

__all__ = [
    "AccessibilityStatement",
    "ArbeidsgruppePage",
    "BulkUpload",
    "Conformance",
    "DataVersion",
    "FaggruppeIndexPage",
    "FaggruppePage",
    "GroupPage",
    "GroupStatus",
    "Membership",
    "MembershipQuerySet",
    "Organisation",
    "OrganisationGroupObjectPermission",
    "OrganisationUserObjectPermission",
    "OrganisationKind",
    "Person",
    "Reminder",
    "ReminderItem",
    "ReminderKind",
    "ReminderReason",
    "Role",
]
