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
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from faggruppe_pages import conf, wiring
from faggruppe_pages.caching import data_version

#: The context variable through which base.html's ``{% reader_fragment %}`` hands the rendered parts back.
COLLECTOR = "reader_cache_parts"
#: The parts a cached entry must have (base.html's blocks).
PARTS = ("title", "head", "content")
TEMPLATE = "faggruppe_pages/reader/cached_page.html"
KEY_PREFIX = "fg:page:"


def timeout():
    return int(conf.get("FAGGRUPPE_READER_CACHE_SECONDS"))


def audience(request, version):
    """Who may share a cached page with this user: "reader", "g<group ids>" or "u<user id>" (see the module)."""
    user = request.user
    if user.is_superuser or user.is_staff:
        return f"u{user.pk}"
    key = f"fg:audience:{user.pk}:{version}"
    found = cache.get(key)
    if found is None:
        from guardian.models import UserObjectPermission

        from faggruppe_pages.models import OrganisationUserObjectPermission

        own_rights = (
            user.user_permissions.exists()
            or OrganisationUserObjectPermission.objects.filter(user=user).exists()
            or UserObjectPermission.objects.filter(user=user).exists()
        )
        groups = sorted(user.groups.values_list("pk", flat=True))
        found = f"u{user.pk}" if own_rights else ("g" + ",".join(map(str, groups)) if groups else "reader")
        cache.set(key, found, timeout())
    return found


def settings_fingerprint():
    """The settings a page's rendering reads: a changed setting (or ``override_settings``) is a new entry."""
    names = sorted(conf.DEFAULTS) + ["LANGUAGE_CODE", "TIME_ZONE"]
    return repr([(name, getattr(settings, name, None)) for name in names])


def page_key(request):
    """The cache key of this request's page, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False) or not timeout():
        return None
    if not request.user.is_authenticated:
        return None
    version = data_version()
    if version is None:
        return None
    parts = [
        settings_fingerprint(),
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or settings.LANGUAGE_CODE,
        timezone.localdate().isoformat(),
        version,
        audience(request, version),
    ]
    return KEY_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(view):
    """Serve a page view's own part from the cache, or render it and keep it (for status 200 pages only)."""

    @functools.wraps(view)
    def wrapper(page, request, *args, **kwargs):
        key = page_key(request)
        if key is not None:
            parts = cache.get(key)
            if parts is not None:
                context = {"page": page, "self": page, "cached": {k: mark_safe(v) for k, v in parts.items()}}  # noqa: S308 (our own rendering)
                return TemplateResponse(request, TEMPLATE, context)
        response = view(page, request, *args, **kwargs)
        if key is not None and isinstance(response, TemplateResponse) and response.status_code == 200:
            collected = {}
            response.context_data = {**(response.context_data or {}), COLLECTOR: collected}

            def keep(rendered):
                if rendered.status_code == 200 and all(part in collected for part in PARTS):
                    cache.set(key, {part: str(collected[part]) for part in PARTS}, timeout())

            response.add_post_render_callback(keep)
        return response

    return wrapper


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
