"""Faggruppe pages: a Wagtail add-on for professional groups, their members and who they represent."""
