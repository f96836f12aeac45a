"""The mandate's edit form layout (Wagtail panels): version, text, approval, and the rules checked against lists."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

MANDATE_PANELS = [
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("version")]),
            FieldRowPanel([FieldPanel("scope"), FieldPanel("group")]),
            FieldPanel("valid_from"),
            FieldPanel("reports_to"),
        ],
        heading=_("Version"),
    ),
    FieldPanel("text"),
    FieldPanel("changes"),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("approved_by"), FieldPanel("approved_on"), FieldPanel("case_number")]),
        ],
        heading=_("Approval"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("min_reps_per_municipality"), FieldPanel("max_reps_per_municipality")]),
            FieldPanel("cooperation_seat_required"),
            FieldRowPanel([FieldPanel("union_seats_min"), FieldPanel("union_seats_max")]),
            FieldRowPanel([FieldPanel("leader_required"), FieldPanel("leader_eligibility")]),
            FieldRowPanel([FieldPanel("meetings_per_year_min"), FieldPanel("meetings_per_year_max")]),
            FieldPanel("urgent_matters_between_meetings"),
            FieldPanel("review_interval_days"),
            FieldPanel("status_report_interval_days"),
            FieldPanel("benefits_followed_up"),
        ],
        heading=_("Rules the group is checked against"),
    ),
]
