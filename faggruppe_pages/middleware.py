"""Request middleware: the intranet requires login, and the UI speaks the user's chosen language."""

import re

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


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
    """Activate the language the user chose (cookie), else Norwegian Bokmål.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    would show English to most employees' browsers; the portal's default is nb.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


#: Django's message when a lookup gets a value its field cannot hold (``pk="abc"``).
_BAD_LOOKUP = re.compile(r"^Field '[^']+' expected a (number|decimal number|boolean|UUID)|is not a valid UUID")


class MalformedInputMiddleware:
    """A last net under every view, ours and Wagtail's: an id that no row can have is a bad request.

    Our own views and forms parse what they are sent (``boundary.parse_id``, form fields), but
    Wagtail's generic views look rows up with whatever the URL or query string holds: ``abc``
    in an integer key raises ValueError, and an id of 2**63 or more raises OverflowError on
    SQLite. Those two, and nothing else, are answered with 400 instead of a server error;
    every other exception still reaches the log and the 500 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError) or (
            isinstance(exception, ValueError | ValidationError) and _BAD_LOOKUP.search(str(exception))
        ):
            from django.views.defaults import bad_request

            return bad_request(request, exception)
        return None
