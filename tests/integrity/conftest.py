"""The demo world (loaded once per module, rolled back after it), shared with the security suites."""

from tests.security.conftest import demo_world  # noqa: F401
