"""URL map of the host site: login, admin, the add-ons' reader views, then Wagtail's page tree."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.documents import urls as wagtaildocs_urls

from faggruppe_pages.reader.statement import accessibility_statement
from intranet import accounts
from intranet.health import health
from intranet.oidc import views as oidc_views


class ExternalLinkView(chooser.ExternalLinkView):
    """Wagtail's external-link chooser fails (500) on a POST without its URL field: treat it as empty."""

    def post(self, request, *args, **kwargs):
        field = "external-link-chooser-url"
        if field not in request.POST:
            request.POST = request.POST.copy()
            request.POST[field] = ""
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path("logg-inn/", accounts.LoginView.as_view(), name="login"),
    path("logg-ut/", accounts.LogoutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect): start at the provider, come back with a code (intranet/oidc/).
    path("oidc/authenticate/", oidc_views.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc_views.CallbackView.as_view(), name="oidc_authentication_callback"),
    # Choosing a language is open before logging in too (the login page has the language menu).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The accessibility statement is public (public bodies publish it openly): the view needs no login.
    path("tilgjengelighet/", accessibility_statement, name="accessibility_statement"),
    # The load balancer's health check (docs/deploy.md "Many app servers"): open, never cached, one SELECT 1.
    path("helse/", health, name="health"),
    # Before the admin's own pattern of the same address (it wins by coming first).
    path(
        "admin/choose-external-link/",
        require_admin_access(ExternalLinkView.as_view()),
        name="fixed_choose_page_external_link",
    ),
    # One login page: Wagtail's login address sends to /logg-inn/ (and takes a POST the same way).
    path("admin/login/", accounts.AdminLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The search page (/sok/, /search/ redirects there).
    path("", include("faggruppe_pages.urls")),
    # Governance's reader pages: meetings, calendar feeds, measures, proposals, the yearly report.
    path("", include("governance.urls")),
    # The intranet's front door is the faggruppe overview.
    path("", RedirectView.as_view(url="/faggrupper/", permanent=False), name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
