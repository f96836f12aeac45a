"""Single sign-on tests against a real OpenID Connect provider (tests/oidc_provider): one per module, reset per test."""

import pytest

from tests.oidc_provider.fixtures import configure_portal, running_provider


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("oidc"), ["http://testserver"]) as provider:
        yield provider


@pytest.fixture
def oidc(oidc_server, settings):
    """The provider, its users as configured, and the portal pointed at it (tenant allow-list: the test tenant)."""
    oidc_server.reset()
    configure_portal(settings, oidc_server)
    return oidc_server
