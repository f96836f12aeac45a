"""A world for the generated security suites: the demo, loaded once per module and rolled back after it.

The demo has every role the suites need (anonymous, ``leser``, one representative per
municipality, the union's representative ``rep-fagforbundet``, staff ``redaksjon``), people
employed by each organisation, memberships of every kind, group pages, mandates (approved and
draft) and revisions. Each test still runs in its own savepoint (pytest-django's ``db``), so
what one test writes never reaches the next.
"""

import pytest
from django.template import Template
from django.test import utils as test_utils

from tests.demo_snapshot import load_demo
from tests.rolled_back import rolled_back


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Load the demo inside a transaction that is rolled back when the module is done."""
    with rolled_back(django_db_blocker, "demo_world"):
        load_demo()
        yield


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
