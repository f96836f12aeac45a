"""The accessibility statement (tilgjengelighetserklæring) at a fixed address, open without login.

Public bodies publish their statement openly, so this one view is exempt from the intranet's login
requirement (``login_not_required``). What staff wrote in the site setting
(faggruppe_pages.models.AccessibilityStatement) is shown; an empty part gets a built-in text in the
reader's language. The complaint route to Tilsynet for universell utforming av ikt is always shown.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Site

from faggruppe_pages.models import AccessibilityStatement, Organisation, OrganisationKind

#: Where the public complains when the body does not answer (the supervisory authority).
SUPERVISORY_AUTHORITY_URL = "https://www.uutilsynet.no/"


def statement_for(request):
    """The statement of the request's site (the default site when none matches), created empty on first use."""
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return AccessibilityStatement()
    return AccessibilityStatement.for_site(site)


def responsible_body(statement):
    if statement.responsible:
        return statement.responsible
    cooperation = Organisation.objects.filter(kind=OrganisationKind.COOPERATION).order_by("name").first()
    return cooperation.name if cooperation else getattr(settings, "WAGTAIL_SITE_NAME", "")


@login_not_required
def accessibility_statement(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    statement = statement_for(request)
    user = request.user
    can_edit = (
        statement.pk is not None
        and user.is_authenticated
        and AccessibilityStatement.get_permission_policy().user_has_permission(user, "change")
    )
    context = {
        "statement": statement,
        "responsible": responsible_body(statement),
        "contact_email": statement.contact_email or settings.DEFAULT_FROM_EMAIL,
        "authority_url": SUPERVISORY_AUTHORITY_URL,
        "edit_url": (
            reverse(
                "wagtailsettings:edit",
                args=[
                    AccessibilityStatement._meta.app_label,
                    AccessibilityStatement._meta.model_name,
                    statement.site_id,
                ],
            )
            if can_edit
            else None
        ),
    }
    return TemplateResponse(request, "faggruppe_pages/reader/accessibility_statement.html", context)
