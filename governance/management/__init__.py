"""Governance's management commands."""
