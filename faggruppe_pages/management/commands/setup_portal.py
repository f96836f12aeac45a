"""Create the staff group and approval workflow, and sync the representatives and editors groups."""

from django.core.management.base import BaseCommand

from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME, WORKFLOW_NAME, setup_portal


class Command(BaseCommand):
    help = "Set up the staff group, the approval workflow and the synced groups (idempotent)."

    def handle(self, *args, **options):
        result = setup_portal()
        self.stdout.write(
            f"Staff group “{STAFF_GROUP_NAME}”, workflow “{WORKFLOW_NAME}” on {result['overviews']} overview page(s); "
            f"synced {result['organisations']} organisations and {result['group_pages']} group pages."
        )
