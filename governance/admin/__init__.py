"""Governance in the Wagtail admin (staff only): viewsets, the compliance report, the dashboard panel, access."""
