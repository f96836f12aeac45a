"""The add-on's reader addresses outside the page tree (behind the login, like every reader page), included by the
host site before Wagtail's page tree: the search page."""

from faggruppe_pages.reader import search_views

urlpatterns = [*search_views.urlpatterns]
