"""Rights from directory groups, applied at every single sign-on login.

The token's ``groups`` claim lists the directory groups the user is in. Each ``DirectoryGroupMapping`` points a
directory group at a Django group: "Redaksjon" (staff) or an organisation's representatives group (the one
``faggruppe_pages.upkeep.sync`` keeps, holding the organisation's ``manage_entries`` object permission). The user is
put in the targets of the groups in the token and taken out of the mapped targets not in it; a Django group no
mapping points at is never touched, so staff's manual assignments stay. Membership of those Django groups is the
same thing Wagtail's user admin edits, so the rights follow exactly as when staff add a user by hand.

- No mappings: nothing is done (e.g. Ansattporten, which sends no groups: rights are then staff's to manage).
- With mappings, a token without ``groups`` means "in none of them": the mapped rights are removed (fail closed).
- Entra's "groups overage" (more than 200 groups: ``_claim_names.groups`` or ``hasgroups`` instead of the list):
  the groups cannot be read from the token, so the mapped rights are removed for this login and the user is told.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth.models import Group

from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME
from intranet.oidc.models import DirectoryGroupMapping, MappingTarget

logger = logging.getLogger(__name__)


@dataclass
class RightsResult:
    added: frozenset = frozenset()
    removed: frozenset = frozenset()
    unreadable: bool = False


def groups_overage(claims):
    names = claims.get("_claim_names")
    return "groups" not in claims and ((isinstance(names, dict) and "groups" in names) or bool(claims.get("hasgroups")))


def target_groups():
    """{Django group id: set of directory group ids pointing at it} for every mapping with an existing target."""
    targets = {}
    staff_group_id = None
    mappings = list(DirectoryGroupMapping.objects.select_related("organisation"))
    if any(m.target == MappingTarget.STAFF for m in mappings):
        staff_group_id = Group.objects.filter(name=STAFF_GROUP_NAME).values_list("pk", flat=True).first()
    for mapping in mappings:
        if mapping.target == MappingTarget.STAFF:
            group_id = staff_group_id
        else:
            group_id = mapping.organisation.representatives_group_id if mapping.organisation else None
        if group_id is not None:
            targets.setdefault(group_id, set()).add(mapping.directory_group_id)
    return targets


def apply_directory_groups(user, claims):
    """Put ``user`` in exactly the mapped Django groups the token's directory groups give. Writes only changes."""
    targets = target_groups()
    if not targets:
        return RightsResult()
    unreadable = groups_overage(claims)
    if unreadable:
        logger.warning(
            "Single sign-on: groups overage for user %s (%s): the token lists no groups; mapped rights removed",
            user.pk,
            claims.get("sub"),
        )
    raw = claims.get("groups") or []
    in_directory = set() if unreadable else {str(g) for g in (raw if isinstance(raw, list) else [raw])}
    wanted = {group_id for group_id, directory_ids in targets.items() if directory_ids & in_directory}
    current = set(user.groups.filter(pk__in=targets).values_list("pk", flat=True))
    added, removed = wanted - current, current - wanted
    if added:
        user.groups.add(*added)
    if removed:
        user.groups.remove(*removed)
    if added or removed:
        logger.info("Single sign-on: user %s added to groups %s, removed from %s", user.pk, added, removed)
    return RightsResult(frozenset(added), frozenset(removed), unreadable)
