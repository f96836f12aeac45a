"""Keeping the lists current: seat rules, reminders, syncing editor rights, privacy retention, portal setup."""
