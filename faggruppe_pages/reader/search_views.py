"""The search page: /sok/?q=… (and /search/, which redirects there with its query string).

Behind the login like every reader page (the site's middleware). What is found and how is reader/search.py.
"""

from django.http import HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from faggruppe_pages.reader import search as engine


def search_page(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    query = request.GET.get("q", "")
    context = {"query": query.strip()[: engine.MAX_QUERY_LENGTH], "error": "", "groups": [], "searched": False}
    try:
        terms = engine.parse_query(query)
    except engine.QueryError as error:
        context["error"] = str(error)
        terms = []
    if terms:
        context["groups"] = engine.search(query, request)
        context["searched"] = True
        context["hit_count"] = sum(len(group.hits) for group in context["groups"])
    context["headings"] = [source.heading for source in engine.sources()]
    context["max_length"] = engine.MAX_QUERY_LENGTH
    status = 400 if context["error"] else 200
    return TemplateResponse(request, "faggruppe_pages/reader/search.html", context, status=status)


def search_redirect(request):
    """/search/ → /sok/, keeping the query string."""
    target = reverse("faggruppe_pages_search")
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(target)


urlpatterns = [
    path("sok/", search_page, name="faggruppe_pages_search"),
    path("search/", search_redirect, name="faggruppe_pages_search_redirect"),
]
