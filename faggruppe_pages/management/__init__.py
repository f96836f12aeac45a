"""Management commands for cron and setup: setup_portal, sync_group_editors, send_reminders, purge_personal_data."""
