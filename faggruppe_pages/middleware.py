"""Request middleware: the intranet requires login, and the UI speaks the user's chosen language."""

import logging
import re

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)


class IntranetLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, leaving the Wagtail admin to guard its own URLs.

    Wagtail's admin login view overrides ``dispatch`` and so loses Django's
    ``login_not_required`` marker; the admin redirects anonymous users to its own
    login page anyway, so its URLs are left to it. Static files never reach here.
    """

    exempt_prefixes = ("/admin/", "/static/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PreferredLanguageMiddleware(MiddlewareMixin):
    """Activate the language the user chose (cookie), else Norwegian Bokmål; one choice for reader and admin.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    would show English to most employees' browsers; the portal's default is nb.

    A logged-in user chooses their language in two places: the reader pages' language menu
    (Django's ``set_language``, which sets the cookie) and the admin's account settings (Wagtail's
    profile, which the admin reads first). Each choice is copied to the other: choosing on the reader
    side stores it in the profile; saving the account settings, and logging in, set the cookie from
    the profile. So the reader pages and the admin always speak the same language.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not _supported(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated:
            view = getattr(request.resolver_match, "url_name", None)
            if view == "set_language":
                remember_language(user, request.POST.get("language"))
            elif view == "wagtailadmin_account" and response.status_code == 302:
                request.portal_language = profile_language(user)
        language = getattr(request, "portal_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def _supported(language):
    return language in {code for code, _name in settings.LANGUAGES}


def profile_language(user):
    """The language in the user's admin profile, or None."""
    from wagtail.users.models import UserProfile

    language = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return language if _supported(language) else None


def remember_language(user, language):
    """The reader's language menu: the admin follows the same choice."""
    if not _supported(language):
        return
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])


def language_on_login(sender, request, user, **kwargs):
    """``user_logged_in``: the language chosen in the profile (on another device, say) comes along."""
    if request is not None:
        language = profile_language(user)
        if language:
            request.portal_language = language
            translation.activate(language)


#: Django's message when a lookup gets a value its field cannot hold (``pk="abc"``).
_BAD_LOOKUP = re.compile(r"^Field '[^']+' expected a (number|decimal number|boolean|UUID)|is not a valid UUID")


class RouteInOneQueryMiddleware:
    """Before Wagtail's ``serve`` view: the page route in one query (faggruppe_pages/routing.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        from faggruppe_pages.routing import prime_route

        if view_func is serve and view_args:
            prime_route(request, view_args[0])
        return None


class MalformedInputMiddleware:
    """A last net under every view, ours and Wagtail's: input no row or form can take is a bad request.

    Our own views and forms parse what they are sent (``boundary.parse_id``, ``SafeInputFormMixin``),
    but some of Wagtail's views act on raw input: ``abc`` in an integer key raises ValueError, an id
    of 2**63 or more OverflowError on SQLite, a 10,000-character title in the page copy form a model
    ValidationError, a missing form field MultiValueDictKeyError (a key read from request.POST with
    ``[]``), a value too long for its column DataError (PostgreSQL; SQLite stores it), an unknown
    parent id DoesNotExist, ``?next=abc`` NoReverseMatch, an unknown
    listing parameter IncorrectLookupParameters. Those, and only when they come from the request,
    are answered with 400 (404 for a row that does not exist) instead of a server error; they are
    still logged as warnings. Every other exception reaches the log and the 500 page as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib.admin.options import IncorrectLookupParameters
        from django.core.exceptions import ObjectDoesNotExist
        from django.db import DataError
        from django.urls import NoReverseMatch
        from django.utils.datastructures import MultiValueDictKeyError
        from django.views.defaults import bad_request, page_not_found

        if isinstance(exception, ObjectDoesNotExist):
            answer = page_not_found
        elif (
            isinstance(
                exception,
                OverflowError | ValidationError | IncorrectLookupParameters | MultiValueDictKeyError | DataError,
            )
            or (isinstance(exception, ValueError) and _BAD_LOOKUP.search(str(exception)))
            or (isinstance(exception, NoReverseMatch) and _names_a_sent_value(request, exception))
        ):
            answer = bad_request
        else:
            return None
        logger.warning("Malformed input answered as a bad request: %s %s: %r", request.method, request.path, exception)
        return answer(request, exception)


def _names_a_sent_value(request, exception):
    """``redirect(request.GET["next"])`` with ``next=abc``: the name Django tried is what the user sent."""
    match = re.search(r"Reverse for '([^']*)'", str(exception))
    sent = {v for values in (*request.GET.lists(), *request.POST.lists()) for v in values[1]}
    return bool(match) and match.group(1) in sent
