"""Request middleware: the intranet requires login, and the UI speaks the user's chosen language."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
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
