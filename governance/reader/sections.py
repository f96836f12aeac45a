"""The group page's and the overview page's governance sections, filling faggruppe_pages' slots
(``GROUP_PAGE_SUMMARY_HOOK``, ``GROUP_PAGE_MANDATE_HOOK``, ``GROUP_INDEX_MANDATE_HOOK``): each renders a
template (governance/reader/*.html) with render_to_string.

Calm by default: a reader sees one status line on compliance (the findings one click away) and the mandate in
force as a summary with its approval stamp and a link to the whole text (governance/reader/mandates.py). Staff,
the group page's editors and the representatives of the organisations involved see every finding at once.
"""

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import Truncator

from faggruppe_pages.models import ArbeidsgruppePage
from faggruppe_pages.permissions import holds_no_grants, represented_organisation_ids
from faggruppe_pages.texts import overlaps
from governance import compliance, rules
from governance.models import Mandate, MandateScope
from governance.models.mandates import REPORT_PERMISSION
from governance.models.mandates import mandate_in_force as page_mandate
from governance.reader import meetings
from governance.reader import work as reader_work

#: How many words of the mandate's first paragraph the summary shows.
SUMMARY_WORDS = 40


def page_compliance(page, context):
    """Computed once per request and shared by both sections (constant queries, members from the context; a
    published page's meetings, measures and benefits as its sections load them, so they are read once)."""
    if "governance_compliance" not in context:
        day = context["today"]
        mandate = page_mandate(page, day)
        work = None
        if mandate is not None and page.live:  # a published group's readers' rows: the same the check counts
            measures = reader_work.page_measures(page)
            benefits = reader_work.page_benefits(page, measures)
            work = compliance.work_facts_from(day, meetings.page_meetings(page, day), measures, benefits)
        context["governance_compliance"] = compliance.check_group(
            page, day, members=context["members"], mandate=mandate, work=work
        )
    return context["governance_compliance"]


def sees_all_findings(user, page, result, members):
    """Staff (the compliance report's permission), whoever may edit the group page, and the representatives of
    an organisation that sits in the group or is named in a finding. Everyone else gets the status line."""
    if not (user and user.is_authenticated) or holds_no_grants(user):
        return False  # a plain reader: none of the questions below can answer yes (one query instead of five)
    if user.has_perm(f"governance.{REPORT_PERMISSION}_mandate"):
        return True
    if page.permissions_for_user(user).can_edit():
        return True
    involved = {m.represents_id for m in members} | {f.organisation_id for f in result.findings if f.organisation_id}
    return bool(involved & represented_organisation_ids(user))


def compliance_summary(page, request, context):
    """Does the group meet its mandate: a status line for readers, the findings for those who act on them;
    nothing where no mandate applies."""
    result = page_compliance(page, context)
    if result.mandate is None and not result.findings:
        return ""  # an arbeidsgruppe without a mandate of its own: nothing to say
    deviations = result.errors + result.warnings
    return render_to_string(
        "governance/reader/compliance_summary.html",
        {
            "result": result,
            "counts": result.counts,
            "deviations": deviations,
            "full": sees_all_findings(request.user, page, result, context["members"]),
            "today": context["today"],
        },
        request=request,
    )


def version_history(mandate):
    """The version in force and the earlier ones, newest first, each with the rule changes it brought."""
    versions = [mandate, *mandate.earlier_versions()]
    return [
        {
            "mandate": newer,
            "rule_changes": rules.describe_changes(older.rule_set(), newer.rule_set()) if older else [],
        }
        for newer, older in zip(versions, versions[1:] + [None], strict=True)
    ]


def excerpt(mandate, already_shown=()):
    """The first paragraph of the mandate's text in at most SUMMARY_WORDS words, or "" when there is none or it
    says what the page already shows (equal, contained or containing; e.g. an arbeidsgruppe's assignment: the
    whole text is one click away)."""
    for block in mandate.text:
        if block.block_type == "paragraph":
            words = Truncator(" ".join(strip_tags(block.value.source).split())).words(SUMMARY_WORDS)
            return "" if overlaps(words.rstrip("…"), already_shown) else words
    return ""


def summary_context(mandate, day, already_shown=()):
    """What a mandate summary shows: the opening words, the stamp and whom the groups report to."""
    chain = mandate.reports_to.chain_on(day) if mandate.reports_to_id else []
    return {
        "mandate": mandate,
        "excerpt": excerpt(mandate, already_shown),
        "reports_to": chain[0] if chain else None,
        "above": chain[1:],
        "today": day,
    }


def mandate_in_force(page, request, context):
    """The mandate in force as a summary: opening words, stamp, reporting line, a link to the whole text.
    A faggruppe without an approved mandate says so (never the overview page's old copy)."""
    mandate = page_compliance(page, context).mandate
    if mandate is None:
        if isinstance(page, ArbeidsgruppePage):
            return ""
        return render_to_string("governance/reader/mandate_summary.html", {"mandate": None}, request=request)
    return render_to_string(
        "governance/reader/mandate_summary.html",
        summary_context(mandate, context["today"], context.get("page_texts", ())),
        request=request,
    )


def index_mandate(index, request, context):
    """/faggrupper/: the mandates in force for every faggruppe and every arbeidsgruppe (one query), as
    summaries linking to their whole text; the page's own copy of a mandate is never shown next to them."""
    day = context["today"]
    kinds = (MandateScope.FAGGRUPPER, MandateScope.ARBEIDSGRUPPER)
    in_force = {}
    for mandate in Mandate.objects.valid_on(day).filter(group__isnull=True, scope__in=kinds):
        in_force.setdefault(mandate.scope, mandate)  # newest first: the first of a scope is in force
    summaries = [summary_context(in_force[kind], day) for kind in kinds if kind in in_force]
    return render_to_string("governance/reader/index_mandate.html", {"summaries": summaries}, request=request)
