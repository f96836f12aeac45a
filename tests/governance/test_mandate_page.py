"""/mandater/<pk>/: an approved mandate version in full, with its stamp, rules and every version with its period."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faggruppe_pages.models import ArbeidsgruppePage
from governance.models import GoverningBody, Mandate
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def leser(client, demo):
    client.force_login(get_user_model().objects.get(username="leser"))
    return client


def publish(mandate, body="Samarbeidsrådet", on=datetime.date(2020, 12, 10), case="SR 7/20"):
    """Approve a version with its stamp (Mandate.publish refuses one without)."""
    mandate.approved_by = GoverningBody.objects.get(name=body)
    mandate.approved_on = on
    mandate.case_number = case
    mandate.save()
    staff = get_user_model().objects.get(username="redaksjon")
    mandate.save_revision(user=staff).publish(user=staff)
    mandate.refresh_from_db()
    return mandate


def page(client, mandate):
    response = client.get(f"/mandater/{mandate.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_mandate_page_shows_the_whole_text_stamp_rules_and_its_version(leser):
    mandate = Mandate.objects.get(version="2019")
    body = page(leser, mandate)
    assert "<h1>Mandat for faggruppene</h1>" in body
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in body
    assert "Kommunens representant har ansvar for å sørge for koordinering" in body  # deep in the text
    assert "Gi faglige innspill til Bestillerutvalget" in body  # a task
    assert "Representanter per kommune" in body and "Regler som sjekkes mot medlemslisten" in body
    assert "2019 (gjeldende)" in body
    assert "13.02.2019–" in body and "(denne siden)" in body


def test_mandate_page_lists_earlier_versions_with_their_periods_each_readable(leser):
    old = Mandate.objects.get(version="2019")
    new = publish(Mandate.objects.get(version="Porteføljerådet"))
    body = page(leser, new)
    assert "Faggruppene er underlagt Porteføljerådet" in body
    assert "Godkjent av Samarbeidsrådet 10.12.2020 – sak SR 7/20" in body
    assert "Representanter per kommune: nøyaktig 1 → minst 1" in body  # what this version changed
    # The earlier version with its period (until the day before the new one), linked.
    assert f'<a href="/mandater/{old.pk}/">2019</a>' in body
    assert "13.02.2019–31.12.2020" in body
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in body
    earlier = page(leser, old)
    assert "Denne versjonen gjelder ikke lenger." in earlier
    assert f'href="/mandater/{new.pk}/"' in earlier
    assert "Faggruppene er underlagt Bestillerutvalget" in earlier
    assert "2019 (erstattet)" in earlier


def test_a_draft_is_never_a_mandate_page_not_even_for_staff(client, demo):
    draft = Mandate.objects.get(version="Porteføljerådet")
    for username in ("leser", "redaksjon"):
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get(f"/mandater/{draft.pk}/").status_code == 404
    assert client.get("/mandater/999999/").status_code == 404


def test_an_approved_version_not_yet_in_force_says_when_it_comes(leser):
    coming = Mandate.objects.get(version="Porteføljerådet")
    coming.valid_from = datetime.date.today() + datetime.timedelta(days=30)
    coming.save()
    coming = publish(coming)
    body = page(leser, coming)
    assert "Denne versjonen er vedtatt og gjelder fra" in body
    assert f'href="/mandater/{Mandate.objects.get(version="2019").pk}/"' in body  # the version in force


def test_a_group_mandate_page_leads_back_to_its_group(leser):
    group = ArbeidsgruppePage.objects.get(slug="skoleadministrativt-system")
    mandate = Mandate.objects.get(group=group)
    body = page(leser, mandate)
    assert 'href="/faggrupper/oppvekst-og-utdanning/skoleadministrativt-system/"' in body
    assert "Kartlegge behov i skolene og kulturskolene" in body


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    response = client.get(f"/mandater/{Mandate.objects.get(version='2019').pk}/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_mandate_page_query_count_does_not_grow_with_versions(leser):
    old = Mandate.objects.get(version="2019")
    page(leser, old)
    with CaptureQueriesContext(connection) as few:
        page(leser, old)
    for year in range(2021, 2026):
        version = Mandate.objects.create(
            title=old.title, version=str(year), scope=old.scope, valid_from=datetime.date(year, 1, 1), live=False
        )
        publish(version, case=f"SR {year - 2000}/{year - 2000}")
    with CaptureQueriesContext(connection) as many:
        body = page(leser, old)
    assert body.count('href="/mandater/') >= 6
    assert len(few) == len(many)
