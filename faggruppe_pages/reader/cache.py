"""The shared cache of reader pages: the page's own part, rendered once per data version, served to every reader.

What is cached: the blocks ``title``, ``extra_head`` and ``content`` of a reader page (templates/base.html marks
them with ``{% reader_fragment %}``). What is not: the header (the user's name, the admin link), the footer's
forms with their CSRF tokens and the Wagtail user bar; they are rendered for each request around the cached part.

The key (``page_key``) holds everything the cached part depends on:
- the path with its query string (the matrix's filter, the page number) and the language;
- today's date (the pages say "over fristen", "current", "ending soon" by date);
- the data version (faggruppe_pages/caching.py): the database changes it on every write to a table a page could
  show, in the writer's transaction, so a stale member list can only be served if the database lies;
- the viewer's rights (``audience``): a plain reader (no groups, no permissions of their own) shares the entry with
  every other plain reader; anyone else shares it only with users in exactly the same groups, or, with rights of
  their own (staff, superusers, a user-level or object permission), has their own.
Entries also expire after ``FAGGRUPPE_READER_CACHE_SECONDS`` (default 300): what changes by the clock inside a day
(a meeting that has started is no longer "next") is at most that late. 0 turns the cache off.

The cache is Django's default cache: local memory per process by default, Redis when ``CACHE_URL`` is set (then
shared by every app server; the key needs no invalidation message, as the data version lives in the database).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from faggruppe_pages import conf, wiring
from faggruppe_pages.caching import data_version
from faggruppe_pages.permissions import holds_no_grants
from faggruppe_pages.versioned import begin_request, end_request, note_request_version

#: The context variable through which base.html's ``{% reader_fragment %}`` hands the rendered parts back.
COLLECTOR = "reader_cache_parts"
#: The parts a cached entry must have (base.html's blocks).
PARTS = ("title", "head", "content")
TEMPLATE = "faggruppe_pages/reader/cached_page.html"
KEY_PREFIX = "fg:page:"
#: The audience of a user with no groups, no permissions of their own and no staff flag.
PLAIN_READER = "reader"


#: The cache alias of the pages (and the audiences), if the site defines it; else Django's default cache.
CACHE_ALIAS = "reader_pages"


def page_cache():
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def timeout():
    return int(conf.get("FAGGRUPPE_READER_CACHE_SECONDS"))


def audience(request, version):
    """Who may share a cached page with this user: "reader", "g<group ids>" or "u<user id>" (see the module)."""
    user = request.user
    if user.is_superuser or user.is_staff:
        return f"u{user.pk}"
    if holds_no_grants(user):  # no query for a user loaded with the answer (permissions.LoadsGrants)
        return PLAIN_READER
    key = f"fg:audience:{user.pk}:{version}"
    found = page_cache().get(key)
    if found is None:
        from guardian.models import UserObjectPermission

        from faggruppe_pages.models import OrganisationUserObjectPermission

        own_rights = (
            user.user_permissions.exists()
            or OrganisationUserObjectPermission.objects.filter(user=user).exists()
            or UserObjectPermission.objects.filter(user=user).exists()
        )
        groups = sorted(user.groups.values_list("pk", flat=True))
        found = f"u{user.pk}" if own_rights else ("g" + ",".join(map(str, groups)) if groups else PLAIN_READER)
        page_cache().set(key, found, timeout())
    return found


#: Settings a page's rendering may read: ours, governance's, Wagtail's, the language and time zone.
FINGERPRINT_PREFIXES = ("FAGGRUPPE_", "GOVERNANCE_", "WAGTAIL", "LANGUAGE", "TIME_ZONE", "USE_")


_fingerprint = (None, "")


@functools.cache
def code_fingerprint():
    """The deployed code and templates (their contents), read once per process: a deploy that changes a
    template is a new entry at once on every app server, not after the entries expire; app servers running the
    same release share entries."""
    from pathlib import Path

    from django.apps import apps

    roots = [
        Path(app.path) for app in apps.get_app_configs() if app.name.split(".")[0] in ("faggruppe_pages", "governance")
    ]
    roots += [Path(d) for template in settings.TEMPLATES for d in template.get("DIRS", [])]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".mo", ".css", ".js") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint():
    """A changed setting (a deploy, or ``override_settings`` in a test) is a new entry, not an old page.
    Computed again only when the settings object changes (``override_settings`` puts in a new one)."""
    global _fingerprint
    wrapped = settings._wrapped
    if _fingerprint[0] is wrapped:
        return _fingerprint[1]
    names = sorted(n for n in dir(settings) if n.startswith(FINGERPRINT_PREFIXES))
    values = [(name, getattr(settings, name, None)) for name in names]
    values += [(name, conf.get(name)) for name in sorted(conf.DEFAULTS)]
    values.append(code_fingerprint())
    _fingerprint = (wrapped, hashlib.sha256(repr(values).encode()).hexdigest())
    return _fingerprint[1]


def page_key(request):
    """The cache key of this request's page, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False) or not timeout():
        return None
    if not request.user.is_authenticated:
        return None
    version = data_version()
    if version is None:
        return None
    note_request_version(version)  # the reference data this request reads is kept under it (versioned.versioned)
    request.reader_audience = audience(request, version)
    parts = [
        settings_fingerprint(),
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or settings.LANGUAGE_CODE,
        timezone.localdate().isoformat(),
        version,
        request.reader_audience,
    ]
    return KEY_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_response(request, entry, page=None):
    """The page from a cache entry: its own part as kept, the header, footer and user bar for this request."""
    cached = {k: mark_safe(v) if isinstance(v, str) else v for k, v in entry.items()}  # noqa: S308 (ours)
    if getattr(request, "reader_audience", None) == PLAIN_READER:
        # No groups, no permissions of their own, not staff: no admin link, no user bar, no query to find out.
        cached["userbar"] = False
    elif page is None and cached.get("userbar") and entry.get("page_id"):
        from wagtail.models import Page

        page = SimpleLazyObject(lambda: Page.objects.get(pk=entry["page_id"]).specific)
    return TemplateResponse(request, TEMPLATE, {"page": page, "self": page, "cached": cached})


