"""The site's accessibility statement (tilgjengelighetserklæring), edited by staff as a Wagtail site setting.

Norwegian public bodies must publish one for their web solutions, intranets included (forskrift om
universell utforming av IKT-løsninger: WCAG 2.1 AA). Every part may be left empty: the statement page
(faggruppe_pages/reader/statement.py) then shows a built-in text in the reader's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from faggruppe_pages.wiring import ClassByName

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class Conformance(models.TextChoices):
    FULL = "full", _("Meets every requirement")
    PARTIAL = "partial", _("Meets the requirements partially")
    NONE = "none", _("Does not meet the requirements")


@register_setting(icon="doc-full")
class AccessibilityStatement(BaseSiteSetting):
    responsible = models.CharField(
        _("responsible body"),
        max_length=200,
        blank=True,
        help_text=_("Who is responsible for the intranet. Empty: the cooperation's name."),
    )
    conformance = models.CharField(
        _("conformance with WCAG 2.1 AA"), max_length=10, choices=Conformance.choices, default=Conformance.PARTIAL
    )
    scope = RichTextField(
        _("what the statement covers"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Empty: the built-in text (the reader pages, the downloads and the administration)."),
    )
    deviations = RichTextField(
        _("known deviations"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What does not meet the requirements, why, and when it will be fixed. Empty: the built-in list."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Where readers report a problem. Empty: the site's sender address."),
    )
    feedback = RichTextField(
        _("how to report a problem"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Anything to add to the contact e-mail, such as a phone number or a reply time."),
    )
    made_on = models.DateField(_("statement made on"), null=True, blank=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    # Rich text that cannot be read, and a save over someone else's, are form errors (faggruppe_pages/admin/forms.py).
    base_form_class = ClassByName("faggruppe_pages.admin.forms.SafeAdminModelForm")

    panels = [
        FieldPanel("responsible"),
        FieldPanel("conformance"),
        FieldPanel("scope"),
        FieldPanel("deviations"),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("feedback")], heading=_("Reporting a problem")),
        MultiFieldPanel([FieldPanel("made_on"), FieldPanel("reviewed_on")], heading=_("Dates")),
    ]

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
