"""The deliberate bugs of scripts/mutation_check.py still fit the code: each one's text occurs exactly once.

A refactoring that moves or rewrites a guard must move its mutants with it, or the mutation check
would stop at the first stale one (or, worse, mutate a different place). Cheap: no tests are run here.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from mutants import ALL  # noqa: E402


def test_mutant_names_are_unique():
    names = [m.name for m in ALL]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("mutant", ALL, ids=lambda m: m.name)
def test_each_mutant_changes_its_file_in_exactly_one_place(mutant):
    text = (ROOT / mutant.file).read_text()
    for old, new in mutant.changes:
        assert old != new
        found = text.count(old)
        assert found == 1, f"{mutant.name}: the text to mutate occurs {found} times in {mutant.file}"
        text = text.replace(old, new)
