#!/usr/bin/env python
"""Mutation check: does some test fail when a guard or a rule is broken?

Each mutant is one deliberate bug in a guard, a policy or a rule (scripts/mutants/: access.py for the
permission policy, the boundary and the forms; admin.py for the admin's guards; history.py for "nothing is
lost"; upkeep.py for the date rules, reminders and syncing; governance.py for mandates and their rules).
tests/test_mutants_apply.py checks on every test run that each mutant still fits the code.
For every mutant this script applies the change to a private copy of the project (never the
working tree), runs the tests with ``-x`` (the most targeted and fastest first) and records
whether some test failed ("killed") and which one failed first. A mutant that survives is either
an equivalent mutant (behaviour truly unchanged) or a hole in the tests: write a test that kills it
(tests/security/test_mutants.py, or the suite of the code it breaks).

Usage (from the project root, with the virtualenv's Python):

    .venv/bin/python scripts/mutation_check.py            # every mutant, full order of tests
    .venv/bin/python scripts/mutation_check.py --list     # names, guards and descriptions
    .venv/bin/python scripts/mutation_check.py --only rep-delete --only chosen-multiple-any
    .venv/bin/python scripts/mutation_check.py --quick    # only the targeted test files (faster, weaker)
    .venv/bin/python scripts/mutation_check.py --tests tests/security/test_mutants.py --only X
    .venv/bin/python scripts/mutation_check.py --baseline # first check that the unmutated tree passes

It takes a long time (the permission matrix alone is minutes per mutant); it is a developer
tool, not part of ``make test``. It runs one pytest process at a time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mutants import ALL as MUTANTS  # scripts/mutants/: one module per part of the code

ROOT = Path(__file__).resolve().parent.parent

#: The most targeted and fastest tests first; the rest of tests/ follows (browser and perf excluded).
PRIORITY = [
    # Written for the mutants that survived everything else: the most targeted of all.
    "tests/security/test_mutants.py",
    "tests/security/test_tamper.py",
    "tests/faggruppe_pages/test_permissions.py",
    "tests/security/test_access_sweep.py",
    "tests/faggruppe_pages/test_our_entries.py",
    "tests/faggruppe_pages/test_group_editing.py",
    "tests/faggruppe_pages/test_admin.py",
]
EXCLUDED_DIRS = ("tests/browser/", "tests/perf/")
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-m", "not browser"]


# -- running --------------------------------------------------------------------------------------------
def project_files(root):
    """Tracked and untracked (not ignored) files: what a developer's tree holds, without .venv and caches."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout
    return [f for f in out.decode().split("\0") if f]


def make_copy(root):
    target = Path(tempfile.mkdtemp(prefix="mutation-check-"))
    for rel in project_files(root):
        src = root / rel
        if not src.is_file():
            continue  # deleted in the working tree but still in the index
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return target


def test_paths(tree, quick, explicit):
    if explicit:
        return explicit
    paths = [p for p in PRIORITY if (tree / p).exists()]
    if quick:
        return paths
    rest = sorted(
        str(p.relative_to(tree))
        for p in (tree / "tests").rglob("test_*.py")
        if not str(p.relative_to(tree)).startswith(EXCLUDED_DIRS)
    )
    return paths + [p for p in rest if p not in paths]


#: The short summary's "FAILED tests/x.py::test[id] - message" (not captured log lines such as "ERROR    django...").
_FAILED = re.compile(r"^(FAILED|ERROR) (\S+\.py(?:::.+?)?)(?: - .*)?$")


def first_failure(output):
    for line in output.splitlines():
        match = _FAILED.match(line.strip())
        if match:
            return match.group(2)
    return None


def run_pytest(tree, paths, timeout, deselect=()):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject.toml names the test settings
    cmd = [sys.executable, "-m", "pytest", *paths, *PYTEST_ARGS, *(f"--deselect={node}" for node in deselect)]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - started
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


def apply(tree, mutant):
    path = tree / mutant.file
    original = path.read_text()
    text = original
    for old, new in mutant.changes:
        count = text.count(old)
        assert count == 1, f"{mutant.name}: expected the old text once in {mutant.file}, found it {count} times"
        text = text.replace(old, new)
    path.write_text(text)
    return original


