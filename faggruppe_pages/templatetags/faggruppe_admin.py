"""Template tags of the add-on's admin templates."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_site_name():
    """The configured name of the portal (WAGTAIL_SITE_NAME), never a Site record's hostname."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Wagtail"
