#!/usr/bin/env python
"""Run the whole test suite (the README's test command calls this through `make test`).

The suite runs in one pytest process per core (pytest-xdist, at most four; ``TEST_WORKERS`` sets
the number, 0 runs it in this process). Each worker has its own test database and its own
Chromium; ``--dist loadfile`` keeps a module's tests together, so a module's shared fixtures
(the demo world of the security suites) are built once. Passing ``-n`` yourself overrides this.

Browser tests need Chromium. Without it they are skipped with a loud warning on a
developer's machine, and the run fails when CI is set: in CI they must run.
"""

import os
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main():
    args = sys.argv[1:]
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            print(f"ERROR: Chromium not found at {CHROMIUM}; browser tests must run in CI.", file=sys.stderr)
            return 1
        bar = "!" * 78
        print(
            f"{bar}\n  Chromium not found at {CHROMIUM}: SKIPPING THE BROWSER TESTS.\n"
            f"  Install it with: apt-get install chromium\n{bar}",
            file=sys.stderr,
        )
        args = ["-m", "not browser", *args]
    if not any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in args):
        workers = int(os.environ.get("TEST_WORKERS") or min(os.cpu_count() or 1, 4))
        if workers > 1:
            args = ["-n", str(workers), "--dist", "loadfile", *args]
    database = os.environ.get("DATABASE_URL", "sqlite (default)").split("@")[-1]
    print(f"Running the test suite against: {database}")
    return subprocess.call([sys.executable, "-m", "pytest", *args])


if __name__ == "__main__":
    sys.exit(main())
