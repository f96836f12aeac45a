"""Template tags of the reader pages that name people: ``{% load faggruppe_people %}``."""

import html

from django import template
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext, ngettext

from faggruppe_pages.models import Role
from faggruppe_pages.predicates import local_date
from faggruppe_pages.templatetags.faggruppe_text import email_wrap

register = template.Library()

#: The leader's mark before the role, hidden from screen readers (the role says it).
STAR = '<span aria-hidden="true">★ </span>'


@register.simple_tag
def person_link(person, text=None):
    """The person's name (or ``text``) linked to their page, or only the name when they have no page.

    The view marks the people of a list at once (``Person.mark_pages``), so the links cost no query per row."""
    if person is None:
        return ""
    return _linked(person.name if text is None else text, person.get_absolute_url())


@register.simple_tag
def linked(text, url):
    """``{% linked text url %}``: ``text`` linked to ``url``, or only ``text`` when there is no ``url``."""
    return _linked(text, url)


def _linked(text, url):
    """``text`` linked to ``url``, or only ``text`` when there is no ``url``. Plain strings rather than
    format_html: a member list links every row (member_rows, representation_rows)."""
    text = _esc(text)
    return mark_safe(f'<a href="{_esc(url)}">{text}</a>' if url else text)  # noqa: S308 - escaped


def _day(value):
    """``value|date:"d.m.Y"``: a timestamp's local date (predicates.local_date), nothing for None."""
    return local_date(value).strftime("%d.%m.%Y") if value is not None else ""


