"""Anonymise former members whose retention time has run out (GDPR storage limitation); daily from cron.

docs/privacy.md explains the rules. Exit status 0 also when nobody is due; 1 if a person could not be
anonymised (the others still are, each in its own transaction).
"""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faggruppe_pages import conf
from faggruppe_pages.management.options import parse_date_option
from faggruppe_pages.upkeep import privacy


class Command(BaseCommand):
    help = (
        "Anonymise people whose last membership ended more than FAGGRUPPE_PERSON_RETENTION_YEARS ago "
        "(never one with an active user account). Writes an audit-log entry per person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show who would be anonymised; change nothing.")
        parser.add_argument("--date", help="Act as of this date (YYYY-MM-DD) instead of today.")
        parser.add_argument("--language", default="nb", help="Language of the output (nb, nn). Default: nb.")

    def handle(self, *args, dry_run=False, date=None, language="nb", verbosity=1, **options):
        with translation.override(language):
            day = parse_date_option(date) or timezone.localdate()
            candidates = list(privacy.anonymisation_candidates(day))
            self.stdout.write(
                ngettext(
                    "Personal data as of %(date)s: %(count)s person past %(years)s years%(dry)s",
                    "Personal data as of %(date)s: %(count)s people past %(years)s years%(dry)s",
                    len(candidates),
                )
                % {
                    "date": formats.date_format(day, "d.m.Y"),
                    "count": len(candidates),
                    "years": conf.person_retention_years(),
                    "dry": _(" (dry run: nothing is changed)") if dry_run else "",
                }
            )
            done = failed = 0
            for number, person in enumerate(candidates, start=1):
                # Ids, not names: this output ends up in cron mail.
                label = _("person #%(id)s") % {"id": person.pk}
                if dry_run:
                    self.stdout.write(
                        f"[{number}/{len(candidates)}] " + _("%(person)s would be anonymised") % {"person": label}
                    )
                    continue
                try:
                    privacy.anonymise(person)
                except Exception as error:  # noqa: BLE001 - one failure must not stop the others
                    failed += 1
                    self.stderr.write(
                        f"[{number}/{len(candidates)}] "
                        + _("%(person)s could not be anonymised: %(error)s") % {"person": label, "error": error}
                    )
                    continue
                done += 1
                if verbosity > 0:
                    self.stdout.write(f"[{number}/{len(candidates)}] " + _("%(person)s anonymised") % {"person": label})
            if not dry_run:
                self.stdout.write(_("Done: %(done)s anonymised, %(failed)s failed.") % {"done": done, "failed": failed})
        if failed:
            raise SystemExit(1)
