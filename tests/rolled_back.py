"""Rows made once for a whole test module, in transactions rolled back when the module is done.

Module-scoped fixtures use it (the security suites' demo world, test_permissions' world): each test still runs in
its own savepoint (pytest-django's ``db``), so what one test writes never reaches the next.
"""

import contextlib

from django.db import connections, transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker, owner):
    """Open a transaction on every database for what the block writes, and roll it back at the end.

    pytest-django creates the test databases only if a collected test is marked django_db; without one, this would
    write to the developer's own database, so it refuses (``owner`` names the fixture in the message)."""
    with django_db_blocker.unblock():
        for alias in connections:
            name = str(connections[alias].settings_dict["NAME"])
            assert "test" in name or "memory" in name, (
                f"{owner} would write to {name}: mark the module with pytest.mark.django_db"
            )
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            yield
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for atomic in reversed(atomics):
                atomic.__exit__(None, None, None)