def page_key_for(request):
    """page_key, once per request (the middleware and the view both ask)."""
    if not hasattr(request, "_reader_cache_key"):
        request._reader_cache_key = page_key(request)
    return request._reader_cache_key


class ReaderCacheMiddleware:
    """Serve a cached reader page before Wagtail routes the request (after the login check).

    The entry was rendered for this path, language, date, data version and audience, so the routing and view
    restrictions Wagtail would check give the same answer now as when it was kept: a page unpublished, moved or
    restricted since is a new data version, so a new key. A miss goes on to Wagtail and the cached views below.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = begin_request()
        try:
            return self.get_response(request)
        finally:
            end_request(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve:
            return None
        key = page_key_for(request)
        entry = page_cache().get(key) if key is not None else None
        if entry is None:
            return None
        return cached_response(request, entry)


def cached_page(view):
    """Serve a page view's own part from the cache, or render it and keep it (for status 200 pages only)."""

    @functools.wraps(view)
    def wrapper(page, request, *args, **kwargs):
        return _cached_or_kept(request, page, lambda: view(page, request, *args, **kwargs))

    return wrapper


def cached_view(view):
    """``cached_page`` for a plain Django view (not a Wagtail page's): the same key and entries. Other add-ons'
    reader pages use it (governance: the yearly reports). The view must render base.html's blocks from the data
    and the viewer's rights only (the key's audience), never from who the user is."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return _cached_or_kept(request, None, lambda: view(request, *args, **kwargs))

    # Marks the view (functools.wraps carries it through outer decorators): the cache's tests find every such
    # view among the URL patterns and check it against every pair of viewers.
    wrapper.reader_cached = True
    return wrapper


def _cached_or_kept(request, page, render):
    key = page_key_for(request)
    if key is not None:
        entry = page_cache().get(key)
        if entry is not None:
            return cached_response(request, entry, page)
    response = render()
    if key is not None and isinstance(response, TemplateResponse) and response.status_code == 200:
        collected = {}
        response.context_data = {**(response.context_data or {}), COLLECTOR: collected}

        def keep(rendered):
            if rendered.status_code == 200 and all(part in collected for part in PARTS):
                entry = {part: str(collected[part]) for part in PARTS}
                # Whether the page shows the user bar (route pages hide it); its content is per user.
                entry["userbar"] = "userbar" in collected
                entry["page_id"] = page.pk if page is not None else None
                page_cache().set(key, entry, timeout())

        response.add_post_render_callback(keep)
    return response


#: The page views (faggruppe_pages/wiring.py names) whose pages are cached: the group pages, the overview, the
#: member matrix, the representation pages and the person pages. Downloads under the same views are not
#: TemplateResponses and are never kept.
CACHED_PAGE_VIEWS = (
    "faggruppe_index",
    "group_page",
    "member_overview",
    "representation_index",
    "representation",
    "person_page",
)


def install():
    """Wrap the registered page views (apps.ready, after the reader views have registered themselves)."""
    for name in CACHED_PAGE_VIEWS:
        wiring.wrap_page_view(name, cached_page)
