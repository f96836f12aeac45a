"""Logging in and out: one login page for the reader site and the Wagtail admin, and a logout that GET can reach.

- ``/logg-inn/`` is the only login page. The admin sends anonymous visitors there (``WAGTAILADMIN_LOGIN_URL``),
  keeping ``next``, so they land back in the admin after logging in.
- ``/admin/login/`` (Wagtail's address, bookmarked by editors) sends a GET to ``/logg-inn/`` with the same
  ``next`` (the admin's start page when none is given), and handles a POST like ``/logg-inn/``: the same form,
  the same page in the site's look, the same throttle (django-axes sees every ``authenticate``).
- ``/logg-ut/`` logs out on POST (the header's form) and answers a GET with a confirm page; after logging out
  the login page says so. Logged out, a GET goes to the login page.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from intranet.oidc import provider
from intranet.oidc.views import provider_logout_url


class PasswordLoginSwitch:
    """An authentication backend that refuses every password while ``FAGGRUPPE_PASSWORD_LOGIN`` is off (Django's
    ``authenticate`` stops at PermissionDenied), whichever login form sent it; otherwise it answers nothing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not provider.password_login_enabled():
            raise PermissionDenied("password login is switched off")
        return None

    def get_user(self, user_id):
        return None


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The site's login page (registration/login.html), for the reader pages and the admin alike: the single
    sign-on button when it is configured, the password form unless it is switched off."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = provider.enabled()
        context["oidc_label"] = provider.login_label()
        context["password_login"] = provider.password_login_enabled()
        return context

    def post(self, request, *args, **kwargs):
        if not provider.password_login_enabled():
            messages.error(request, _("Logging in with a password is switched off. Use your municipality account."))
            context = self.get_context_data(form=self.get_form_class()(request))
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class AdminLoginView(LoginView):
    """Wagtail's ``/admin/login/``: a GET goes to the one login page; a POST is the same login, landing in the admin."""

    def get_default_redirect_url(self):
        return reverse("wagtailadmin_home")

    def get(self, request, *args, **kwargs):
        target = self.get_redirect_url() or self.get_default_redirect_url()
        if request.user.is_authenticated:
            return redirect(target)
        return redirect(f"{reverse('login')}?{urlencode({self.redirect_field_name: target})}")


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """POST logs out (then the login page says so); GET asks first, or goes to the login page when logged out."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return TemplateResponse(request, self.template_name, {})

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        id_token = request.session.get("oidc_id_token") if was_logged_in else None
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("You are now logged out."))
            # Logged in with single sign-on: end the provider's session too; it sends the browser back here.
            provider_logout = provider_logout_url(request, id_token)
            if provider_logout:
                return HttpResponseRedirect(provider_logout)
        return response
