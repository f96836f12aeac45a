"""The data model of the faggruppe pages add-on.

Import order (no cycles): organisations <- object_permissions, people <- pages <- memberships.
Other apps import the public names from here, never from the submodules.
"""

from .memberships import Membership, MembershipQuerySet, Role
from .object_permissions import OrganisationGroupObjectPermission, OrganisationUserObjectPermission
from .organisations import Organisation, OrganisationKind
from .pages import ArbeidsgruppePage, FaggruppeIndexPage, FaggruppePage, GroupPage, GroupStatus
from .people import Person
from .reminders import Reminder, ReminderItem, ReminderKind, ReminderReason

__all__ = [
    "ArbeidsgruppePage",
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
