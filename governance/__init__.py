"""Governance: governing bodies, versioned mandates with their rules as data, and compliance.

Depends on faggruppe_pages, never the other way round.
"""
