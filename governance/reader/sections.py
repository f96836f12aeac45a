"""The group page's governance sections, filling faggruppe_pages' slots (``GROUP_PAGE_SUMMARY_HOOK``,
``GROUP_PAGE_MANDATE_HOOK``): each renders a template (governance/reader/*.html) with render_to_string."""

from django.template.loader import render_to_string

from governance import compliance, rules


def page_compliance(page, context):
    """Computed once per request and shared by both sections (constant queries, members from the context)."""
    if "governance_compliance" not in context:
        context["governance_compliance"] = compliance.check_group(page, context["today"], members=context["members"])
    return context["governance_compliance"]


def compliance_summary(page, request, context):
    """The verdict on "does the group meet its mandate?" and the findings; nothing where no mandate applies."""
    result = page_compliance(page, context)
    if result.mandate is None and not result.findings:
        return ""  # an arbeidsgruppe without a mandate of its own: nothing to say
    return render_to_string(
        "governance/reader/compliance_summary.html",
        {"result": result, "counts": result.counts, "today": context["today"]},
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


def mandate_in_force(page, request, context):
    """The mandate in force: stamp, reporting line, the rules in words, earlier versions."""
    mandate = page_compliance(page, context).mandate
    if mandate is None:
        return ""
    day = context["today"]
    history = version_history(mandate)
    chain = mandate.reports_to.chain_on(day) if mandate.reports_to_id else []
    return render_to_string(
        "governance/reader/mandate.html",
        {
            "mandate": mandate,
            "current": history[0],
            "earlier": history[1:],
            "reports_to": chain[0] if chain else None,
            "above": chain[1:],
            "rules": rules.describe_rules(mandate.rule_set()),
            "today": day,
        },
        request=request,
    )
