"""A benefit's baseline → target → realised so far as a small inline SVG, rendered on the server.

No JavaScript and no chart library: the SVG is built from the numbers here, so it is the same in
the browser, in the PDF and for a screen reader. ``role="img"`` with a ``<title>`` and a ``<desc>``
gives the text alternative ("Nullpunkt 120 timer 01.01.2025, mål 60 timer 31.12.2026, sist målt
85 timer 01.10.2026"); the page shows the same numbers in a data table beneath the chart.

x is time (from the earliest to the latest date shown), y the value. The baseline is a circle, the
target a square, the planned path a dashed line between them, the realisations a solid line with
points (from the baseline, when there is one). Colours have at least 3:1 contrast on white.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 30
INK, BRAND, WARN, GRID = "#1a1a1a", "#0b4f6c", "#8a3b00", "#767676"


def format_number(value):
    """Norwegian style: 1 234,5 (a non-breaking space groups thousands); whole numbers without decimals."""
    if value is None:
        return ""
    value = Decimal(value)
    negative = value < 0
    value = abs(value)
    if value == value.to_integral_value():
        whole, fraction = f"{value:.0f}", ""
    else:
        whole, fraction = f"{value:.2f}".rstrip("0").split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = "\u00a0".join(groups) + (f",{fraction}" if fraction else "")
    return f"−{text}" if negative else text


def format_amount(value, unit):
    """ "120 timer", "1 500 kr"; the number alone when there is no unit."""
    number = format_number(value)
    return f"{number} {unit}".strip() if unit else number


def num(value):
    """A coordinate with one decimal."""
    return f"{value:.1f}"


def short_date(day):
    return date_format(day, "d.m.Y") if day else ""


@dataclass
class Point:
    day: datetime.date
    value: Decimal


@dataclass
class Chart:
    """What the template shows: the SVG (safe HTML) and the text alternative it carries."""

    svg: str
    text: str
    baseline: Point | None = None
    target: Point | None = None
    realisations: list = field(default_factory=list)


def describe(baseline, target, latest, unit):
    """The chart's text alternative, in the reader's language."""
    parts = []
    if baseline:
        parts.append(
            _("baseline %(value)s %(date)s")
            % {"value": format_amount(baseline.value, unit), "date": short_date(baseline.day)}
        )
    if target:
        parts.append(
            _("target %(value)s %(date)s")
            % {"value": format_amount(target.value, unit), "date": short_date(target.day)}
        )
    if latest:
        parts.append(
            _("last measured %(value)s %(date)s")
            % {"value": format_amount(latest.value, unit), "date": short_date(latest.day)}
        )
    else:
        parts.append(_("not measured yet"))
    return capfirst(", ".join(parts))


def benefit_chart(benefit, realisations, dom_id):
    """The chart of one benefit, from its total baseline and target and its total ``realisations``
    (Realisation rows with no organisation, in date order). None when there is nothing to draw."""
    baseline = (
        Point(benefit.baseline_date, benefit.baseline_value)
        if benefit.baseline_value is not None and benefit.baseline_date
        else None
    )
    target = (
        Point(benefit.target_date, benefit.target_value)
        if benefit.target_value is not None and benefit.target_date
        else None
    )
    measured = [Point(r.date, r.value) for r in realisations]
    points = [p for p in (baseline, target, *measured) if p]
    if not points:
        return None
    text = describe(baseline, target, measured[-1] if measured else None, benefit.unit)
    svg = render_svg(baseline, target, measured, text, benefit.unit, dom_id)
    return Chart(svg=svg, text=text, baseline=baseline, target=target, realisations=measured)


def render_svg(baseline, target, measured, text, unit, dom_id):
    points = [p for p in (baseline, target, *measured) if p]
    first_day = min(p.day for p in points)
    last_day = max(p.day for p in points)
    span_days = max((last_day - first_day).days, 1)
    low = min(Decimal(0), *(p.value for p in points))
    high = max(p.value for p in points)
    if high == low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        if first_day == last_day:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first_day).days / span_days

    def y(value):
        return TOP + plot_h * float((high - Decimal(value)) / (high - low))

    def xy(p):
        return f"{num(x(p.day))},{num(y(p.value))}"

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="benefit-chart" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false">',
            w=WIDTH,
            h=HEIGHT,
            id=dom_id,
        ),
        format_html('<title id="{}-title">{}</title>', dom_id, _("Benefit: baseline, target and realised")),
        format_html('<desc id="{}-desc">{}</desc>', dom_id, text),
        # Axes and the value scale.
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}" stroke-width="1"/>'
            '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{c}" stroke-width="1"/>',
            l=LEFT,
            r=WIDTH - RIGHT,
            t=TOP,
            b=TOP + plot_h,
            c=GRID,
        ),
        format_html(
            '<text x="{x}" y="{y}" font-size="10" text-anchor="end" fill="{c}">{v}</text>',
            x=LEFT - 4,
            y=f"{TOP + 4}",
            c=INK,
            v=format_number(high),
        ),
        format_html(
            '<text x="{x}" y="{y}" font-size="10" text-anchor="end" fill="{c}">{v}</text>',
            x=LEFT - 4,
            y=f"{TOP + plot_h}",
            c=INK,
            v=format_number(low),
        ),
        format_html(
            '<text x="{x}" y="{y}" font-size="10" fill="{c}">{d}</text>'
            '<text x="{x2}" y="{y}" font-size="10" text-anchor="end" fill="{c}">{d2}</text>',
            x=LEFT,
            x2=WIDTH - RIGHT,
            y=HEIGHT - 8,
            c=INK,
            d=short_date(first_day),
            d2=short_date(last_day) if last_day != first_day else "",
        ),
    ]
    if unit:
        parts.append(format_html('<text x="{x}" y="12" font-size="10" fill="{c}">{u}</text>', x=LEFT, c=INK, u=unit))
    if baseline and target:
        parts.append(
            format_html(
                '<line class="planned" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" '
                'stroke-width="1.5" stroke-dasharray="5 4"/>',
                x1=num(x(baseline.day)),
                y1=num(y(baseline.value)),
                x2=num(x(target.day)),
                y2=num(y(target.value)),
                c=GRID,
            )
        )
    if measured:
        line = [p for p in (baseline, *measured) if p]
        if len(line) > 1:
            parts.append(
                format_html(
                    '<polyline class="realised" points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                    " ".join(xy(p) for p in line),
                    BRAND,
                )
            )
        for p in measured:
            parts.append(
                format_html(
                    '<circle class="realisation" cx="{}" cy="{}" r="4" fill="{}"/>',
                    num(x(p.day)),
                    num(y(p.value)),
                    BRAND,
                )
            )
    if baseline:
        parts.append(
            format_html(
                '<circle class="baseline" cx="{}" cy="{}" r="5" fill="#fff" stroke="{}" stroke-width="2"/>',
                num(x(baseline.day)),
                num(y(baseline.value)),
                INK,
            )
        )
    if target:
        parts.append(
            format_html(
                '<rect class="target" x="{}" y="{}" width="10" height="10" fill="{}"/>',
                num(x(target.day) - 5),
                num(y(target.value) - 5),
                WARN,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


__all__ = ["Chart", "Point", "benefit_chart", "describe", "format_amount", "format_number", "short_date"]
