"""Template tags of the reader pages that name people: ``{% load faggruppe_people %}``."""

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.simple_tag
def person_link(person, text=None):
    """The person's name (or ``text``) linked to their page, or only the name when they have no page.

    The view marks the people of a list at once (``Person.mark_pages``), so the links cost no query per row."""
    if person is None:
        return ""
    label = person.name if text is None else text
    url = person.get_absolute_url()
    return format_html('<a href="{}">{}</a>', url, label) if url else conditional_escape(label)
