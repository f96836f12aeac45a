"""Load the demo profile (idempotent). Never run by migrations."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from intranet.demo import data
from intranet.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Create the ROR-IKT demo: organisations, faggrupper, members and demo users (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply groups and members N times (for benchmarks)."
        )

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more."))
        self.stdout.write(f"Loading demo data (scale {scale}) …")
        created = DemoLoader(scale=scale, log=self.stdout.write).run()
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Created: {summary}."))
        self.stdout.write("")
        self.stdout.write(f"Demo users (password “{data.DEMO_PASSWORD}”):")
        for username, first, last, what in data.DEMO_USERS:
            role = USER_ROLES.get(username) or USER_ROLES.get(what) or f"representative for {what.title()}"
            self.stdout.write(f"  {username:<16} {first + ' ' + last:<20} {role}")
        self.stdout.write("")
        self.stdout.write("Reader pages: http://127.0.0.1:8000/faggrupper/   Admin: http://127.0.0.1:8000/admin/")


USER_ROLES = {
    "superuser": "superuser (everything)",
    "staff": "staff (Redaksjon: approves content, manages everything)",
    "reader": "reader (no editing rights)",
    "sekretaer": "Teknisk's secretary: plans meetings, writes minutes",
    "leder-teknisk": "Teknisk's leader: approves minutes, publishes measures",
}
