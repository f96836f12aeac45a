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


_MODULES = ["access", "admin", "history", "upkeep", "governance"]


def _all():
    found = []
    for name in _MODULES:
        found += import_module(f"mutants.{name}").MUTANTS
    return found


ALL = _all()
