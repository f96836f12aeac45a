"""The add-ons' import graph, checked against their layers.

    python scripts/import_layers.py          # print the graph by layer, then any violation
    python scripts/import_layers.py --dot    # the graph in Graphviz form

Every import counts, at module level or inside a function: an import deferred into a function
hides a dependency from Python's import machinery, not from the design. A module may import
modules of its own layer or of a lower one. The layers, lowest first, are named in ``LAYERS``;
a module's layer is the first rule whose dotted prefix matches it. Also refused: any import of
``governance`` from ``faggruppe_pages`` (governance builds on the pages add-on, never the other
way round) and any import circle, whatever the layers say. ``tests/test_layers.py`` runs this.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("faggruppe_pages", "governance")

#: (layer name, dotted prefixes), lowest layer first. A module not matched by any prefix is an error,
#: so a new module must be placed on purpose.
LAYERS = [
    (
        "base",
        [
            "faggruppe_pages.conf",
            "faggruppe_pages.predicates",
            "faggruppe_pages.validators",
            "faggruppe_pages.spreadsheets",
            "faggruppe_pages.blocks",
            "faggruppe_pages.wiring",
            "faggruppe_pages.routing",
            "faggruppe_pages.versioned",
            "faggruppe_pages.prepared",
            "faggruppe_pages.fastload",
            "faggruppe_pages.pdf_render",
            "faggruppe_pages.texts",
            "governance.blocks",
            "governance.rules.base",
        ],
    ),
    ("models", ["faggruppe_pages.models", "governance.models"]),
    (
        "domain",
        [
            "faggruppe_pages.caching",
            "faggruppe_pages.permissions",
            "faggruppe_pages.upkeep",
            "faggruppe_pages.reader.overview",
            "faggruppe_pages.reader.representation",
            "faggruppe_pages.reader.search",
            "governance.rules",
            "governance.compliance",
            "governance.permissions",
            "governance.setup",
        ],
    ),
    (
        "outputs",
        [
            "faggruppe_pages.reader.exports",
            # The reader-page cache (base and domain only): governance.reader's views wrap theirs in it.
            "faggruppe_pages.reader.cache",
            "faggruppe_pages.upkeep.mail",
            "governance.reader",
            "governance.mail",
        ],
    ),
    (
        "views",
        [
            "faggruppe_pages.middleware",
            "faggruppe_pages.templatetags",
            "faggruppe_pages.admin",
            "faggruppe_pages.reader",
            "faggruppe_pages.urls",
            "governance.admin",
            "governance.urls",
        ],
    ),
    (
        "hooks",
        [
            "faggruppe_pages.wagtail_hooks",
            "faggruppe_pages.apps",
            "faggruppe_pages.management",
            "governance.wagtail_hooks",
            "governance.apps",
            "governance.management",
        ],
    ),
]

#: Package roots: they hold a docstring (and for ``models`` the public names), and rank with their layer.
ROOTS = {"faggruppe_pages": "base", "governance": "base"}


def modules(root=ROOT):
    """{dotted name: path} of every module of the add-ons, migrations left out."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = list(rel.parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def layer_of(name):
    if name in ROOTS:
        return ROOTS[name]
    best = None
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (layer, prefix)
    return best[0] if best else None


def imports_of(name, path, known):
    """The add-on modules ``name`` imports, anywhere in its file, with the line of each."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(), filename=str(path))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from pkg import sub`` imports the submodule when there is one.
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.setdefault(target, node.lineno)
    return found


def graph(root=ROOT):
    known = modules(root)
    return known, {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return result


def violations(root=ROOT):
    """Every broken rule, as readable lines (empty when the shape holds)."""
    known, edges = graph(root)
    rank = {layer: i for i, (layer, _prefixes) in enumerate(LAYERS)}
    problems = []
    for name in sorted(known):
        if layer_of(name) is None:
            problems.append(f"{name}: in no layer (add it to LAYERS in scripts/import_layers.py)")
    for name, targets in sorted(edges.items()):
        source_layer = layer_of(name)
        for target, line in sorted(targets.items()):
            where = f"{known[name].relative_to(root)}:{line}"
            if name.startswith("faggruppe_pages") and target.startswith("governance"):
                problems.append(f"{where}: {name} imports {target} (faggruppe_pages must not know governance)")
                continue
            target_layer = layer_of(target)
            if source_layer and target_layer and rank[target_layer] > rank[source_layer]:
                problems.append(f"{where}: {name} ({source_layer}) imports {target} ({target_layer}), a higher layer")
    for component in cycles(edges):
        problems.append("import circle: " + " -> ".join(component))
    return problems


def report():
    known, edges = graph()
    lines = []
    for layer, _prefixes in LAYERS:
        members = sorted(n for n in known if layer_of(n) == layer)
        lines.append(f"[{layer}]")
        for name in members:
            targets = ", ".join(sorted(edges[name])) or "-"
            lines.append(f"  {name} ({len(known[name].read_text().splitlines())} lines) -> {targets}")
    unplaced = sorted(n for n in known if layer_of(n) is None)
    if unplaced:
        lines.append("[no layer]")
        lines += [f"  {n} -> {', '.join(sorted(edges[n])) or '-'}" for n in unplaced]
    return "\n".join(lines)


def main(argv):
    if "--dot" in argv:
        _known, edges = graph()
        print("digraph imports {")
        for name, targets in sorted(edges.items()):
            for target in sorted(targets):
                print(f'  "{name}" -> "{target}";')
        print("}")
        return 0
    print(report())
    problems = violations()
    print()
    print(f"{len(problems)} problem(s)" + (":" if problems else "."))
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
