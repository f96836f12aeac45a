"""Proposals and input from a group to the body it reports to (mandate tasks 1–2), and their outcome.

The body is the one the group reports to on the day the proposal is sent (the mandate in force names
it; its dated reporting lines say who is above). Readers see a proposal once it has been sent
(``for_readers``); drafts stay with the group.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from faggruppe_pages.fastload import FastLoadMixin
from faggruppe_pages.wiring import ClassByName
from governance.models.bodies import GoverningBody


class ProposalKind(models.TextChoices):
    SYSTEM = "system", _("System")
    SHARED_SOLUTION = "shared_solution", _("Shared solution")  # fellesløsning
    DIGITALISATION = "digitalisation", _("Digitalisation initiative")
    ORGANISATION = "organisation", _("Organisation")
    COMPETENCE = "competence", _("Competence development")
    STRATEGY = "strategy", _("Input to the strategy and action programme")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    IN_CONSIDERATION = "in_consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    # In context: Wagtail's catalogue (which outranks ours) says "Avvist" for a rejected workflow task.
    REJECTED = "rejected", pgettext_lazy("proposal status", "Rejected")
    POSTPONED = "postponed", _("Postponed")


#: States the body decides (staff record them with the decision's case number and date).
DECIDED = (ProposalStatus.ADOPTED, ProposalStatus.REJECTED, ProposalStatus.POSTPONED)


class ProposalQuerySet(models.QuerySet):
    def for_readers(self):
        return self.filter(group__live=True).exclude(status=ProposalStatus.DRAFT)


class Proposal(FastLoadMixin, RevisionMixin, index.Indexed, ClusterableModel):
    base_form_class = ClassByName("governance.admin.forms.GroupWorkForm")

    group = models.ForeignKey(
        "faggruppe_pages.GroupPage", verbose_name=_("from group"), on_delete=models.PROTECT, related_name="proposals"
    )
    to_body = models.ForeignKey(
        GoverningBody,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("Set when it is sent: the body the group reports to on that day."),
        editable=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ProposalKind.choices, default=ProposalKind.SYSTEM)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    submitted_on = models.DateField(_("sent on"), null=True, blank=True, editable=False)
    decision_case_number = models.CharField(_("decision's case number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("the decision"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    # Search (governance/reader/search.py): readers find proposals once they are sent, of published groups only.
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("text"),
        index.SearchField("decision_note"),
        index.RelatedFields("group", [index.FilterField("live")]),
        index.FilterField("id"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_on", "-created_at"]

    def __str__(self):
        return self.title


class ProposalAttachment(Orderable):
    proposal = ParentalKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="forslag/%Y/")

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title
