"""Governance models (bodies, mandates, rule sets) arrive with the governance issue."""
