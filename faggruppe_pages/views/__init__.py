"""Admin views of the faggruppe pages add-on.

snippets.py: the viewsets for organisations, people and memberships (guarded per instance).
guards.py:   the mixins that make Wagtail's generic views check the object and filter listings.
entries.py:  "Våre oppføringer", a representative's own entries and the "Alt stemmer" action.
"""
