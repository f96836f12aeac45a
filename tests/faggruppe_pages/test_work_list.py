"""The representative's workspace: the start page says what to do, "Våre oppføringer" is a work list,
saving an entry confirms it, and dates are typed and shown as dd.mm.åååå."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from faggruppe_pages.models import Membership
from faggruppe_pages.upkeep.setup import ensure_staff_group, setup_portal
from tests.factories import (
    ArbeidsgruppePageFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db
URL = "/admin/vare-oppforinger/"
M = "/admin/snippets/faggruppe_pages/membership/"
TODAY = timezone.localdate()
LONG_AGO = timezone.now() - datetime.timedelta(days=400)
RECENTLY = timezone.now() - datetime.timedelta(days=3)


@pytest.fixture
def world(db):
    index = make_index()
    teknisk = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    okonomi = FaggruppePageFactory(parent=index, title="Økonomi", slug="okonomi")
    helse = FaggruppePageFactory(parent=index, title="Helse", slug="helse")
    innkjop = ArbeidsgruppePageFactory(parent=okonomi, title="Innkjøp", slug="innkjop")
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    rauma = OrganisationFactory(slug="rauma", name="Rauma kommune", short_name="Rauma")
    for org in (molde, rauma):
        org.refresh_from_db()
    rep = UserFactory(username="rep-molde", first_name="Mona", last_name="Moldestad")
    rep.groups.add(molde.representatives_group)
    other = UserFactory(username="rep-rauma")
    other.groups.add(rauma.representatives_group)

    def seat(group, name, org=molde, **kwargs):
        return MembershipFactory(group=group, person=PersonFactory(employer=org, name=name), represents=org, **kwargs)

    seats = {
        "overdue": seat(teknisk, "Olav Overdue", last_verified_at=LONG_AGO),
        "never": seat(okonomi, "Nina Never", last_verified_at=None),
        "ending": seat(innkjop, "Eli Ending", last_verified_at=RECENTLY, end_date=TODAY + datetime.timedelta(10)),
        "fine": seat(okonomi, "Frida Fine", last_verified_at=RECENTLY, role="vara"),
        "coming": seat(teknisk, "Kari Kommende", start_date=TODAY + datetime.timedelta(20)),
        "theirs": seat(teknisk, "Rolf Rauma", org=rauma, last_verified_at=None),
    }
    # Rauma sits in Helse and Økonomi; Molde in neither Helse (a gap) nor ... Økonomi has Nina (a member).
    seat(helse, "Rita Rauma", org=rauma, last_verified_at=RECENTLY)
    return {
        "molde": molde,
        "rauma": rauma,
        "rep": rep,
        "other": other,
        "seats": seats,
        "groups": {"teknisk": teknisk, "okonomi": okonomi, "helse": helse, "innkjop": innkjop},
    }


def row_of(body, name):
    match = re.search(r"<tr data-entry=[^>]*>(?:(?!</tr>).)*" + re.escape(name) + r".*?</tr>", body, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def statuses(body, name):
    return set(re.findall(r'data-status="([a-z]+)"', row_of(body, name)))


def stamp(membership):
    return Membership.objects.filter(pk=membership.pk).values_list("last_verified_at", "last_verified_by").get()


# -- "Våre oppføringer" as a work list ---------------------------------------------------------------------


def test_rows_are_marked_overdue_never_confirmed_ending_coming_or_confirmed(client, world):
    client.force_login(world["rep"])
    body = client.get(URL).content.decode()
    assert statuses(body, "Olav Overdue") == {"overdue"}
    assert statuses(body, "Nina Never") == {"never"}
    assert statuses(body, "Eli Ending") == {"ending"}
    assert statuses(body, "Frida Fine") == {"ok"}
    assert statuses(body, "Kari Kommende") == {"coming"}
    assert "Forfalt" in row_of(body, "Olav Overdue") and "Aldri bekreftet" in row_of(body, "Nina Never")
    assert "Rolf Rauma" not in body
    # Only rows that need confirming can be ticked or confirmed one by one.
    assert 'name="entry"' in row_of(body, "Olav Overdue") and 'name="entry"' in row_of(body, "Nina Never")
    assert 'name="entry"' not in row_of(body, "Frida Fine") and 'name="entry"' not in row_of(body, "Kari Kommende")
    assert "2 oppføringer må bekreftes." in body


def test_gaps_are_listed_with_a_prefilled_add_link(client, world):
    client.force_login(world["rep"])
    body = client.get(URL).content.decode()
    gaps = re.findall(r'<tr data-gap="(\d+)">', body)
    assert gaps == [str(world["groups"]["helse"].pk)]  # Teknisk and Økonomi have Molde's seats; Innkjøp expects none
    helse = world["groups"]["helse"].pk
    link = f"{M}add/?group={helse}&amp;represents={world['molde'].pk}"
    assert link in body
    form = client.get(f"{M}add/?group={helse}&represents={world['molde'].pk}").content.decode()
    assert re.search(rf'name="group"[^>]*value="{helse}"|value="{helse}"[^>]*name="group"', form)


def test_confirm_one_row(client, world):
    client.force_login(world["rep"])
    overdue, never = world["seats"]["overdue"], world["seats"]["never"]
    never_before = stamp(never)
    response = client.post(URL, {"organisation": world["molde"].pk, "entry": overdue.pk}, follow=True)
    assert "Bekreftet 1 oppføring for Molde. Takk!" in response.content.decode()
    verified_at, by = stamp(overdue)
    assert by == world["rep"].pk and timezone.now() - verified_at < datetime.timedelta(minutes=1)
    assert stamp(never) == never_before
    assert statuses(response.content.decode(), "Olav Overdue") == {"ok"}
    logged = ModelLogEntry.objects.filter(action="faggruppe_pages.verify")
    assert list(logged.values_list("object_id", flat=True)) == [str(overdue.pk)]


def test_confirm_the_selected_rows(client, world):
    client.force_login(world["rep"])
    overdue, never, ending = (world["seats"][k] for k in ("overdue", "never", "ending"))
    ending_before = stamp(ending)
    client.post(URL, {"organisation": world["molde"].pk, "entry": [overdue.pk, never.pk]})
    assert stamp(overdue)[1] == stamp(never)[1] == world["rep"].pk
    assert stamp(ending) == ending_before


def test_nothing_ticked_confirms_nothing_and_says_so(client, world):
    client.force_login(world["rep"])
    before = list(Membership.objects.values_list("pk", "last_verified_at"))
    response = client.post(URL, {"organisation": world["molde"].pk}, follow=True)
    assert "Kryss først av oppføringene du vil bekrefte." in response.content.decode()
    assert list(Membership.objects.values_list("pk", "last_verified_at")) == before


def test_forged_ids_of_another_organisations_entries_confirm_nothing(client, world):
    """rep-molde posts Rauma's entry id (and a coming one, and rubbish) to Molde's work list."""
    client.force_login(world["rep"])
    theirs, coming = world["seats"]["theirs"], world["seats"]["coming"]
    before = [stamp(theirs), stamp(coming)]
    response = client.post(
        URL, {"organisation": world["molde"].pk, "entry": [theirs.pk, coming.pk, "abc", "-1", "9" * 30]}, follow=True
    )
    assert response.status_code == 200
    assert "Ingenting ble bekreftet" in response.content.decode()
    assert [stamp(theirs), stamp(coming)] == before
    assert not ModelLogEntry.objects.filter(action="faggruppe_pages.verify").exists()
    # ... and Rauma's representative cannot post to Molde's list at all.
    client.force_login(world["other"])
    response = client.post(URL, {"organisation": world["molde"].pk, "entry": world["seats"]["overdue"].pk})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert stamp(world["seats"]["overdue"])[1] is None


def test_confirm_all_button_only_when_something_is_due(client, world):
    client.force_login(world["rep"])
    assert 'name="confirm" value="all"' in client.get(URL).content.decode()
    client.post(URL, {"organisation": world["molde"].pk, "confirm": "all"})
    body = client.get(URL).content.decode()
    assert 'name="confirm" value="all"' not in body
    assert "Ingenting må bekreftes nå." in body
    assert "data-confirm-selected" not in body


def test_filters_by_group_and_status(client, world):
    client.force_login(world["rep"])
    molde = world["molde"].pk
    body = client.get(URL, {"organisation": molde, "status": "never"}).content.decode()
    assert re.findall(r"<tr data-entry=\"(\d+)\"", body) == [str(world["seats"]["never"].pk)]
    assert "data-gap=" not in body
    body = client.get(URL, {"organisation": molde, "group": world["groups"]["teknisk"].pk}).content.decode()
    shown = set(re.findall(r"<tr data-entry=\"(\d+)\"", body))
    assert shown == {str(world["seats"]["overdue"].pk), str(world["seats"]["coming"].pk)}
    body = client.get(URL, {"organisation": molde, "status": "gap"}).content.decode()
    assert "data-entry=" not in body and f'data-gap="{world["groups"]["helse"].pk}"' in body
    # Rubbish in the filters is ignored, never a server error.
    for junk in ({"status": "<script>"}, {"group": "abc"}, {"group": "9" * 40}, {"status": ["due", "x"]}):
        assert client.get(URL, {"organisation": molde, **junk}).status_code == 200


def test_header_and_menu(client, world):
    client.force_login(world["rep"])
    body = client.get(URL).content.decode()
    assert re.search(r"<h1[^>]*>.*?Våre oppføringer", body, re.S)
    menu = client.get("/admin/").content.decode()
    assert re.search(r'"name": "our-entries".*?"icon_name": "clipboard-list"', menu.replace("&quot;", '"'), re.S) or (
        "clipboard-list" in menu
    )


# -- saving counts as confirming ---------------------------------------------------------------------------


def membership_data(m, **changes):
    data = {
        "person": m.person_id,
        "group": m.group_id,
        "represents": m.represents_id,
        "role": m.role,
        "start_date": m.start_date.strftime("%d.%m.%Y"),
        "end_date": m.end_date.strftime("%d.%m.%Y") if m.end_date else "",
        "appointed_by": "",
        "appointment_reference": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_saving_an_entry_confirms_it_and_the_history_says_so(client, world):
    client.force_login(world["rep"])
    m = world["seats"]["never"]
    assert client.post(f"{M}edit/{m.pk}/", membership_data(m, note="Ny merknad")).status_code == 302
    verified_at, by = stamp(m)
    assert by == world["rep"].pk and timezone.now() - verified_at < datetime.timedelta(minutes=1)
    history = client.get(f"{M}history/{m.pk}/").content.decode()
    assert "Lagret, og dermed bekreftet som riktig" in history
    assert statuses(client.get(URL).content.decode(), "Nina Never") == {"ok"}


def test_a_new_entry_is_confirmed_by_whoever_added_it(client, world):
    client.force_login(world["rep"])
    person = PersonFactory(employer=world["molde"], name="Ny Person")
    data = {
        "person": person.pk,
        "group": world["groups"]["helse"].pk,
        "represents": world["molde"].pk,
        "role": "medlem",
        "start_date": "01.12.2026",
        "end_date": "",
        "appointed_by": "",
        "appointment_reference": "",
        "note": "",
    }
    assert client.post(f"{M}add/", data).status_code == 302
    m = Membership.objects.get(person=person)
    assert m.start_date == datetime.date(2026, 12, 1)
    assert m.last_verified_by == world["rep"] and m.last_verified_at is not None
    assert ModelLogEntry.objects.filter(object_id=str(m.pk), action="faggruppe_pages.verify_by_saving").exists()


# -- Norwegian dates ----------------------------------------------------------------------------------------


def test_dates_are_shown_as_dd_mm_yyyy_and_the_picker_keeps_what_was_typed(client, world):
    client.force_login(world["rep"])
    m = world["seats"]["overdue"]
    form = client.get(f"{M}edit/{m.pk}/").content.decode()
    assert f'name="start_date" value="{m.start_date:%d.%m.%Y}"' in form
    assert '"format": "d.m.Y"' in form and '"validateOnBlur": false' in form


@pytest.mark.parametrize("typed", ["32.13.2026", "1.2", "i morgen", "2026-02-30", "01.12.20266"])
def test_a_date_the_field_cannot_read_gets_a_message_and_nothing_is_saved(client, world, typed):
    client.force_login(world["rep"])
    m = world["seats"]["overdue"]
    before = Membership.objects.filter(pk=m.pk).values().get()
    response = client.post(f"{M}edit/{m.pk}/", membership_data(m, end_date=typed, note="ikke lagret"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skriv datoen som dd.mm.åååå, for eksempel 01.12.2026." in body
    assert f'value="{typed}"' in body  # what was typed is kept in the form
    assert Membership.objects.filter(pk=m.pk).values().get() == before


def test_dates_typed_as_dd_mm_yyyy_work_in_every_language(client, world):
    m = world["seats"]["overdue"]
    for language in ("nb", "nn", "en"):
        client.cookies["django_language"] = language
        client.force_login(world["rep"])
        response = client.post(f"{M}edit/{m.pk}/", membership_data(m, end_date="31.12.2027"))
        assert response.status_code == 302, language
        m.refresh_from_db()
        assert m.end_date == datetime.date(2027, 12, 31)


# -- the start page -----------------------------------------------------------------------------------------


def panel(body):
    match = re.search(r"<section[^>]*data-work-panel.*?</section>", body, re.S)
    assert match, "no work panel"
    return match.group(0)


def counts(body, organisation):
    row = re.search(rf'<tr data-organisation="{organisation.pk}">.*?</tr>', panel(body), re.S).group(0)
    found = {}
    for key, cell in re.findall(r'<td data-count="([a-z]+)">(.*?)</td>', row, re.S):
        cell = re.sub(r'<span class="w-sr-only">.*?</span>', "", cell)  # the screen readers' words
        found[key] = int(re.sub(r"<[^>]+>", "", cell).strip())
    return found, row


def test_start_page_says_what_molde_must_do_with_links(client, world):
    client.force_login(world["rep"])
    body = client.get("/admin/").content.decode()
    found, row = counts(body, world["molde"])
    assert found == {"overdue": 1, "never": 1, "ending": 1, "gap": 1, "findings": 0}
    molde = world["molde"].pk
    for status in ("overdue", "never", "ending", "gap"):
        assert f"{URL}?organisation={molde}&amp;status={status}" in row
    helse = world["groups"]["helse"].pk
    assert f"{M}add/?group={helse}&amp;represents={molde}" in panel(body)
    assert f'data-organisation="{world["rauma"].pk}"' not in body
    # Wagtail's site summary ("N sider") is not a representative's business; the name is the configured one.
    assert "w-summary" not in body or "sider" not in re.search(r"w-summary.*?</ul>", body, re.S).group(0)
    assert "ROR-IKT intranett" in re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)


def test_start_page_says_so_when_nothing_is_due(client, world):
    world["seats"]["ending"].end_date = None
    world["seats"]["ending"].save()
    Membership.objects.update(last_verified_at=RECENTLY)
    helper = PersonFactory(employer=world["molde"], name="Hanne Helse")
    MembershipFactory(group=world["groups"]["helse"], person=helper, represents=world["molde"])
    Membership.objects.update(last_verified_at=RECENTLY)
    client.force_login(world["rep"])
    body = client.get("/admin/").content.decode()
    assert "data-nothing-to-do" in panel(body)
    assert "Ingenting må gjøres nå" in panel(body)


def test_staff_see_every_organisation(client, world):
    setup_portal()
    staff = UserFactory(username="redaksjon")
    staff.groups.add(ensure_staff_group())
    client.force_login(staff)
    body = client.get("/admin/").content.decode()
    assert counts(body, world["molde"])[0]["overdue"] == 1
    assert counts(body, world["rauma"])[0]["never"] == 1  # Rolf Rauma
    assert "data-nothing-to-do" not in body


def test_setup_names_the_site_instead_of_its_hostname(world):
    Site.objects.update(site_name="")
    setup_portal()
    assert set(Site.objects.values_list("site_name", flat=True)) == {"ROR-IKT intranett"}


def test_readers_get_no_work_panel(client, world):
    reader = UserFactory(username="leser")
    client.force_login(reader)
    assert "data-work-panel" not in client.get("/admin/", follow=True).content.decode()


def test_start_page_and_work_list_query_counts_do_not_grow_with_entries(client, world):
    client.force_login(world["rep"])
    molde, groups = world["molde"], list(world["groups"].values())

    def add(n):
        people = PersonFactory.create_batch(n, employer=molde)
        Membership.objects.bulk_create(
            Membership(person=p, group=groups[i % len(groups)], represents=molde, start_date=datetime.date(2024, 1, 1))
            for i, p in enumerate(people)
        )

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ("/admin/", URL, URL + "?status=due", f"{URL}?group={groups[0].pk}")
    small = {url: count(url) for url in urls}
    add(300)
    large = {url: count(url) for url in urls}
    assert large == small, (small, large)


def test_the_spreadsheet_pages_are_headed_by_their_own_title(client, world):
    """Not Wagtail's "Hjem": the header names the page, below "Våre oppføringer"."""
    client.force_login(world["rep"])
    body = client.get(f"/admin/vare-oppforinger/regneark/?organisation={world['molde'].pk}").content.decode()
    assert re.search(r"<h1[^>]*>.*?Oppdater fra regneark", body, re.S)
    assert f'href="{URL}?organisation={world["molde"].pk}"' in body


