"""A group's meetings: notice, agenda items ("saker") numbered in the case-number format, attendance and minutes.

The minutes go draft → sent for approval (to the members, with a deadline) → approved → published;
readers see a meeting once its notice has been sent, and its minutes once they are published
(``MeetingQuerySet``). Who may plan, approve and publish is governance.permissions' business; this
module holds the data and the states only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.wiring import ClassByName


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    # R13 (later mandates): urgent matters may be handled between meetings, by e-mail. Not a meeting held.
    URGENT = "urgent", _("Urgent matter handled by e-mail")


#: The kinds that count as meetings held (R13).
HELD_KINDS = (MeetingKind.ORDINARY, MeetingKind.EXTRAORDINARY)


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class ItemKind(models.TextChoices):
    DECISION = "decision", _("Decision item")  # vedtakssak
    INFORMATION = "information", _("Information item")  # orienteringssak
    OTHER = "other", _("Any other business")  # eventuelt


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")  # forfall
    SUBSTITUTE = "substitute", _("Substitute")  # pva: attends on behalf of someone


class MeetingQuerySet(models.QuerySet):
    def for_readers(self):
        """Meetings readers may see: of a published group, with the notice sent."""
        return self.filter(group__live=True, notice_sent_at__isnull=False)

    def with_published_minutes(self):
        return self.for_readers().filter(minutes_status=MinutesStatus.PUBLISHED)

    def held(self):
        """Meetings that count for R13 (ordinary and extraordinary), whatever their minutes' state."""
        return self.filter(kind__in=HELD_KINDS)

    def held_between(self, first, last):
        return self.held().filter(starts_at__date__gte=first, starts_at__date__lte=last)


class Meeting(FastLoadMixin, RevisionMixin, index.Indexed, ClusterableModel):
    base_form_class = ClassByName("governance.admin.forms.GroupWorkForm")

    group = models.ForeignKey(
        "faggruppe_pages.GroupPage", verbose_name=_("group"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.ORDINARY)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True, help_text=_("E.g. a Teams link."))
    notice = models.TextField(_("notice"), blank=True, help_text=_("The notice's text (innkalling)."))
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True, editable=False)

    chair = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("minute-taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_text = models.TextField(_("other notes in the minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT, editable=False
    )
    approval_deadline = models.DateField(
        _("comments on the minutes by"), null=True, blank=True, help_text=_("When the minutes are sent for approval.")
    )
    minutes_sent_at = models.DateTimeField(_("minutes sent for approval"), null=True, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    # Search (governance/reader/search.py): the place, the notice and the agenda items' titles; the minutes only
    # once they are published (``search_minutes``). Readers find meetings ``for_readers`` only. An agenda item's
    # save reindexes its meeting (governance/apps.py), as the items are saved after the meeting.
    search_fields = [
        index.SearchField("place"),
        index.SearchField("notice"),
        index.RelatedFields("agenda_items", [index.SearchField("title"), index.AutocompleteField("title")]),
        index.SearchField("search_minutes"),
        index.RelatedFields("group", [index.FilterField("live")]),
        index.FilterField("id"),
        index.FilterField("notice_sent_at"),
        index.FilterField("minutes_status"),
    ]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self):
        when = timezone.localtime(self.starts_at).strftime("%d.%m.%Y") if self.starts_at else ""
        return f"{self.group.title if self.group_id else ''} {when}".strip()

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})

    @property
    def time_label(self):
        """ "16.11.2026 13.00–15.00" (the admin listing; the reader pages say it in words)."""
        start = timezone.localtime(self.starts_at)
        text = start.strftime("%d.%m.%Y %H.%M")
        if self.ends_at:
            text += "–" + timezone.localtime(self.ends_at).strftime("%H.%M")
        return text

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def is_held(self):
        return self.kind in HELD_KINDS

    @property
    def minutes_published(self):
        return self.minutes_status == MinutesStatus.PUBLISHED

    def search_minutes(self):
        """The minutes' text and decisions, for the search index: nothing until the minutes are published."""
        if not self.minutes_published:
            return ""
        return "\n".join([self.minutes_text, *(item.decision for item in self.agenda_items.all())]).strip()


def case_number_format():
    return getattr(settings, "GOVERNANCE_CASE_NUMBER_FORMAT", "{number}/{yy}")


def format_case_number(number, year):
    """``3, 2026`` -> "3/26" (``GOVERNANCE_CASE_NUMBER_FORMAT``: also "{number}-{yy}", "{number:03d}/{yy}" …)."""
    return case_number_format().format(number=number, yy=f"{year % 100:02d}", year=year)


class AgendaItem(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    #: The case's running number within the group and year ("3" in "3/26"): numbered once, never renumbered.
    sequence = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.DECISION)
    description = models.TextField(_("background"), blank=True)
    decision = models.TextField(_("decision"), blank=True, help_text=_("Filled in after the meeting."))

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.case_number} {self.title}".strip()

    @property
    def case_number(self):
        if self.sequence is None or self.year is None:
            return ""
        return format_case_number(self.sequence, self.year)

    def save(self, *args, **kwargs):
        if self.sequence is None and self.meeting_id:
            year = timezone.localtime(self.meeting.starts_at).year
            highest = AgendaItem.objects.filter(meeting__group_id=self.meeting.group_id, year=year).aggregate(
                n=Max("sequence")
            )["n"]
            self.year, self.sequence = year, (highest or 0) + 1
        super().save(*args, **kwargs)


class Attendance(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "faggruppe_pages.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    on_behalf_of = models.ForeignKey(
        "faggruppe_pages.Person",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a substitute: whom they attend for (pva)."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def clean(self):
        super().clean()
        if self.status == AttendanceStatus.SUBSTITUTE and not self.on_behalf_of_id:
            raise ValidationError({"on_behalf_of": _("Say whom the substitute attends for.")})
        if self.status != AttendanceStatus.SUBSTITUTE and self.on_behalf_of_id:
            raise ValidationError({"on_behalf_of": _("Only a substitute attends on behalf of someone.")})
