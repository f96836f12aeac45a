"""The admin start page's "Gruppenes arbeid": each user sees what their own groups must do next, nothing of others."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import FaggruppePage
from governance.admin.work_panel import group_work
from governance.models import Meeting, MinutesStatus
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo()


def user(name):
    return get_user_model().objects.get(username=name)


def panel(client, name):
    client.force_login(user(name))
    page = client.get("/admin/").content.decode()
    start = page.find("data-group-work-panel")
    return page[start : page.find("</section>", start)] if start >= 0 else ""


def test_each_user_sees_their_own_groups_work(demo, client):
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    sent = Meeting.objects.get(group=teknisk, minutes_status=MinutesStatus.SENT)
    when = timezone.localtime(sent.starts_at).strftime("%d.%m.%Y")

    leader = panel(client, "leder-teknisk")
    assert "Gruppenes arbeid" in leader and "Teknisk" in leader
    assert f"Referatet fra {when} venter på din godkjenning" in leader
    assert f"/admin/gruppearbeid/moter/edit/{sent.pk}/" in leader
    assert "Neste møte:" in leader
    # The benefit past its target date without a realisation (the demo's, in Teknisk).
    assert "Gevinsten «Lavere lisenskostnader for kartverktøy» har passert måldatoen" in leader

    secretary = panel(client, "sekretaer")
    assert "Neste møte:" in secretary
    assert "venter på din godkjenning" not in secretary  # approving is the leader's

    molde = panel(client, "rep-molde")  # sits in Oppvekst og utdanning, not in Teknisk
    assert "Oppvekst og utdanning" in molde and "Teknisk" not in molde

    staff = panel(client, "redaksjon")
    assert "9 referater venter på godkjenning eller publisering" in staff  # the latest of each faggruppe
    assert "forslag venter på behandling i organet" in staff

    assert panel(client, "rep-fagforbundet") == ""  # no group of their own, not staff


def test_a_meeting_held_without_minutes_is_the_officers_work(demo, client):
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    held = timezone.now() - datetime.timedelta(days=2)
    Meeting.objects.create(group=teknisk, starts_at=held, notice_sent_at=held)
    when = timezone.localtime(held).strftime("%d.%m.%Y")
    assert f"Referatet fra {when} skal skrives og sendes til godkjenning" in panel(client, "sekretaer")
    assert "skal skrives" not in panel(client, "rep-molde")


def test_the_panel_runs_a_fixed_number_of_queries(demo):
    leader = user("leder-teknisk")
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    with CaptureQueriesContext(connection) as small:
        group_work(leader)
    for days in range(1, 12):
        start = timezone.now() + datetime.timedelta(days=days)
        Meeting.objects.create(group=teknisk, starts_at=start)
        Meeting.objects.create(group=teknisk, starts_at=start - datetime.timedelta(days=40), notice_sent_at=start)
    leader = user("leder-teknisk")  # a fresh object: the memberships are cached per user object
    with CaptureQueriesContext(connection) as large:
        group_work(leader)
    assert len(small) == len(large)


def test_plan_a_meeting_preselects_the_group_only_where_the_user_may_choose_it(demo, client):
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    other = FaggruppePage.objects.get(slug="okonomi")
    client.force_login(user("sekretaer"))
    Meeting.objects.filter(group=teknisk, starts_at__gte=timezone.now()).delete()
    assert f"/admin/gruppearbeid/moter/add/?group={teknisk.pk}" in panel(client, "sekretaer")

    def selected(query):
        page = client.get(f"/admin/gruppearbeid/moter/add/?{query}").content.decode()
        chosen = page[page.find('name="group"') :].split("</select>")[0]
        return [
            value
            for value, title in ((teknisk.pk, "Teknisk"), (other.pk, "Økonomi"))
            if f'value="{value}" selected' in chosen
        ]

    assert selected(f"group={teknisk.pk}") == [teknisk.pk]
    assert selected(f"group={other.pk}") == []  # not her group: the query string cannot widen the choice
    form = client.get(f"/admin/gruppearbeid/moter/add/?group={other.pk}").context["form"]
    assert form.instance.group_id is None  # not even on the unsaved instance the form starts from
    assert selected("group=abc") == []
