"""Mutants of the group's work: its permission policy, the forms' boundary and the transitions' guard."""

from mutants import M

PERM = "governance/permissions.py"
FORMS = "governance/admin/forms.py"
TRANS = "governance/admin/transitions.py"

MUTANTS = [
    M(
        "work-any-group",
        PERM,
        "                group_id is not None\n                and group_id in self._groups_for(user, action)",
        "                group_id is not None\n                and bool(self._groups_for(user, action))",
        "a member of any group acts on every group's meetings, measures, benefits and proposals",
        "GroupWorkPolicy.user_has_any_permission_for_instance",
    ),
    M(
        "work-members-are-officers",
        PERM,
        "OFFICER_ROLES = frozenset({Role.LEADER, Role.DEPUTY, Role.SECRETARY})",
        "OFFICER_ROLES = frozenset({Role.LEADER, Role.DEPUTY, Role.SECRETARY, Role.MEMBER})",
        "an ordinary member plans meetings and sends the notice",
        "OFFICER_ROLES",
    ),
    M(
        "work-sent-proposal-editable",
        PERM,
        '        if action in ("add", "change"):\n            return instance.status == ProposalStatus.DRAFT',
        '        if action in ("add", "change"):\n            return True',
        "members change a proposal after it was sent to the body",
        "ProposalPolicy.member_state_allows",
    ),
    M(
        "work-any-person",
        FORMS,
        "        if self._staff:\n            return True\n        group_id = self.chosen_group_id()",
        "        if True:\n            return True\n        group_id = self.chosen_group_id()",
        "a member names a person of another group (or a former member) as chair, owner or attendee",
        "GroupWorkForm.check_people",
    ),
    M(
        "work-transition-unchecked",
        TRANS,
        "        if not allowed(self.request.user, self.transition, obj):\n            raise PermissionDenied",
        "        if not self.request.user.is_authenticated:\n            raise PermissionDenied",
        "any admin user starts any transition (send the notice, approve and publish minutes, send a proposal)",
        "TransitionView.get_object",
    ),
    M(
        "work-state-from-form",
        FORMS,
        "        instance = self.instance\n        if instance.pk is None:\n            return\n",
        "        instance = self.instance\n        if instance.pk is not None:\n            return\n",
        "a saved form (or a reverted revision) overwrites fields the form does not edit: states, the group",
        "GroupWorkForm.restore_unedited_fields",
    ),
    M(
        "transition-date-plain-field",
        FORMS,
        "    approval_deadline = date_field(",
        "    approval_deadline = forms.DateField(",
        "the deadline for comments on the minutes has no date picker and is refused as dd.mm.åååå under English",
        "SendMinutesForm.approval_deadline",
    ),
]
