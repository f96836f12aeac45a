"""What a process keeps per data version (faggruppe_pages/versioned.py): only inside a request that read the
version, dropped when the version changes, never outside a request (a task or command that writes and reads again
must not get values of an old version)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from faggruppe_pages import versioned
from faggruppe_pages.reader.cache import page_key


def counting_loader():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    return load, calls


def test_outside_a_request_nothing_is_kept():
    load, calls = counting_loader()
    versioned.note_request_version("v1")  # outside a request: ignored
    assert [versioned.versioned("k", load) for _ in range(3)] == [1, 2, 3]


def test_inside_a_request_values_are_kept_per_version():
    load, calls = counting_loader()
    token = versioned.begin_request()
    try:
        assert versioned.versioned("k", load) == 1  # no version read yet: not kept
        versioned.note_request_version("v1")
        assert versioned.versioned("k", load) == 2
        assert versioned.versioned("k", load) == 2  # kept
        versioned.note_request_version("v2")  # any write is a new version
        assert versioned.versioned("k", load) == 3
    finally:
        versioned.end_request(token)
    assert versioned.versioned("k", load) == 4  # the request is over


@pytest.mark.django_db
def test_a_page_key_computed_outside_a_request_leaves_nothing_behind(settings):
    """A view or task that asks for a page's cache key without the middleware (the export worker, a test calling
    a view) must not switch keeping on for whatever runs after it in the same thread."""
    from faggruppe_pages.caching import install_triggers

    install_triggers()
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 300
    request = RequestFactory().get("/faggrupper/")
    request.user = get_user_model().objects.create_user("leser-x")
    assert page_key(request) is not None  # the version was read
    load, calls = counting_loader()
    assert [versioned.versioned("k", load) for _ in range(2)] == [1, 2]


@pytest.mark.django_db
def test_requests_of_one_version_route_their_own_page_objects(settings, client, group):
    """The route is kept per data version, but each request gets its own copies of the pages: what a request
    (or a section of its page) sets on its page is never seen by the next one."""
    from django.core.cache import caches

    from faggruppe_pages.caching import install_triggers

    install_triggers()
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 300
    client.force_login(get_user_model().objects.create_user("leser-y"))
    routed = []
    for _ in range(2):
        caches["reader_pages"].clear()  # a miss each time: the page is rendered, the route taken from what is kept
        response = client.get(group.url)
        assert response.status_code == 200
        page = response.wsgi_request._wagtail_route_for_request.page
        assert page.pk == group.pk and not hasattr(page, "marked_by_an_earlier_request")
        page.marked_by_an_earlier_request = True
        routed.append(page)
    assert routed[0] is not routed[1] and routed[0].get_parent() is not routed[1].get_parent()
