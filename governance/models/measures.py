"""A group's measures (tiltak) with dated status reports (mandate task 7), and their benefit plans (task 5).

A benefit (gevinst) follows DFØ's and Prosjektveiviseren's guidance: what it is, its type, whether it is
priced, the indicator and how it is measured, the benefit owner (gevinstansvarlig) and a sub-owner per
municipality, a baseline (nullpunkt) and a target per municipality and in total, and realisation
records over time. Readers see a measure once it is published, and a benefit once it is approved
(``for_readers``); who may publish or approve is governance.permissions' business.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.wiring import ClassByName


class MeasureKind(models.TextChoices):
    STUDY = "study", _("Study")  # utredning
    PROCUREMENT = "procurement", _("Procurement")  # anskaffelse
    ROLLOUT = "rollout", _("Rollout project")  # innføringsprosjekt
    CITIZEN_SERVICE = "citizen_service", _("Digital citizen service")  # digital innbyggertjeneste
    COMPETENCE = "competence", _("Competence building")  # kompetansetiltak
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: A measure in one of these states needs no more status reports.
CLOSED_STATUSES = (MeasureStatus.COMPLETED, MeasureStatus.CANCELLED)


class MeasureQuerySet(models.QuerySet):
    def for_readers(self):
        return self.filter(group__live=True, published_at__isnull=False)


class Measure(FastLoadMixin, RevisionMixin, index.Indexed, ClusterableModel):
    base_form_class = ClassByName("governance.admin.forms.GroupWorkForm")

    group = models.ForeignKey(
        "faggruppe_pages.GroupPage", verbose_name=_("group"), on_delete=models.PROTECT, related_name="measures"
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=MeasureKind.choices, default=MeasureKind.STUDY)
    owner = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who leads the measure (the project leader the benefit plan informs)."),
    )
    organisations = ParentalManyToManyField(
        "faggruppe_pages.Organisation", verbose_name=_("municipalities involved"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeasureQuerySet.as_manager()

    # Search (governance/reader/search.py): readers find published measures of published groups only.
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.RelatedFields("group", [index.FilterField("live")]),
        index.FilterField("id"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["group_id", "-start_date", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_date and self.planned_end and self.planned_end < self.start_date:
            raise ValidationError({"planned_end": _("The planned end cannot be before the start.")})


class StatusReport(Orderable):
    measure = ParentalKey(Measure, on_delete=models.CASCADE, related_name="status_reports")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    progress = models.TextField(_("progress"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reported_by_name = models.CharField(_("reported by"), max_length=200, blank=True, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")


class BenefitKind(models.TextChoices):
    EFFICIENCY = "efficiency", _("Efficiency")
    QUALITY = "quality", _("Quality")
    OTHERS = "others", _("Benefit for others")


class BenefitQuerySet(models.QuerySet):
    def for_readers(self):
        return self.filter(approved_at__isnull=False, measure__in=Measure.objects.for_readers())


class Benefit(FastLoadMixin, RevisionMixin, ClusterableModel):
    """One benefit of a measure's benefit plan (gevinstplan)."""

    base_form_class = ClassByName("governance.admin.forms.GroupWorkForm")

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="benefits")
    description = models.CharField(_("benefit"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=BenefitKind.choices, default=BenefitKind.EFFICIENCY)
    priced = models.BooleanField(_("priced (in kroner)"), default=False)
    indicator = models.CharField(_("indicator"), max_length=255, blank=True)
    method = models.TextField(_("how it is measured"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("E.g. “timer per måned” or “kr”."))
    owner = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("benefit owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(_("baseline measured on"), null=True, blank=True)
    target_value = models.DecimalField(_("target in total"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BenefitQuerySet.as_manager()

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["measure_id", "pk"]

    def __str__(self):
        return self.description

    @property
    def group(self):
        return self.measure.group

    @property
    def group_id(self):
        return self.measure.group_id if self.measure_id else None


class BenefitTarget(Orderable):
    """The benefit's target for one municipality, with its sub-owner there."""

    benefit = ParentalKey(Benefit, on_delete=models.CASCADE, related_name="targets")
    organisation = models.ForeignKey(
        "faggruppe_pages.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    sub_owner = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("responsible in the municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("target per municipality")
        verbose_name_plural = _("targets per municipality")


class Realisation(Orderable):
    """A measured value of the benefit on a date, in total or for one municipality."""

    benefit = ParentalKey(Benefit, on_delete=models.CASCADE, related_name="realisations")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    organisation = models.ForeignKey(
        "faggruppe_pages.Organisation",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the total."),
    )
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=200, blank=True, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
