"""check_compliance: every group against the mandate in force, for cron."""
