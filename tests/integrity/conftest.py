"""Fixtures of the integrity suites: the demo world (loaded once per module, rolled back after it), shared
with the security suites, and the group-editing world of tests/faggruppe_pages/test_group_editing.py."""

from tests.faggruppe_pages.test_group_editing import setup  # noqa: F401
from tests.security.conftest import demo_world  # noqa: F401
