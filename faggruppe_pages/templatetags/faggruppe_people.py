"""Template tags of the reader pages that name people: ``{% load faggruppe_people %}``."""

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from faggruppe_pages.models import Role
from faggruppe_pages.templatetags.faggruppe_text import email_wrap

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


def _day(value):
    """``value|date:"d.m.Y"``: a datetime in local time, nothing for None."""
    if value is None:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y")


@register.simple_tag
def member_rows(memberships, show_period=False, show_verified=False):
    """The rows of a member table (includes/member_table.html, whose head names the same columns).

    Built here rather than in the template: a group page lists every seat, and at some forty variable lookups a
    row the template's loop was most of the page's rendering (``make bench``). Each cell repeats its column's name
    in ``data-label`` for small screens. ``vcard_url`` and ``overdue`` are what the group page's view sets on its
    current members."""
    labels = {
        "name": gettext("Name"),
        "represents": gettext("Represents"),
        "role": gettext("Role"),
        "job": gettext("Job title"),
        "email": gettext("E-mail"),
        "phone": gettext("Phone"),
        "period": gettext("Period"),
        "confirmed": gettext("Last confirmed"),
    }
    overdue_mark = format_html(' <strong class="overdue-mark">{}</strong>', gettext("Overdue"))
    fresh = format_html(
        '<td class="is-fresh"><span class="visually-hidden">{}</span></td>', gettext("Confirmed in time")
    )
    rows = []
    for m in memberships:
        person = m.person
        email = person.reader_email
        email_cell = format_html('<a class="email" href="mailto:{}">{}</a>', email, email_wrap(email)) if email else "–"
        vcard_url = getattr(m, "vcard_url", "")
        if vcard_url:
            save = gettext("save %(name)s as a contact") % {"name": conditional_escape(person.name)}
            email_cell = format_html(
                '{}<br><a class="vcard-link" href="{}" download>vCard<span class="visually-hidden"> – {}</span></a>',
                email_cell,
                vcard_url,
                mark_safe(save),  # noqa: S308 - the translation with the escaped name, as {% blocktrans %} makes it
            )
        phone = person.public_phone
        cells = [
            format_html('<th scope="row" data-label="{}">{}</th>', labels["name"], person_link(person)),
            format_html('<td data-label="{}">{}</td>', labels["represents"], m.represents.display_name),
            format_html('<td data-label="{}">{}</td>', labels["role"], m.role_label),
            format_html('<td data-label="{}">{}</td>', labels["job"], person.job_title or "–"),
            format_html('<td data-label="{}">{}</td>', labels["email"], email_cell),
            format_html(
                '<td data-label="{}">{}</td>',
                labels["phone"],
                format_html('<a href="{}">{}</a>', person.phone_uri, phone) if phone else "–",
            ),
        ]
        if show_period:
            cells.append(
                format_html('<td data-label="{}">{}–{}</td>', labels["period"], _day(m.start_date), _day(m.end_date))
            )
        if show_verified:
            if getattr(m, "overdue", False):
                verified = _day(m.last_verified_at) if m.last_verified_at else gettext("Never confirmed")
                cells.append(
                    format_html(
                        '<td data-label="{}" class="is-overdue">{}{}</td>', labels["confirmed"], verified, overdue_mark
                    )
                )
            else:
                cells.append(fresh)
        leader = ' class="is-leader"' if m.role == Role.LEADER else ""
        rows.append(f"\n    <tr{leader}>" + "".join(f"\n      {cell}" for cell in cells) + "\n    </tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every cell is format_html's
