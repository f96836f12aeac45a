"""Check every live group against the mandate in force; for cron. Exit status 1 when any error-level finding exists."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faggruppe_pages.management.options import parse_date_option
from governance import compliance, rules


class Command(BaseCommand):
    help = "Check every group's member list against its mandate. Exits with status 1 if any rule is broken."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the findings as JSON.")
        parser.add_argument("--date", help="Check as of this date (YYYY-MM-DD) instead of today.")
        parser.add_argument("--language", default="nb", help="Language of the messages (nb, nn or en). Default: nb.")

    def handle(self, *args, as_json=False, date=None, language="nb", **options):
        with translation.override(language):
            day = parse_date_option(date)
            results = compliance.check_all(day)
            findings = compliance.all_findings(results)
            counts = rules.summarise(findings)
            if as_json:
                self.write_json(results, findings, counts, day)
            else:
                self.write_text(results, counts)
        if counts[rules.ERROR]:
            raise SystemExit(1)

    def write_json(self, results, findings, counts, day):
        payload = {
            "date": (day or timezone.localdate()).isoformat(),
            "counts": counts,
            "groups": [
                {
                    "id": r.group.pk,
                    "title": r.group.title,
                    "mandate": str(r.mandate) if r.mandate else None,
                    "meets_mandate": r.meets_mandate,
                }
                for r in results
            ],
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "message": f.message,
                    "group_id": f.group_id,
                    "group": f.group_title,
                    "organisation_id": f.organisation_id,
                    "organisation": f.organisation_name or None,
                }
                for f in findings
            ],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def write_text(self, results, counts):
        style = {rules.ERROR: self.style.ERROR, rules.WARNING: self.style.WARNING, rules.INFO: str}
        for result in results:
            if not result.findings:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(result.group.title))
            for finding in result.findings:
                self.stdout.write("  " + style[finding.severity](f"{finding.severity_label}: {finding.message}"))
        ok = sum(1 for r in results if r.mandate and not r.findings)
        self.stdout.write("")
        self.stdout.write(
            _("%(groups)d groups checked: %(errors)d errors, %(warnings)d warnings, %(ok)d groups without findings.")
            % {"groups": len(results), "errors": counts[rules.ERROR], "warnings": counts[rules.WARNING], "ok": ok}
        )