def test_gaps_are_the_member_overviews_for_every_kind_of_organisation(world):
    """The work list counts gaps without building the overview; they are the overview's cells, group by group, for
    municipalities, the cooperation, a union (the unions' shared seat), and a former participant (none)."""
    from faggruppe_pages.models import Organisation, Role
    from faggruppe_pages.reader.overview import build_overview
    from faggruppe_pages.upkeep.worklist import organisations_work
    from tests.factories import CooperationFactory, UnionFactory

    groups = world["groups"]
    ror, union = CooperationFactory(), UnionFactory(slug="fagforbundet", name="Fagforbundet")
    UnionFactory(slug="utdanningsforbundet", name="Utdanningsforbundet")
    former = OrganisationFactory(slug="midsund", name="Midsund kommune", member_to=TODAY - datetime.timedelta(1))
    MembershipFactory(group=groups["teknisk"], person=PersonFactory(employer=ror), represents=ror, role=Role.ADVISER)
    MembershipFactory(
        group=groups["okonomi"], person=PersonFactory(employer=union), represents=union, role=Role.UNION_REP
    )
    MembershipFactory(group=groups["helse"], person=PersonFactory(employer=former), represents=former)
    # A coming seat does not fill a gap yet (Rauma's in Økonomi); nor does a deputy (Molde's in Helse).
    MembershipFactory(
        group=groups["okonomi"],
        person=PersonFactory(employer=world["rauma"]),
        represents=world["rauma"],
        start_date=TODAY + datetime.timedelta(5),
    )
    MembershipFactory(
        group=groups["helse"],
        person=PersonFactory(employer=world["molde"]),
        represents=world["molde"],
        role=Role.SUBSTITUTE,
    )
    organisations = list(Organisation.objects.order_by("name"))
    overview = build_overview(day=TODAY)
    expected = {org.pk: [] for org in organisations}
    for row in overview.rows:
        for cell in row.cells:
            if not cell.gap:
                continue
            if cell.column.organisation is None:
                for org in organisations:
                    if org.kind == "union":
                        expected[org.pk].append((row.group.pk, cell.gap, row.is_arbeidsgruppe, True))
            elif cell.column.organisation.pk in expected:
                expected[cell.column.organisation.pk].append((row.group.pk, cell.gap, row.is_arbeidsgruppe, False))
    found = {
        work.organisation.pk: [(gap.group.pk, gap.missing, gap.is_arbeidsgruppe, gap.shared) for gap in work.gaps]
        for work in organisations_work(organisations, TODAY)
    }
    assert found == expected
    assert found[world["molde"].pk] and found[union.pk] and found[ror.pk] and found[former.pk] == []
    assert groups["teknisk"].pk not in [gap[0] for gap in found[ror.pk]]  # its adviser sits there
    assert groups["okonomi"].pk in [gap[0] for gap in found[world["rauma"].pk]]
    assert groups["helse"].pk in [gap[0] for gap in found[world["molde"].pk]]
