"""The README's map ("Where things are") matches the tree: what it names exists, and every package is named."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def map_entries():
    """(path, line) for every entry of the map: top-level entries and the ones indented below them."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Where things are", 1)[1].split("```", 2)[1]
    entries, parent = [], None
    for line in block.splitlines():
        top = re.match(r"^([\w.][\w./-]*)\s", line)
        sub = re.match(r"^  ([\w.][\w./-]*(?:/|\.py))(?:,|\s|$)", line)
        if top:
            parent = top.group(1) if top.group(1).endswith("/") else None
            entries.append((top.group(1), line))
        elif sub and parent:
            entries.append((parent + sub.group(1), line))
    return entries


def test_every_path_the_map_names_exists():
    entries = map_entries()
    assert len(entries) > 20
    missing = [line.strip() for path, line in entries if not (ROOT / path).exists()]
    assert not missing, "the README's map names paths that do not exist:\n" + "\n".join(missing)


def test_every_package_of_the_add_ons_is_on_the_map():
    named = {path.rstrip("/") for path, _line in map_entries()}
    for app in ("faggruppe_pages", "governance"):
        for init in (ROOT / app).glob("*/__init__.py"):
            package = init.parent.relative_to(ROOT).as_posix()
            if package.endswith(("/migrations", "/management", "/templates", "/locale")):
                continue
            assert package in named, f"{package}/ is not on the README's map"
