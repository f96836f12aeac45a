"""The deliberate bugs ``scripts/mutation_check.py`` plants, one module per part of the code.

Each module defines ``MUTANTS``, a list of ``M(...)``; ``ALL`` gathers them in this order. A new
module must be added to ``_MODULES``.
"""

from dataclasses import dataclass, field
from importlib import import_module


@dataclass
class Mutant:
    name: str
    file: str
    #: (old, new) pairs; each old text must occur exactly once in the file.
    changes: list
    description: str
    guard: str
    result: dict = field(default_factory=dict)


def M(name, file, old, new, description, guard):
    return Mutant(name, file, [(old, new)], description, guard)


#: Files the mutants of several modules change.
P = "faggruppe_pages/permissions.py"
B = "faggruppe_pages/admin/boundary.py"
F = "faggruppe_pages/admin/forms.py"
G = "faggruppe_pages/admin/guards.py"
S = "faggruppe_pages/admin/snippets.py"
E = "faggruppe_pages/admin/entries.py"
A = "faggruppe_pages/admin/access.py"
W = "faggruppe_pages/middleware.py"
SIG = "faggruppe_pages/upkeep/signals.py"
X = "faggruppe_pages/spreadsheets.py"

_MODULES = [
    "access",
    "admin",
    "history",
    "upkeep",
    "governance",
    "workspace",
    "bulk",
    "group_work",
    "group_rules",
    "loading",
]


def _all():
    found = []
    for name in _MODULES:
        found += import_module(f"mutants.{name}").MUTANTS
    return found


ALL = _all()
