"""Governance: governing bodies, versioned mandates with their rules as data, and compliance.

Depends on faggruppe_pages, never the other way round. Packages by concern, lowest layer first
(scripts/import_layers.py checks that nothing imports upwards):

- ``blocks``, ``rules.base``: the mandate text's blocks; the rule engine's values (base);
- ``models``: governing bodies and mandate versions (models);
- ``rules``, ``compliance``, ``setup``: the pure rule engine, the rows it is given, site setup (domain);
- ``reader``: the group page's governance sections (outputs);
- ``admin``: viewsets, the compliance report, the dashboard panel (views);
- ``wagtail_hooks``, ``apps``, ``management``: registrations and commands (hooks).
"""
