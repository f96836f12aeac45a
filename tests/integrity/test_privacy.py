"""Personal data has a lifetime: former members' contact details fade from readers, then the person is anonymised."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from faggruppe_pages.models import Membership, Person
from faggruppe_pages.upkeep.privacy import ANONYMOUS_NAME
from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def page(index_page, molde):
    return FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")


def former(page, molde, ended, **person):
    p = PersonFactory(employer=molde, email="kari@molde.kommune.no", phone="71234567", show_phone=True, **person)
    MembershipFactory(group=page, person=p, represents=molde, start_date=datetime.date(2015, 1, 1), end_date=ended)
    return p


@pytest.mark.parametrize("ended_days_ago, shown", [(400, False), (100, True)])
def test_a_former_members_contact_details_are_hidden_from_readers_after_the_retention_time(
    reader_client, page, molde, settings, ended_days_ago, shown
):
    settings.FAGGRUPPE_CONTACT_RETENTION_DAYS = 365
    kari = former(page, molde, days_ago(ended_days_ago), name="Kari Tidligere")
    html = reader_client.get(page.url).content.decode()
    assert "Kari Tidligere" in html, "the name stays as history"
    assert ("kari@molde.kommune.no" in html) is shown
    assert ("71 23 45 67" in html) is shown
    # Her contact card stays available (she sat in the group), with the contact details only while they show.
    card = reader_client.get(f"{page.url}person/{kari.pk}/vcard/")
    assert card.status_code == 200 and b"FN:Kari Tidligere" in card.content
    assert (b"kari@molde.kommune.no" in card.content) is shown
    assert (b"71 23 45 67" in card.content or b"71234567" in card.content) is shown


def test_a_current_seat_elsewhere_keeps_the_contact_details_visible(reader_client, page, molde, index_page):
    kari = former(page, molde, days_ago(800), name="Kari Aktiv")
    other = FaggruppePageFactory(parent=index_page, title="Økonomi", slug="okonomi")
    MembershipFactory(group=other, person=kari, represents=molde)
    assert "kari@molde.kommune.no" in reader_client.get(page.url).content.decode()


def test_the_retention_time_comes_from_the_settings(reader_client, page, molde, settings):
    former(page, molde, days_ago(100), name="Kari Kort")
    settings.FAGGRUPPE_CONTACT_RETENTION_DAYS = 30
    assert "kari@molde.kommune.no" not in reader_client.get(page.url).content.decode()


# -- anonymising ---------------------------------------------------------------------------------------------


def test_purge_anonymises_people_past_the_retention_years_with_their_revisions_and_log(page, molde, capsys):
    old = former(page, molde, days_ago(6 * 366), name="Ola Gammel")
    old.save_revision()
    membership = Membership.objects.get(person=old)
    membership.save_revision()
    recent = former(page, molde, days_ago(2 * 365), name="Per Nyere")
    with_account = former(page, molde, days_ago(6 * 366), name="Siri Konto", user=UserFactory(is_active=True))

    call_command("purge_personal_data", "--dry-run")
    assert Person.objects.get(pk=old.pk).name == "Ola Gammel", "a dry run changes nothing"
    assert f"nr. {old.pk}" in capsys.readouterr().out

    call_command("purge_personal_data")
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.job_title) == (ANONYMOUS_NAME, "", "", "")
    assert old.anonymised_at is not None
    assert Person.objects.get(pk=recent.pk).name == "Per Nyere"
    assert Person.objects.get(pk=with_account.pk).name == "Siri Konto", "never while the account is active"
    # Nothing of the old name is left in revisions or log labels.
    person_revisions = Revision.objects.filter(object_id=str(old.pk), base_content_type__model="person")
    assert person_revisions and not any("Ola" in str(r.content) or "Ola" in r.object_str for r in person_revisions)
    # The seat's revisions stay (history), without his name in their labels.
    membership_revisions = Revision.objects.filter(object_id=str(membership.pk), base_content_type__model="membership")
    assert membership_revisions and not any("Ola" in r.object_str for r in membership_revisions)
    assert not ModelLogEntry.objects.filter(label__contains="Ola").exists()
    assert ModelLogEntry.objects.filter(object_id=str(old.pk), action="faggruppe_pages.anonymise").count() == 1
    # The seat stays as history, with role and term.
    assert Membership.objects.get(pk=membership.pk).end_date == days_ago(6 * 366)

    call_command("purge_personal_data")
    assert ModelLogEntry.objects.filter(object_id=str(old.pk), action="faggruppe_pages.anonymise").count() == 1


def test_an_inactive_account_no_longer_protects_the_person(page, molde):
    person = former(page, molde, days_ago(6 * 366), name="Kjell Slutta", user=UserFactory(is_active=False))
    call_command("purge_personal_data")
    person.refresh_from_db()
    assert person.name == ANONYMOUS_NAME and person.user is None


def test_hiding_contact_details_costs_the_same_queries_for_2_or_12_former_members(reader_client, page, molde):
    """Decided for the whole list at once (privacy.mark_memberships), not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(former_members):
        for n in range(former_members):
            former(page, molde, days_ago(400 + n), name=f"Tidligere {n}")
        reader_client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            html = reader_client.get(page.url).content.decode()
        assert "kari@molde.kommune.no" not in html
        return len(queries)

    assert count(2) == count(10)
