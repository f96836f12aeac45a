"""Wagtail's page routing in one query: the pages along the whole path, each as its specific type, at once.

Wagtail routes a request page by page from the site's root: one query for each level's child and another for
its ``.specific`` (five on a group page). ``prime_route`` runs before Wagtail's ``serve`` view
(``RouteInOneQueryMiddleware``) and fetches every page whose ``url_path`` is a prefix of the requested one below
the site's root, joined to the page types' own tables, plus the root's ancestors (for the view restrictions).
It then walks them as ``Page.route`` and ``RoutablePageMixin.route`` do (live pages only, a routable page's
sub-routes before its children, 404 for an unknown slug) and stores the answer where Wagtail's
``Page.route_for_request`` looks first (``request._wagtail_route_for_request``). A page type with a ``route``
of its own, or one whose table was not joined, is handed to Wagtail's own code from there on, so the answer is
always the one Wagtail would give. With ``WAGTAIL_I18N_ENABLED`` (localized roots) Wagtail routes alone.

Each routed page keeps its ancestors (``_route_ancestors``), which ``RouteAwarePageMixin`` uses to read the
parent and the view restrictions without more tree queries, whether it is the first live page of its type
(``routed_first_live``: the overview page serving the person pages), and a dict that lives as long as the request
(``request_memo``): what several sections of one page would each ask the database is asked once.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, When
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    get_site_for_hostname,
)
from wagtail.url_routing import RouteResult

from faggruppe_pages.prepared import prepared
from faggruppe_pages.versioned import copy_instance, keeps_values, versioned


def _select_paths():
    """{page model: its select_related path from Page} for every concrete page type (``grouppage__faggruppepage``)."""
    paths = {}
    for model in get_page_models():
        chain = []
        current = model
        while current is not Page:
            parents = [p for p in current._meta.parents if issubclass(p, Page)]
            if len(parents) != 1:
                chain = None
                break
            link = current._meta.parents[parents[0]]
            chain.append(link.remote_field.get_accessor_name())
            current = parents[0]
        if chain:
            paths[model] = "__".join(reversed(chain))
    return paths


_SELECT_PATHS = None


def select_paths():
    global _SELECT_PATHS  # noqa: PLW0603 - computed once, after the apps are ready
    if _SELECT_PATHS is None:
        _SELECT_PATHS = _select_paths()
    return _SELECT_PATHS


def as_specific(row):
    """The specific page of a row fetched with ``select_paths()`` joined, without a query when its type's
    table was joined; else Wagtail's ``.specific`` (a query)."""
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    if model is Page:
        return row
    path = select_paths().get(model)
    if path is None:
        return row.specific
    obj = row
    try:
        for name in path.split("__"):
            obj = getattr(obj, name)
    except ObjectDoesNotExist:
        return row.specific
    return obj


def _routes_like_wagtail(page):
    """Routing this page as ``Page.route`` / ``RoutablePageMixin.route`` do (no override of its own)."""
    route = type(page).route
    return route is Page.route or route is RoutablePageMixin.route


@prepared
def route_rows(url_paths, paths):
    """The pages at these ``url_paths`` or these tree ``paths``, joined to their types' tables, by path. Compiled
    once per number of each (faggruppe_pages/prepared.py)."""
    return (
        Page.objects.filter(Q(url_path__in=url_paths) | Q(path__in=paths))
        .select_related(*select_paths().values())
        .annotate(
            _has_view_restriction=Exists(PageViewRestriction.objects.filter(page=OuterRef("pk"))),
            _first_live_of_type=~Exists(
                Page.objects.filter(content_type=OuterRef("content_type"), live=True, path__lt=OuterRef("path"))
            ),
        )
        .order_by("path")
    )


def chain_for(site, components):
    """The pages from the site's root down the path (as far as they exist), specific, and the root's ancestors."""
    root = site.root_page
    prefixes = tuple(root.url_path + "".join(f"{c}/" for c in components[:i]) for i in range(len(components) + 1))
    above_root = tuple(root.path[:n] for n in range(Page.steplen, len(root.path), Page.steplen))
    pages = []
    # A url_path names one place in the whole tree; below the root is checked here (by_depth) rather than in SQL.
    for row in route_rows(prefixes, above_root):
        page = as_specific(row)
        page._has_view_restriction = row._has_view_restriction
        page._first_live_of_type = row._first_live_of_type and row.live
        pages.append(page)
    ancestors = [p for p in pages if p.depth < root.depth]
    by_depth = {p.depth: p for p in pages if p.depth >= root.depth and p.path.startswith(root.path)}
    chain = []
    for depth in range(root.depth, root.depth + len(components) + 1):
        page = by_depth.get(depth)
        if page is None or (chain and not page.path.startswith(chain[-1].path)):
            break
        chain.append(page)
    return ancestors, chain


