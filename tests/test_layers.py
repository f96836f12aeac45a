"""The add-ons keep their shape: layers only point down, no import circle (scripts/import_layers.py)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("import_layers", ROOT / "scripts" / "import_layers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_layers"] = module
    spec.loader.exec_module(module)
    return module


def test_no_module_imports_a_higher_layer_or_governance_or_in_a_circle(checker):
    problems = checker.violations()
    assert problems == [], "\n".join(problems)


def test_every_module_of_both_add_ons_is_checked(checker):
    known = checker.modules()
    assert "faggruppe_pages.models.pages" in known and "governance.compliance" in known
    assert len(known) > 40
    assert not any(".migrations" in name for name in known)


def _write(root, rel, text=""):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_check_catches_each_kind_of_violation(checker, tmp_path):
    """A tree with one of each mistake: each is reported, by file and line."""
    for package in ("faggruppe_pages", "governance"):
        _write(tmp_path, f"{package}/__init__.py")
    deferred = "import os\n\n\ndef f():\n    from faggruppe_pages.reader import views\n"  # inside a function
    _write(tmp_path, "faggruppe_pages/models/__init__.py", deferred)
    _write(tmp_path, "faggruppe_pages/reader/__init__.py")
    _write(tmp_path, "faggruppe_pages/reader/views.py", "from faggruppe_pages.models import X\n")
    _write(tmp_path, "faggruppe_pages/conf.py", "from governance.models import Mandate\n")
    _write(tmp_path, "governance/models/__init__.py", "from faggruppe_pages.models import X\n")
    _write(tmp_path, "faggruppe_pages/upkeep/__init__.py")
    _write(tmp_path, "faggruppe_pages/upkeep/a.py", "from faggruppe_pages.upkeep import b\n")
    _write(tmp_path, "faggruppe_pages/upkeep/b.py", "from . import a\n")
    _write(tmp_path, "faggruppe_pages/somewhere.py", "")
    problems = "\n".join(checker.violations(tmp_path))
    assert (
        "faggruppe_pages/models/__init__.py:5: faggruppe_pages.models (models) imports faggruppe_pages.reader.views"
        " (views), a higher layer" in problems
    )
    assert "faggruppe_pages/conf.py:1: faggruppe_pages.conf imports governance.models" in problems
    assert "import circle: faggruppe_pages.models -> faggruppe_pages.reader.views" in problems
    assert "import circle: faggruppe_pages.upkeep.a -> faggruppe_pages.upkeep.b" in problems
    assert "faggruppe_pages.somewhere: in no layer" in problems
    assert "governance.models (models) imports faggruppe_pages.models" not in problems  # downward is fine