def run_mutant(tree, mutant, paths, timeout, log_dir, deselect=()):
    path = tree / mutant.file
    original = apply(tree, mutant)
    try:
        code, output, seconds = run_pytest(tree, paths, timeout, deselect)
    finally:
        path.write_text(original)
    if log_dir:
        (log_dir / f"{mutant.name}.log").write_text(output)
    if code is None:
        status, killer = "timeout", f"TIMEOUT after {timeout}s"
    elif code == 0:
        status, killer = "survived", None
    elif code == 1:
        status, killer = "killed", first_failure(output) or "(failed; no FAILED line)"
    else:
        tail = " | ".join(output.strip().splitlines()[-3:])
        status, killer = "killed", f"pytest exit {code} (collection/import error): {first_failure(output) or tail}"
    mutant.result = {"status": status, "killed_by": killer, "seconds": round(seconds)}
    return mutant.result


def markdown(mutants):
    lines = ["| mutant | guard | killed by (test node id) or SURVIVED |", "|---|---|---|"]
    for m in mutants:
        r = m.result
        if not r:
            verdict = "(not run)"
        elif r["status"] == "survived":
            verdict = "**SURVIVED**"
        else:
            verdict = f"`{r['killed_by']}`"
        lines.append(f"| `{m.name}`: {m.description} | {m.guard} | {verdict} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this mutant (repeat)")
    parser.add_argument("--quick", action="store_true", help="run only the targeted test files, not all of tests/")
    parser.add_argument("--tests", nargs="+", metavar="PATH", help="run these test paths instead (in this order)")
    parser.add_argument("--baseline", action="store_true", help="check first that the unmutated copy passes")
    parser.add_argument(
        "--deselect",
        action="append",
        default=[],
        metavar="NODEID",
        help="leave out a test that fails without any mutant (check with --baseline); repeat",
    )
    parser.add_argument("--timeout", type=int, default=None, help="seconds per mutant (default: none)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--logs", metavar="DIR", help="keep each mutant's pytest output in DIR")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    parser.add_argument(
        "--together",
        action="store_true",
        help="apply all selected mutants at once and run the tests once: a quick screen for survivors "
        "(if the tests pass, every one of them survives; mutants must not overlap)",
    )
    args = parser.parse_args(argv)

    names = {m.name for m in MUTANTS}
    assert len(names) == len(MUTANTS), "mutant names must be unique"
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:34} {m.file:36} {m.guard}\n{'':34} {m.description}")
        return 0
    unknown = set(args.only) - names
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))} (see --list)")
    selected = [m for m in MUTANTS if not args.only or m.name in args.only]

    tree = make_copy(ROOT)
    log_dir = Path(args.logs).resolve() if args.logs else None
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
    try:
        for m in selected:  # every old text must be there exactly once before anything runs
            original = apply(tree, m)
            (tree / m.file).write_text(original)
        paths = test_paths(tree, args.quick, args.tests)
        print(f"copy: {tree}\ntests: {' '.join(paths)}", file=sys.stderr)
        if args.baseline:
            code, output, seconds = run_pytest(tree, paths, args.timeout, args.deselect)
            print(f"baseline: exit {code} in {seconds:.0f}s", file=sys.stderr)
            if code != 0:
                print(output[-3000:], file=sys.stderr)
                print("The unmutated copy fails: fix that first.", file=sys.stderr)
                return 2
        if args.together:
            originals = {}
            for m in selected:
                originals.setdefault(m.file, (tree / m.file).read_text())
                apply(tree, m)
            try:
                code, output, seconds = run_pytest(tree, paths, args.timeout, args.deselect)
            finally:
                for rel, text in originals.items():
                    (tree / rel).write_text(text)
            if log_dir:
                (log_dir / "together.log").write_text(output)
            verdict = "all survived" if code == 0 else f"killed by {first_failure(output) or f'exit {code}'}"
            print(f"{len(selected)} mutants applied together: {verdict} ({seconds:.0f}s)")
            return 0 if code == 0 else 1
        for i, m in enumerate(selected, 1):
            print(f"[{i}/{len(selected)}] {m.name} ...", end=" ", file=sys.stderr, flush=True)
            r = run_mutant(tree, m, paths, args.timeout, log_dir, args.deselect)
            print(f"{r['status']} in {r['seconds']}s {r['killed_by'] or ''}", file=sys.stderr, flush=True)
            if args.json:
                Path(args.json).write_text(
                    json.dumps([{"name": x.name, "guard": x.guard, **x.result} for x in selected], indent=1)
                )
    finally:
        if not args.keep:
            shutil.rmtree(tree, ignore_errors=True)
    print(markdown(selected))
    survivors = [m.name for m in selected if m.result.get("status") == "survived"]
    print(f"\n{len(selected) - len(survivors)} killed, {len(survivors)} survived: {', '.join(survivors) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
