"""E-mail representatives about overdue entries and ending terms, and staff when nothing happens; daily from cron."""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faggruppe_pages import conf
from faggruppe_pages.management.options import parse_date_option
from faggruppe_pages.models import ReminderKind
from faggruppe_pages.upkeep import mail, reminders


class Command(BaseCommand):
    help = (
        "Send each representative one digest of overdue entries and terms ending within 30 days, "
        "and tell the editorial staff about entries nobody has followed up. Never sends the same reminder twice a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; send and record nothing.")
        parser.add_argument("--date", help="Act as of this date (YYYY-MM-DD) instead of today.")
        parser.add_argument(
            "--language",
            help="Language of the output and e-mails (nb, nn). Default: the setting FAGGRUPPE_EMAIL_LANGUAGE.",
        )

    def handle(self, *args, dry_run=False, date=None, language=None, verbosity=1, **options):
        language = language or conf.email_language()
        with translation.override(language):
            day = parse_date_option(date) or timezone.localdate()
            self.stdout.write(
                _("Reminders for %(date)s%(dry)s")
                % {
                    "date": formats.date_format(day, "d.m.Y"),
                    "dry": _(" (dry run: nothing is sent)") if dry_run else "",
                }
            )
            messages = reminders.plan(day)
            if not messages:
                self.stdout.write(_("Nothing is due: every list is confirmed and no term ends soon."))
                return
            sent = skipped = failed = would = 0
            for message in messages:
                mail.render(message, day, language)
                self.stdout.write(self.describe(message))
                if message.status != "send":
                    skipped += 1
                    self.stdout.write("  " + self.skip_reason(message))
                    continue
                if dry_run:
                    would += 1
                    self.stdout.write("  " + _("would be sent: “%(subject)s”") % {"subject": message.subject})
                    if verbosity > 1:
                        self.stdout.write(message.body)
                    continue
                try:
                    ok = mail.send(message, day)
                except Exception as error:  # noqa: BLE001 - one bad address must not stop the others
                    failed += 1
                    self.stderr.write("  " + _("could not be sent: %(error)s") % {"error": error})
                    continue
                if ok:
                    sent += 1
                    self.stdout.write("  " + self.style.SUCCESS(_("sent")))
                else:
                    skipped += 1
                    self.stdout.write("  " + _("already sent today (by another run)"))
            if dry_run:
                self.stdout.write(
                    _("Dry run done: %(would)s would be sent, %(skipped)s skipped.")
                    % {"would": would, "skipped": skipped}
                )
            else:
                self.stdout.write(
                    _("Done: %(sent)s sent, %(skipped)s skipped, %(failed)s failed.")
                    % {"sent": sent, "skipped": skipped, "failed": failed}
                )
        if failed:
            raise SystemExit(1)

    def describe(self, message):
        count = len(message.items)
        what = ngettext("%(n)d entry", "%(n)d entries", count) % {"n": count}
        organisations = ", ".join(section.organisation.display_name for section in message.sections)
        if message.kind == ReminderKind.DIGEST:
            return _("Digest to %(email)s (%(organisations)s): %(what)s") % {
                "email": message.recipient.email,
                "organisations": organisations,
                "what": what,
            }
        return _("Escalation to %(email)s (%(organisations)s): %(what)s") % {
            "email": message.recipient.email,
            "organisations": organisations,
            "what": what,
        }

    def skip_reason(self, message):
        if message.status == "sent_today":
            return _("skipped: already sent today")
        return ngettext(
            "skipped: reminded within the last %(days)d day and nothing new is due",
            "skipped: reminded within the last %(days)d days and nothing new is due",
            conf.reminder_repeat_days(),
        ) % {"days": conf.reminder_repeat_days()}
