"""How the models name what lives in the layers above them, without importing it.

Wagtail's idiom puts a page's routes and its admin form on the model class. Importing the views
or the admin forms from the models would make the data model depend on its own presentation
(and the import circle that follows). So the model names them, and the higher layer answers:

- ``route_to("name")``: a page route that calls the view registered under that name with
  ``@page_view("name")`` (faggruppe_pages/reader/views.py, imported by ``apps.ready``).
- ``ClassByName("dotted.path")``: a class attribute (``base_form_class``) read as the class at
  that path, imported on first use (then kept), like Django's ``"app_label.Model"`` strings.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

_page_views = {}


def page_view(name):
    """Register a view ``fn(page, request, *args, **kwargs)`` for the page routes that name it."""

    def register(view):
        if _page_views.get(name, view) is not view:
            raise ImproperlyConfigured(f"Two page views are registered as {name!r}.")
        _page_views[name] = view
        return view

    return register


def wrap_page_view(name, decorator):
    """Replace the view registered as ``name`` by ``decorator(view)``, once (e.g. reader/cache.py's cache)."""
    view = _page_views[name]
    if getattr(view, "wrapped_by", None) is not decorator:
        wrapped = decorator(view)
        wrapped.wrapped_by = decorator
        _page_views[name] = wrapped


def route_to(name):
    """A RoutablePageMixin route method that dispatches to the page view registered as ``name``."""

    def route(self, request, *args, **kwargs):
        try:
            view = _page_views[name]
        except KeyError:
            raise ImproperlyConfigured(f"No page view is registered as {name!r}.") from None
        return view(self, request, *args, **kwargs)

    route.__name__ = name
    return route


class ClassByName:
    """A class attribute that reads as the class at a dotted path, imported when first read."""

    def __init__(self, path):
        self.path = path
        self.cls = None

    def __get__(self, instance, owner=None):
        if self.cls is None:
            self.cls = import_string(self.path)
        return self.cls


#: Stands for the id in ``address_for_ids``' one call; no address's other text contains it.
_ID_MARK = 987_654_321_987


def address_for_ids(address_of):
    """A function ``id -> address_of(id)`` that calls ``address_of`` (a ``reverse()``) once, for all the ids.

    A group page links every member's vCard and page: at about 70 reverse() calls that was a tenth of the page
    (``make bench``). The address must contain the id once, as the route's own argument."""
    address = address_of(_ID_MARK)
    head, found, tail = address.partition(str(_ID_MARK))
    if not found:
        raise ImproperlyConfigured(f"The address {address!r} does not contain the id it was made for.")
    return lambda pk: f"{head}{pk}{tail}"


def subpage_address(page, name, base=""):
    """``address_for_ids`` of a routable page's route that takes an id: ``id -> base + page.reverse_subpage(...)``."""
    return address_for_ids(lambda pk: base + page.reverse_subpage(name, args=[pk]))
