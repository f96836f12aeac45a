"""Governance's kinds on the search page (/sok/, through faggruppe_pages' SEARCH_SOURCES_HOOK): mandates, meetings,
measures and proposals, only as readers may read them, grouped under their headings, linked, marked; the index
follows agenda items and published minutes; the query count does not grow with the hits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.reader import search as engine
from governance.models import (
    AgendaItem,
    Mandate,
    MandateScope,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
)
from tests.factories import FaggruppePageFactory, UserFactory, make_index

pytestmark = pytest.mark.django_db

SEARCH = "/sok/"


@pytest.fixture
def teknisk(db):
    index = make_index()
    return FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")


@pytest.fixture
def leser(client):
    client.force_login(UserFactory(username="leser"))
    return client


def found(query, key):
    for group in engine.search(query, None):
        if group.source.key == key:
            return [str(h["title"]).replace("<mark>", "").replace("</mark>", "") for h in group.hits]
    return []


def meeting(group, *, sent=True, items=(), **fields):
    obj = Meeting.objects.create(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(days=10),
        notice_sent_at=timezone.now() if sent else None,
        **fields,
    )
    for number, title in enumerate(items):
        AgendaItem.objects.create(meeting=obj, sort_order=number, title=title)
    return obj


# -- measures and proposals ----------------------------------------------------------------------------------------
def test_published_measures_are_found_unpublished_never(teknisk):
    Measure.objects.create(group=teknisk, title="Felles gatelysløsning", published_at=timezone.now())
    draft = Measure.objects.create(group=teknisk, title="Gatelys hemmelig utkast", description="Ikke publisert.")
    assert found("gatelys", "measures") == ["Felles gatelysløsning"]
    assert found("hemmelig", "measures") == []
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_at"])
    assert found("hemmelig", "measures") == ["Gatelys hemmelig utkast"]


def test_sent_proposals_are_found_drafts_never(teknisk):
    Proposal.objects.create(group=teknisk, title="Felles kartløsning", text="Et kart.", status=ProposalStatus.SENT)
    Proposal.objects.create(group=teknisk, title="Kartutkast", text="Et hemmelig forslag.", status=ProposalStatus.DRAFT)
    assert found("kart", "proposals") == ["Felles kartløsning"]
    assert found("hemmelig", "proposals") == []


def test_work_of_an_unpublished_group_is_never_found(teknisk):
    Measure.objects.create(group=teknisk, title="Brøyteplan", published_at=timezone.now())
    Proposal.objects.create(group=teknisk, title="Brøyteforslag", text="x", status=ProposalStatus.SENT)
    meeting(teknisk, items=["Brøyting"])
    teknisk.unpublish()
    for key in ("measures", "proposals", "meetings"):
        assert found("brøyt", key) == []


# -- meetings --------------------------------------------------------------------------------------------------------
def test_meetings_are_found_by_agenda_item_once_the_notice_is_sent(teknisk):
    meeting(teknisk, items=["Budsjett for vegvedlikehold"])
    meeting(teknisk, sent=False, items=["Budsjett som ingen har fått innkalling til"])
    assert found("vegvedlikehold", "meetings") == ["Møte i Teknisk"]
    assert found("innkalling", "meetings") == []


def test_an_agenda_item_added_later_reindexes_its_meeting(teknisk):
    obj = meeting(teknisk, items=["Første sak"])
    AgendaItem.objects.create(meeting=obj, sort_order=5, title="Snøbrøyting i sentrum")
    assert found("snøbrøyting", "meetings") == ["Møte i Teknisk"]
    AgendaItem.objects.get(title="Snøbrøyting i sentrum").delete()
    assert found("snøbrøyting", "meetings") == []


def test_minutes_are_found_only_once_published(teknisk):
    obj = meeting(teknisk, items=["Gatelys"], minutes_text="Hemmelig referatnotat om veisalt.")
    item = obj.agenda_items.get()
    item.decision = "Vedtatt: asfaltering prioriteres."
    item.save()
    assert found("veisalt", "meetings") == []
    assert found("asfaltering", "meetings") == []
    obj.minutes_status = MinutesStatus.PUBLISHED
    obj.save(update_fields=["minutes_status", "updated_at"])
    assert found("veisalt", "meetings") == ["Møte i Teknisk"]
    assert found("asfaltering", "meetings") == ["Møte i Teknisk"]


# -- mandates ------------------------------------------------------------------------------------------------------
def test_approved_mandates_are_found_drafts_and_future_versions_never(teknisk):
    today = timezone.localdate()
    Mandate.objects.create(
        title="Mandat for faggruppene", version="2019", valid_from=today.replace(year=2019), live=True
    )
    Mandate.objects.create(title="Mandatutkast hemmelig", version="3", valid_from=today, live=False)
    Mandate.objects.create(
        title="Mandat framtidig", version="4", valid_from=today + datetime.timedelta(days=30), live=True
    )
    Mandate.objects.create(
        title="Mandat for Teknisk", version="1", scope=MandateScope.GROUP, group=teknisk, valid_from=today, live=True
    )
    assert sorted(found("mandat", "mandates")) == ["Mandat for Teknisk (1)", "Mandat for faggruppene (2019)"]
    assert found("hemmelig", "mandates") == []
    assert found("framtidig", "mandates") == []


def test_a_mandate_hit_links_to_the_page_that_shows_it(leser, teknisk):
    today = timezone.localdate()
    Mandate.objects.create(
        title="Mandat for Teknisk", version="1", scope=MandateScope.GROUP, group=teknisk, valid_from=today, live=True
    )
    html = leser.get(SEARCH, {"q": "mandat"}).content.decode()
    assert '<h2 id="hits-mandates">Mandater</h2>' in html
    if not hasattr(Mandate, "get_absolute_url"):
        assert f'href="{teknisk.url}#mandate-heading"><mark>Mandat</mark> for Teknisk (1)</a>' in html


# -- the page: headings in order, links, counts -----------------------------------------------------------------
def test_governance_kinds_come_after_groups_in_their_order(leser, teknisk):
    Measure.objects.create(group=teknisk, title="Veglys tiltak", published_at=timezone.now())
    Proposal.objects.create(group=teknisk, title="Veglys forslag", text="x", status=ProposalStatus.SENT)
    obj = meeting(teknisk, items=["Veglys sak"])
    Mandate.objects.create(title="Veglysmandat", version="1", valid_from=timezone.localdate(), live=True)
    FaggruppePageFactory(parent=teknisk.get_parent(), title="Veglysgruppen", slug="veglys")
    html = leser.get(SEARCH, {"q": "veglys"}).content.decode()
    headings = ["Grupper", "Mandater", "Møter", "Tiltak", "Forslag"]
    positions = [html.index(f">{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    assert f'href="/moter/{obj.pk}/"' in html
    assert f'href="/tiltak/{Measure.objects.get().pk}/"' in html
    assert f'href="/forslag/{Proposal.objects.get().pk}/"' in html


def test_query_count_is_constant_in_the_number_of_governance_hits(leser, teknisk):
    def add(n, start):
        for i in range(start, start + n):
            Measure.objects.create(group=teknisk, title=f"Tellertiltak {i}", published_at=timezone.now())
            Proposal.objects.create(group=teknisk, title=f"Tellerforslag {i}", text="x", status=ProposalStatus.SENT)
            meeting(teknisk, items=[f"Tellersak {i}", f"Tellersak {i}b"])
            Mandate.objects.create(
                title=f"Tellermandat {i}", version=str(i), valid_from=timezone.localdate(), live=True
            )

    add(2, 0)
    leser.get(SEARCH, {"q": "teller"})
    with CaptureQueriesContext(connection) as few:
        leser.get(SEARCH, {"q": "teller"})
    add(8, 2)
    with CaptureQueriesContext(connection) as many:
        leser.get(SEARCH, {"q": "teller"})
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(found("teller", "measures")) == 10
