#!/usr/bin/env python
"""Run the whole test suite (the README's test command calls this through `make test`).

The suite runs in one pytest process per core (pytest-xdist, at most four; ``TEST_WORKERS`` sets
the number, 0 runs it in this process). Each worker has its own test database and its own
Chromium. ``--dist worksteal`` hands each worker a contiguous run of tests in collection order and
lets an idle worker take the tail of a busy one's queue, test by test: a long module (the access
sweep's roles, each a minute or more) no longer runs alone on one worker at the end while the
other waits, as it did with ``--dist loadfile``. A worker still runs a module's tests one after
another, so a module's shared fixtures (the demo world of the security suites) are built at most
once per worker. Passing ``-n`` or ``-m`` yourself runs one pytest with your arguments.

With workers, it runs in two phases: first every test but the browser tests, then the browser
tests. Browser tests commit (``transactional_db``) and flush the database afterwards, which also
empties what migrations made (the default site, permissions); in one process pytest-django runs
them last for that reason, but xdist hands a worker whatever file comes next, so an ordinary test
could follow a flush. A phase that collects nothing (exit code 5) fails the run unless the other
phase ran tests.

Browser tests need Chromium. Without it they are skipped with a loud warning on a
developer's machine, and the run fails when CI is set: in CI they must run. The same holds for
Node, which runs the single sign-on tests' OpenID Connect provider (tests/oidc_provider).
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main():
    args = sys.argv[1:]
    browsers = True
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
        browsers = False
    if not shutil.which("node"):
        if os.environ.get("CI"):
            print("ERROR: Node.js not found; the single sign-on tests must run in CI.", file=sys.stderr)
            return 1
        bar = "!" * 78
        print(
            f"{bar}\n  Node.js not found: SKIPPING THE SINGLE SIGN-ON TESTS (tests/sso, a browser test).\n"
            f"  Install it with: apt-get install nodejs npm\n{bar}",
            file=sys.stderr,
        )
    database = os.environ.get("DATABASE_URL", "sqlite (default)").split("@")[-1]
    print(f"Running the test suite against: {database}")
    workers = int(os.environ.get("TEST_WORKERS") or min(os.cpu_count() or 1, 4))
    own_choice = any(arg.startswith(("-n", "--numprocesses", "-m")) for arg in args)
    if workers < 2 or own_choice:
        return pytest(args if browsers or own_choice else ["-m", "not browser", *args])
    parallel = ["-n", str(workers), "--dist", "worksteal"]
    phases = [["-m", "not browser", *parallel, *args]]
    if browsers:
        phases.append(["-m", "browser", *parallel, *args])
    codes = [pytest(phase) for phase in phases]
    ran = [code for code in codes if code != NO_TESTS]
    if not ran:
        return NO_TESTS
    return max(ran)


NO_TESTS = 5


def pytest(args):
    print("pytest " + " ".join(args), flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args])


if __name__ == "__main__":
    sys.exit(main())
