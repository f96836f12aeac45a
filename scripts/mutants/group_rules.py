"""Mutants of the mandate's stamp and of the rules on the group's work: R13, tasks 5 and 7."""

from mutants import M

MAND = "governance/models/mandates.py"
FORMS = "governance/admin/forms.py"
COMP = "governance/compliance.py"
WORK = "governance/rules/work.py"
MEET = "governance/rules/meetings.py"

MUTANTS = [
    # -- the approval stamp -------------------------------------------------------------------------------------
    M(
        "stamp-publish-unchecked",
        MAND,
        "        errors = revision.as_object().stamp_errors()\n"
        "        if errors:\n            raise ValidationError(errors)\n",
        "        errors = {}\n",
        "a version without body, date or case number is published by a script or a workflow approval",
        "Mandate.publish",
    ),
    M(
        "stamp-any-case-number",
        MAND,
        "        elif self.approved_by_id and not case_number_matches(self.approved_by.case_prefix, self.case_number):",
        "        elif False:",
        'a case number in another body\'s format ("4/19" for Styret) is accepted',
        "Mandate.stamp_errors",
    ),
    M(
        "stamp-submit-without",
        FORMS,
        'PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")',
        'PUBLISHING_ACTIONS = ("action-publish",)',
        "a version goes into the approval workflow without its stamp (and the workflow publishes it)",
        "MandateForm.clean",
    ),
    # -- R13: what counts as a meeting held ------------------------------------------------------------------
    M(
        "r13-unannounced-meetings-count",
        COMP,
        "        group_id__in=group_ids, notice_sent_at__isnull=False, starts_at__gte=since, starts_at__lt=until",
        "        group_id__in=group_ids, starts_at__gte=since, starts_at__lt=until",
        "a meeting that was never announced counts as held",
        "work_facts",
    ),
    M(
        "r13-urgent-counts",
        COMP,
        "        if kind in HELD_KINDS:\n            facts[group_id].meetings.append(local_day)",
        "        if True:\n            facts[group_id].meetings.append(local_day)",
        "an urgent matter handled by e-mail counts as a meeting held",
        "work_facts",
    ),
    M(
        "r13-future-counts",
        MEET,
        "    return sum(1 for day in days if since < day <= on)",
        "    return sum(1 for day in days if since < day)",
        "a meeting planned for next month counts as held today",
        "in_window",
    ),
    # -- tasks 7 and 5 --------------------------------------------------------------------------------------
    M(
        "task7-closed-measures-report",
        WORK,
        "        if measure.last_status in CLOSED:\n            continue\n",
        "",
        "a completed or cancelled measure is still asked for status reports",
        "check_measures",
    ),
    M(
        "task7-drafts-judged",
        COMP,
        "        Measure.objects.filter(group_id__in=group_ids, published_at__isnull=False)",
        "        Measure.objects.filter(group_id__in=group_ids)",
        "a draft measure (not yet the group's commitment) is a finding",
        "work_facts",
    ),
    M(
        "task5-later-realisation-counts",
        COMP,
        '    realised = Realisation.objects.filter(benefit=OuterRef("pk"), date__lte=day)',
        '    realised = Realisation.objects.filter(benefit=OuterRef("pk"))',
        "a realisation recorded after the check date hides the finding of that date (the yearly report's year end)",
        "work_facts",
    ),
    M(
        "representation-union-expected",
        "faggruppe_pages/reader/representation.py",
        "expects_seats = organisation.kind != OrganisationKind.UNION and organisation.participates_on(day)",
        "expects_seats = organisation.participates_on(day)",
        "Hvor er … representert? lists a union's own gaps, though the unions fill one seat together",
        "representation.representation",
    ),
]
