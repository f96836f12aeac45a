"""Governing bodies and who reports to whom, dated: Styret, Bestillerutvalget, Porteføljerådet, Samarbeidsrådet …"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.predicates import active_on_q
from faggruppe_pages.prepared import prepared
from faggruppe_pages.versioned import versioned
from faggruppe_pages.wiring import ClassByName

#: Longest chain of "reports to" that is followed (a guard against cycles entered over time).
MAX_CHAIN = 10


class GoverningBody(FastLoadMixin, ClusterableModel):
    """A body groups or other bodies report to: Styret, Bestillerutvalget, Porteføljerådet, Samarbeidsrådet …"""

    # Inline formset counts and foreign keys that are no numbers are form errors, not server errors.
    # Named, not imported: the admin's forms are a higher layer than the models (faggruppe_pages/wiring.py).
    base_form_class = ClassByName("faggruppe_pages.admin.forms.SafeAdminModelForm")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    case_prefix = models.CharField(
        _("case number prefix"), max_length=20, blank=True, help_text=_("As in its case numbers, e.g. “ST” in ST 4/19.")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldPanel("description"),
        FieldPanel("case_prefix"),
        FieldRowPanel([FieldPanel("established_on"), FieldPanel("dissolved_on")]),
        FieldPanel("successor"),
        InlinePanel("reporting_lines", heading=_("Reports to"), label=_("Reporting line")),
    ]

    class Meta:
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("A body cannot be dissolved before it was established.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A body cannot succeed itself.")})

    def reports_to_on(self, day):
        """The body this one reports to on ``day``, or None."""
        line = (
            self.reporting_lines.filter(active_on_q(day, start="valid_from", end="valid_to"))
            .select_related("reports_to")
            .order_by("-valid_from")
            .first()
        )
        return line.reports_to if line else None

    def chain_on(self, day):
        """This body and everything above it on ``day``: [Bestillerutvalget, Styret for ROR-IKT].

        One query: every reporting line valid on ``day`` (a handful of bodies), walked here; of a body's lines
        the latest ``valid_from`` wins, as in ``reports_to_on``."""
        above = versioned(("governance_reporting_lines", day), lambda: self._lines_above_on(day))
        chain = [self]
        while len(chain) < MAX_CHAIN and (parent := above.get(chain[-1].pk)) and parent not in chain:
            chain.append(parent)
        return chain

    @staticmethod
    def _lines_above_on(day):
        """{body id: the body it reports to on ``day``} (one query; kept under a reader request's data version)."""
        above = {}
        for line in sorted(_lines_on(day), key=lambda line: (line.valid_from, line.pk)):
            above[line.body_id] = line.reports_to  # the later valid_from overwrites
        return above


@prepared
def _lines_on(day):
    """The reporting lines valid on ``day``, with the body each reports to; compiled once (prepared.py)."""
    return ReportingLine.objects.filter(active_on_q(day, start="valid_from", end="valid_to")).select_related(
        "reports_to"
    )


class ReportingLine(FastLoadMixin, models.Model):
    """From ``valid_from`` (until ``valid_to``), ``body`` reports to ``reports_to``."""

    body = ParentalKey(GoverningBody, on_delete=models.CASCADE, related_name="reporting_lines")
    reports_to = models.ForeignKey(
        GoverningBody, verbose_name=_("reports to"), on_delete=models.PROTECT, related_name="subordinate_lines"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Leave empty while it applies."))

    panels = [FieldPanel("reports_to"), FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")])]

    class Meta:
        verbose_name = _("reporting line")
        verbose_name_plural = _("reporting lines")
        ordering = ["valid_from"]

    def __str__(self):
        return f"{self.body} → {self.reports_to} ({self.valid_from:%d.%m.%Y}–)"

    def clean(self):
        super().clean()
        if self.body_id and self.reports_to_id == self.body_id:
            raise ValidationError({"reports_to": _("A body cannot report to itself.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
