"""The add-on's management commands (see the package above)."""
