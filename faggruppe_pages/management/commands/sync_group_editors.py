"""Daily (cron): give active members edit rights on their group's pages and take them from former members."""

from django.core.management.base import BaseCommand

from faggruppe_pages.upkeep.sync import sync_all


class Command(BaseCommand):
    help = "Sync representatives groups and group-page editors with today's memberships. Run daily from cron."

    def handle(self, *args, **options):
        organisations, pages = sync_all()
        self.stdout.write(f"Synced {organisations} organisations and {pages} group pages.")
