"""Security headers of the host site: Content-Security-Policy per area, and Permissions-Policy.

Both come from settings (base.py): ``CONTENT_SECURITY_POLICY`` is the policy of every page,
``ADMIN_CSP_RELAXATIONS`` what the Wagtail admin adds to it, ``PERMISSIONS_POLICY`` the features
no page may use.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; under /admin/ the policy gets ``settings.ADMIN_CSP_RELAXATIONS`` added.

    Reader pages keep the strict policy: the admin's needs (Wagtail's own inline scripts and styles)
    never widen what a reader page may run.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        relaxations = dict(getattr(settings, "ADMIN_CSP_RELAXATIONS", None) or {})
        if not request.path_info.startswith(ADMIN_PREFIX):
            relaxations = {}
        # The logout form (every page's header) is answered with a redirect to the single sign-on provider's logout:
        # browsers check form-action on that redirect too.
        sso_origins = sso_form_action_sources()
        if sso_origins:
            relaxations["form-action"] = [*relaxations.get("form-action", []), *sso_origins]
        if relaxations:
            update = {key: list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in relaxations.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


def sso_form_action_sources():
    """The origins of the single sign-on provider's logout (none while single sign-on is off)."""
    from intranet.oidc import provider

    return provider.logout_origins()


def permissions_policy_header(policy):
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) with every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
