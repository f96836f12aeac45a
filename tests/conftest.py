"""Fixtures shared by the whole suite."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must
# still be usable there (pytest-django + Playwright share the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import (  # noqa: E402
    CooperationFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionFactory,
    UserFactory,
    make_index,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads into its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Every test starts as a fresh thread does: no language activated. A request's middleware activates one and
    nothing switches it off again, so without this a test ran after a Nynorsk or English request (or one that
    deactivated translation) saw that language wherever it turned a lazy text into a string."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty reader-page cache. The reader-page cache is keyed by the data version, which a
    restored demo snapshot brings back exactly; a test that changes code rather than data (a temporary hook,
    a monkeypatch) must not be served a page an earlier test rendered from the same data."""
    from django.core.cache import caches

    from faggruppe_pages import versioned

    caches["reader_pages"].clear()
    versioned.forget()


@pytest.fixture
def index_page(db):
    return make_index()


@pytest.fixture
def molde(db):
    return OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde", municipality_number="1506")


@pytest.fixture
def rauma(db):
    return OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma", municipality_number="1539")


@pytest.fixture
def ror_ikt(db):
    return CooperationFactory()


@pytest.fixture
def fagforbundet(db):
    return UnionFactory(name="Fagforbundet", slug="fagforbundet")


@pytest.fixture
def group(index_page):
    return FaggruppePageFactory(parent=index_page, title="Oppvekst og utdanning", slug="oppvekst-og-utdanning")


@pytest.fixture
def reader(db):
    return UserFactory(username="leser")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


__all__ = ["MembershipFactory", "PersonFactory"]
