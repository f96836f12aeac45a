"""Bench-only URLconf: the project's URLs plus a trivial view that is the floor of every measurement.

The trivial view is placed first, before Wagtail's catch-all page route, and is
not marked login_not_required: it passes the same middleware stack (sessions,
authentication, the intranet's login requirement, messages, ...) as a real page.
"""

from django.http import HttpResponse
from django.urls import path
from intranet.urls import urlpatterns as project_urlpatterns

TRIVIAL_URL = "/bench/trivial/"


def trivial_view(request):
    """No template, no query of its own: only the cost of Django and the middleware."""
    return HttpResponse("ok")


urlpatterns = [path(TRIVIAL_URL.strip("/") + "/", trivial_view, name="bench-trivial"), *project_urlpatterns]