def route(request, site, components):
    """What ``site.root_page.specific.route(request, components)`` returns, from ``chain_for``'s one query (none
    when a request of the same data version asked for the same path: the pages are kept under the version, and
    each request routes its own copies of them)."""
    kept = versioned(("route", site.pk, tuple(components)), lambda: chain_for(site, components))
    # Pages kept for other requests are copied; pages this request read alone are its own already.
    ancestors, chain = ([copy_instance(page) for page in pages] for pages in kept) if keeps_values() else kept
    if not chain:  # the site's root is gone: let Wagtail say so
        return site.root_page.specific.route(request, components)
    for i, page in enumerate(chain):
        page._route_ancestors = ancestors + chain[:i]
        page._request_memo = {}
        if i:
            page._cached_parent_obj = chain[i - 1]  # treebeard's get_parent() reads it
        remaining = components[i:]
        if not _routes_like_wagtail(page):
            return page.route(request, remaining)
        if isinstance(page, RoutablePageMixin) and page.live:
            path = "/" + "".join(f"{c}/" for c in remaining)
            try:
                match = page.resolve_subpage(path)
            except Http404:
                pass
            else:
                request.routable_resolver_match = match
                view, args, kwargs = match
                return RouteResult(page, args=(view, args, kwargs))
        if not remaining:
            if page.live:
                return RouteResult(page)
            raise Http404
        if i + 1 == len(chain):
            raise Http404  # no child with the next slug
    raise Http404  # not reached: the loop returns or raises


def routed_first_live(request, model):
    """The first live page of exactly ``model`` in the tree (by path) if the request's route passed through it
    (the route's query tells), else None: the caller asks the database as before."""
    result = getattr(request, "_wagtail_route_for_request", None) if request is not None else None
    page = getattr(result, "page", None)
    if page is None:
        return None
    for candidate in [*getattr(page, "_route_ancestors", ()), page]:
        if type(candidate) is model and getattr(candidate, "_first_live_of_type", False):
            return candidate
    return None


def request_memo(page):
    """A dict living as long as the request that routed to ``page`` (None for a page not routed so, e.g. one
    loaded by a test or a command: its data may change between two calls)."""
    return page.__dict__.get("_request_memo")


@prepared
def site_rows(hostname, port):
    """The query of Wagtail's ``get_site_for_hostname`` (wagtail/models/sites.py), compiled once: the sites that
    may serve ``hostname``, the best match first, each with its root page."""
    return (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page")
    )


def site_for_hostname(hostname, port):
    """Wagtail's ``get_site_for_hostname`` (the same choice; tests/faggruppe_pages/test_prepared.py compares them)
    from ``site_rows``. A port that is not a number is left to Wagtail."""
    if not str(port).isdigit():
        return get_site_for_hostname(hostname, port)
    sites = site_rows(hostname, int(port))
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return sites[0]
        if sites[0].match == MATCH_DEFAULT:  # the default site for another host: a single host match wins
            return sites[len(sites) == 2]
    raise Site.DoesNotExist()


def site_for_request(request):
    """``Site.find_for_request``, from the sites kept under the request's data version (``versioned.versioned``)
    when it has read one: no query for a page the cache could not serve. Each request gets its own copies."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    # As Site._find_for_request asks (the raw host: no ALLOWED_HOSTS check here).
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()

    def load():
        try:
            return site_for_hostname(hostname, port)  # Wagtail's matching, the root page joined
        except Site.DoesNotExist:
            return None

    kept = versioned(("site", hostname, port), load)
    if kept is None:
        return Site.find_for_request(request)  # Wagtail's answer, and its caching on the request
    site = copy_instance(kept)
    site._state.fields_cache["root_page"] = copy_instance(kept.root_page)
    request._wagtail_site = site
    return site


def prime_route(request, path):
    """Store Wagtail's route for ``path`` on the request, as ``Page.route_for_request`` would compute it."""
    if hasattr(request, "_wagtail_route_for_request") or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return
    site = site_for_request(request)
    if site is None:
        return  # Wagtail answers (None) itself
    components = [component for component in path.split("/") if component]
    try:
        request._wagtail_route_for_request = route(request, site, components)
    except Http404:
        request._wagtail_route_for_request = None


class RouteAwarePageMixin:
    """For page types routed by ``route``: the parent and the view restrictions from the pages it fetched."""

    def get_view_restrictions(self):
        """Wagtail's answer (this page's and its ancestors' restrictions, an alias's from its source): none
        without a query when the route's query saw no restriction on the way, one query when it saw some;
        Wagtail's own when a page on the way is an alias or the page was not routed here."""
        ancestors = getattr(self, "_route_ancestors", None)
        if ancestors is None:
            return super().get_view_restrictions()
        pages = [*ancestors, self]
        if any(page.alias_of_id for page in pages):
            return super().get_view_restrictions()  # rare: Wagtail's own alias resolution
        if not any(getattr(page, "_has_view_restriction", True) for page in pages):
            # The route's query saw none: an empty queryset, evaluated already (Wagtail's check iterates it;
            # iterating a none() would still compile it). Chaining it gives none() again.
            restrictions = PageViewRestriction.objects.none()
            restrictions._result_cache = []
            return restrictions
        return PageViewRestriction.objects.filter(page_id__in={page.pk for page in pages})
