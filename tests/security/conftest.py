"""A world for the generated security suites: the demo, loaded once per module and rolled back after it.

The demo has every role the suites need (anonymous, ``leser``, one representative per
municipality, the union's representative ``rep-fagforbundet``, staff ``redaksjon``), people
employed by each organisation, memberships of every kind, group pages, mandates (approved and
draft) and revisions. Each test still runs in its own savepoint (pytest-django's ``db``), so
what one test writes never reaches the next.
"""

import pytest
from django.db import connections, transaction
from django.template import Template
from django.test import utils as test_utils

from tests.demo_snapshot import load_demo


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Load the demo inside a transaction that is rolled back when the module is done."""
    with django_db_blocker.unblock():
        # pytest-django creates the test databases only if a collected test is marked django_db; without
        # one, this would load the demo into the developer's own database. Mark the module instead.
        for alias in connections:
            name = str(connections[alias].settings_dict["NAME"])
            assert "test" in name or "memory" in name, (
                f"demo_world would write to {name}: mark the module with pytest.mark.django_db"
            )
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for atomic in reversed(atomics):
                atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def uninstrumented_templates():
    """Render templates without the test client's per-template context copies (a third of each admin response's
    time). For modules that never read ``response.context`` or ``response.templates``: both stay empty here."""
    instrumented = Template._render
    saved = getattr(getattr(test_utils, "_TestState", None), "saved_data", None)
    if saved is not None and getattr(saved, "template_render", None):
        Template._render = saved.template_render
    try:
        yield
    finally:
        Template._render = instrumented
