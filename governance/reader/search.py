"""Governance's kinds of search hits (faggruppe_pages' ``SEARCH_SOURCES_HOOK``): mandates, meetings, measures and
proposals, each only as readers may read it (approved mandates valid today or earlier; ``for_readers()`` of the
others, the minutes only once published: ``Meeting.search_minutes``)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.search import index

from faggruppe_pages.models import FaggruppeIndexPage
from faggruppe_pages.reader.search import Hit, SearchSource, stream_text
from governance.models import AgendaItem, Mandate, MandateScope, Measure, Meeting, Proposal
from governance.reader.meetings import kind_label, when_text


# -- mandates -----------------------------------------------------------------------------------------------------
def readable_mandates():
    """Approved versions in force today or earlier (superseded ones are earlier versions readers may read)."""
    return Mandate.objects.approved().filter(valid_from__lte=timezone.localdate())


def load_mandates(ids, context):
    mandates = (
        Mandate.objects.filter(pk__in=ids).select_related("approved_by", "group").with_status(timezone.localdate())
    )
    return {mandate.pk: mandate for mandate in mandates}


def mandate_url(mandate, context):
    """The mandate's own page once it exists (``get_absolute_url``); else the page that shows it: the group's for a
    group's own mandate, the overview page for the mandate of every group of a kind."""
    get_url = getattr(mandate, "get_absolute_url", None)
    if callable(get_url):
        return get_url()
    if mandate.scope == MandateScope.GROUP and mandate.group_id:
        page = mandate.group if mandate.group.live else None
    else:
        page = context.once("overview", lambda: FaggruppeIndexPage.objects.live().first())
    return page.get_url(context.request) + "#mandate-heading" if page is not None else ""


def mandate_hit(mandate, context):
    meta = [str(mandate.status_label), mandate.approval_stamp]
    if mandate.scope == MandateScope.GROUP and mandate.group_id:
        meta.insert(0, mandate.group.title)
    return Hit(
        title=str(mandate),
        url=mandate_url(mandate, context),
        meta=" · ".join(part for part in meta if part),
        texts=(stream_text(mandate, "text"), mandate.changes),
    )


# -- meetings -----------------------------------------------------------------------------------------------------
def readable_meetings():
    return Meeting.objects.for_readers()


def load_meetings(ids, context):
    items = AgendaItem.objects.order_by("sort_order", "sequence", "pk")
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("group")
        .prefetch_related(Prefetch("agenda_items", queryset=items, to_attr="search_items"))
    )
    return {meeting.pk: meeting for meeting in meetings}


def meeting_hit(meeting, context):
    titles = "; ".join(f"{item.case_number} {item.title}".strip() for item in meeting.search_items)
    texts = [titles, meeting.place, meeting.notice]
    if meeting.minutes_published:
        texts += [meeting.minutes_text, *(item.decision for item in meeting.search_items)]
    return Hit(
        title=_("%(kind)s in %(group)s") % {"kind": kind_label(meeting), "group": meeting.group.title},
        url=reverse("governance_meeting", args=[meeting.pk]),
        meta=when_text(meeting),
        texts=tuple(texts),
    )


# -- measures and proposals -----------------------------------------------------------------------------------------
def readable_measures():
    return Measure.objects.for_readers()


def load_measures(ids, context):
    return Measure.objects.select_related("group").in_bulk(ids)


def measure_hit(measure, context):
    return Hit(
        title=measure.title,
        url=reverse("governance_measure", args=[measure.pk]),
        meta=f"{measure.group.title} · {measure.get_kind_display()}",
        texts=(measure.description,),
    )


def readable_proposals():
    return Proposal.objects.for_readers()


def load_proposals(ids, context):
    return Proposal.objects.select_related("group").in_bulk(ids)


def proposal_hit(proposal, context):
    return Hit(
        title=proposal.title,
        url=reverse("governance_proposal", args=[proposal.pk]),
        meta=f"{proposal.group.title} · {proposal.get_status_display()}",
        texts=(proposal.text, proposal.decision_note),
    )


def agenda_item_reindex_meeting(sender, instance, raw=False, **kwargs):
    """The index entry of a meeting holds its agenda items' titles: an item saved or deleted reindexes it."""
    if raw or not instance.meeting_id:
        return
    meeting = Meeting.objects.filter(pk=instance.meeting_id).first()
    if meeting is not None:
        index.insert_or_update_object(meeting)


def search_sources():
    """The kinds governance adds to the search page, after faggruppe_pages' groups, people and organisations."""
    return (
        SearchSource("mandates", gettext_lazy("Mandates"), 40, readable_mandates, load_mandates, mandate_hit),
        SearchSource("meetings", gettext_lazy("Meetings"), 50, readable_meetings, load_meetings, meeting_hit),
        SearchSource("measures", gettext_lazy("Measures"), 60, readable_measures, load_measures, measure_hit),
        SearchSource("proposals", gettext_lazy("Proposals"), 70, readable_proposals, load_proposals, proposal_hit),
    )