def _esc(value):
    """``conditional_escape`` without its lazy-string wrapper (the same text; a row has a dozen values)."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def member_rows(memberships, show_period=False, show_verified=False):
    """The rows of a member table (includes/member_table.html, whose head names the same columns).

    Built here rather than in the template: a group page lists every seat, and at some forty variable lookups a
    row the template's loop was most of the page's rendering (``make bench``); in plain strings, every value
    escaped as the template escapes it. Each cell repeats its column's name in ``data-label`` for small screens.
    ``vcard_url`` and ``overdue`` are what the group page's view sets on its current members."""
    label = {
        "name": _esc(gettext("Name")),
        "represents": _esc(gettext("Represents")),
        "role": _esc(gettext("Role")),
        "job": _esc(gettext("Job title")),
        "email": _esc(gettext("E-mail")),
        "phone": _esc(gettext("Phone")),
        "period": _esc(gettext("Period")),
        "confirmed": _esc(gettext("Last confirmed")),
    }
    overdue, in_time = _esc(gettext("Overdue")), _esc(gettext("Confirmed in time"))
    overdue_mark = f' <strong class="overdue-mark">{overdue}</strong>'
    fresh = f'<td class="is-fresh"><span class="visually-hidden">{in_time}</span></td>'
    save_as_contact = gettext("save %(name)s as a contact")
    rows = []
    for m in memberships:
        person = m.person
        email = person.reader_email
        email_cell = f'<a class="email" href="mailto:{_esc(email)}">{email_wrap(email)}</a>' if email else "–"
        vcard_url = getattr(m, "vcard_url", "")
        if vcard_url:
            # As {% blocktrans %} makes it: the translation as it is, the name escaped.
            save = save_as_contact % {"name": _esc(person.name)}
            email_cell += (
                f'<br><a class="vcard-link" href="{_esc(vcard_url)}" download>vCard'
                f'<span class="visually-hidden"> – {save}</span></a>'
            )
        phone = person.public_phone
        phone_cell = f'<a href="{_esc(person.phone_uri)}">{_esc(phone)}</a>' if phone else "–"
        cells = [
            f'<th scope="row" data-label="{label["name"]}">{person_link(person)}</th>',
            f'<td data-label="{label["represents"]}">{_esc(m.represents.display_name)}</td>',
            f'<td data-label="{label["role"]}">{_esc(m.role_label)}</td>',
            f'<td data-label="{label["job"]}">{_esc(person.job_title or "–")}</td>',
            f'<td data-label="{label["email"]}">{email_cell}</td>',
            f'<td data-label="{label["phone"]}">{phone_cell}</td>',
        ]
        if show_period:
            cells.append(f'<td data-label="{label["period"]}">{_day(m.start_date)}–{_day(m.end_date)}</td>')
        if show_verified:
            if getattr(m, "overdue", False):
                verified = _day(m.last_verified_at) if m.last_verified_at else _esc(gettext("Never confirmed"))
                cells.append(f'<td data-label="{label["confirmed"]}" class="is-overdue">{verified}{overdue_mark}</td>')
            else:
                cells.append(fresh)
        leader = ' class="is-leader"' if m.role == Role.LEADER else ""
        rows.append(f"\n    <tr{leader}>" + "".join(f"\n      {cell}" for cell in cells) + "\n    </tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every value in it escaped (_esc) or safe already


@register.simple_tag
def representation_rows(entries):
    """The rows of the seats table of "Where is … represented?" (reader/representation.html, whose head names the
    same columns) for ``entries`` (representation.Entry): each seat, then the coming ones, then the gap.

    Built here, like ``member_rows``: a municipality with a seat in each of a hundred groups is a hundred rows of
    five cells, and the template's loop with its includes was most of the page's time (tests/perf/large_pages.py).
    A period reads as includes/period.html writes it (an open end said to screen readers)."""
    label = {
        key: _esc(text)
        for key, text in (
            ("group", gettext("Group")),
            ("name", gettext("Name")),
            ("role", gettext("Role")),
            ("period", gettext("Period")),
            ("confirmed", gettext("Last confirmed")),
        )
    }
    # Translated outside the f-strings: makemessages (xgettext) does not see a gettext() inside one.
    open_ended, ends_soon, overdue = gettext("open-ended"), gettext("ends soon"), gettext("Overdue")
    starts_later, never, confirmed_on = (
        gettext("starts later"),
        gettext("Never confirmed"),
        gettext("Last confirmed %(date)s"),
    )
    open_ended = f'<span class="visually-hidden">{_esc(open_ended)}</span>'
    ends_soon = f' <strong class="overdue-mark">{_esc(ends_soon)}</strong>'
    overdue = f' <strong class="overdue-mark">{_esc(overdue)}</strong>'
    starts_later = f" ({_esc(starts_later)})"
    rows = []

    def add(css, group_cell, *cells):
        tr = f'<tr class="{css}">' if css else "<tr>"
        rows.append(f"\n      {tr}\n        {group_cell}" + "".join(f"\n        {c}" for c in cells) + "\n      </tr>")

    for entry in entries:
        group_cell = f'<th scope="row" data-label="{label["group"]}">{_linked(entry.group.title, entry.group.url)}</th>'
        for coming, seat in [(False, seat) for seat in entry.seats] + [(True, seat) for seat in entry.upcoming]:
            leader = seat.role == Role.LEADER and not coming
            period = f"{_day(seat.start_date)}–{_day(seat.end_date) if seat.end_date else open_ended}"
            if coming:
                period, verified = period + starts_later, "–"
            else:
                period += ends_soon if seat.ends_soon else ""
                verified = (
                    _esc(confirmed_on % {"date": _day(seat.last_verified_at)}) if seat.last_verified_at else _esc(never)
                )
                verified += overdue if seat.overdue else ""
            add(
                "is-leader" if leader else "",
                group_cell,
                f'<td data-label="{label["name"]}">{_linked(seat.person_name, seat.person_url)}</td>',
                f'<td data-label="{label["role"]}">{STAR if leader else ""}{_esc(seat.role_label)}</td>',
                f'<td data-label="{label["period"]}">{period}</td>',
                f'<td data-label="{label["confirmed"]}">{verified}</td>',
            )
        if entry.gap:
            gap = ngettext("Empty seat", "%(counter)s empty seats", entry.gap) % {"counter": entry.gap}
            add(
                "has-gap",
                group_cell,
                f'<td data-label="{label["name"]}" colspan="4"><span class="gap-mark">{_esc(gap)}</span></td>',
            )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it escaped (_esc) or safe already
