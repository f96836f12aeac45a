"""/oidc/authenticate/ starts the code flow (PKCE), /oidc/callback/ finishes it: mozilla-django-oidc's views, with
the endpoints from discovery and every refusal a Norwegian message on the login page (never a 400 or 500)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc import views as oidc_views

from intranet.oidc import provider
from intranet.oidc.backend import REFUSED_GENERIC

logger = logging.getLogger(__name__)

UNAVAILABLE = _("Logging in with your municipality account is not available right now. Try again in a little while.")
NOT_CONFIGURED = _("Logging in with your municipality account is not set up on this site.")
CANCELLED = _("The login with your municipality account was cancelled.")


def back_to_login(request, message, level=messages.ERROR):
    messages.add_message(request, level, message)
    return redirect("login")


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(oidc_views.OIDCAuthenticationRequestView):
    """Redirects to the provider's login, with state, nonce and PKCE kept in the session; ``next`` (only a
    same-site address) is where the callback lands."""

    def __init__(self, *args, **kwargs):
        # The library reads the authorization endpoint from settings here; ours is discovered in get().
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID", "")

    def get(self, request):
        if not provider.enabled():
            return back_to_login(request, NOT_CONFIGURED)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoint("authorization_endpoint")
        except provider.ProviderUnavailable:
            return back_to_login(request, UNAVAILABLE)
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend exchanges it (with the PKCE verifier) and
    checks the id_token. Success: logged in, on to ``next``. Anything else: the login page says why."""

    @property
    def failure_url(self):
        return resolve_url("login")

    def get(self, request):
        if not provider.enabled():
            return back_to_login(request, NOT_CONFIGURED)
        if request.GET.get("error"):
            logger.info("Single sign-on: the provider answered %s", request.GET.get("error"))
            # The library drops the state and logs out; login_failure() then shows this.
            request.oidc_refusal = CANCELLED if request.GET.get("error") == "access_denied" else REFUSED_GENERIC
            return super().get(request)
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # an unknown or reused state: a replayed or forged callback
            logger.warning("Single sign-on callback refused: %s", error)
            return back_to_login(request, REFUSED_GENERIC)

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "oidc_refusal", None) or REFUSED_GENERIC)
        return HttpResponseRedirect(self.failure_url)

    def login_success(self):
        response = super().login_success()
        # Rights from the directory are applied at login: a session lasts a working day, not Django's two weeks.
        self.request.session.set_expiry(settings.FAGGRUPPE_OIDC_SESSION_HOURS * 3600)
        for notice in getattr(self.request, "oidc_notices", []):
            messages.warning(self.request, notice)
        return response


def provider_logout_url(request, id_token):
    """Where to send the browser after the portal's logout so the provider ends its session too (RP-initiated
    logout), or None when the provider has no end_session_endpoint or the user did not log in with it."""
    if not id_token or not provider.enabled():
        return None
    try:
        end_session = provider.endpoint("end_session_endpoint", required=False)
    except provider.ProviderUnavailable:
        return None
    if not end_session:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    return f"{end_session}{'&' if '?' in end_session else '?'}{urlencode(params)}"
