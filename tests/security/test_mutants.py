"""Tests written for the mutants that survived every other test (scripts/mutation_check.py).

Each test names the mutant it kills. They assert what a user would notice: a refusal with
Wagtail's redirect to the dashboard and nothing changed in the database, a listing or a page
that does not show another organisation's rows, a form that does (or does not) save.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from wagtail.models import ModelLogEntry

from faggruppe_pages.models import Membership, Person
from faggruppe_pages.upkeep.setup import ensure_staff_group
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db

M = "/admin/snippets/faggruppe_pages/membership/"
P = "/admin/snippets/faggruppe_pages/person/"
OUR_ENTRIES = "/admin/vare-oppforinger/"
REFUSED_MESSAGE = "Beklager, du har ikke tilgang til dette området."


@pytest.fixture
def w(db):
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde", municipality_number="1506")
    rauma = OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma", municipality_number="1539")
    molde.refresh_from_db()
    rauma.refresh_from_db()
    group = FaggruppePageFactory(parent=make_index(), title="Teknisk", slug="teknisk")
    rep_molde = UserFactory(username="rep-molde")
    rep_molde.groups.add(molde.representatives_group)
    rep_rauma = UserFactory(username="rep-rauma")
    rep_rauma.groups.add(rauma.representatives_group)
    staff = UserFactory(username="redaksjon")
    staff.groups.add(ensure_staff_group())
    mona = PersonFactory(name="Mona Molde", employer=molde)
    rolf = PersonFactory(name="Rolf Rauma", employer=rauma)
    return {
        "molde": molde,
        "rauma": rauma,
        "group": group,
        "rep_molde": rep_molde,
        "rep_rauma": rep_rauma,
        "staff": staff,
        "mona": mona,
        "rolf": rolf,
        "molde_seat": MembershipFactory(person=mona, group=group, represents=molde),
        "rauma_seat": MembershipFactory(person=rolf, group=group, represents=rauma),
    }


def admin_user(username, *perms):
    """A user with admin access and the given Django permissions ("app.codename"), in no representatives group."""
    user = UserFactory(username=username)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def assert_refused(response):
    assert response.status_code == 302 and response["Location"] == "/admin/", (
        response.status_code,
        response.get("Location"),
    )
    assert REFUSED_MESSAGE in [str(m).strip() for m in get_messages(response.wsgi_request)]


def membership_data(m, **changes):
    data = {
        "person": m.person_id,
        "group": m.group_id,
        "represents": m.represents_id,
        "role": m.role,
        "start_date": m.start_date.isoformat(),
        "end_date": "",
        "appointed_by": m.appointed_by,
        "appointment_reference": "",
        "note": "",
    }
    data.update(changes)
    return data


def row(obj):
    return type(obj).objects.filter(pk=obj.pk).values().first()


# -- permissions.py --------------------------------------------------------------------------------------


def test_a_model_wide_manage_entries_permission_gives_no_organisation(client, w):
    """Kills org-ids-global-perm. Representatives hold manage_entries per organisation (django-guardian);
    the same permission ticked model-wide on a user or group must not make them act for every organisation."""
    client.force_login(admin_user("globalt", "faggruppe_pages.manage_entries"))
    assert_refused(client.get(M))
    seat = w["rauma_seat"]
    before = row(seat)
    assert_refused(client.post(f"{M}edit/{seat.pk}/", membership_data(seat, note="ENDRET")))
    assert row(seat) == before
    assert_refused(client.get(OUR_ENTRIES, {"organisation": w["rauma"].pk}))


def test_view_only_staff_see_every_membership_in_the_listing(client, w):
    """Kills staff-needs-all-actions and listing-not-filtered-for-view: a staff user with only the "view"
    model permission (an auditor) sees every organisation's rows, not an empty listing."""
    client.force_login(admin_user("revisor", "faggruppe_pages.view_membership"))
    body = client.get(M).content.decode()
    assert "Mona Molde" in body and "Rolf Rauma" in body
    # ... and still changes nothing.
    seat = w["rauma_seat"]
    before = row(seat)
    assert_refused(client.post(f"{M}edit/{seat.pk}/", membership_data(seat, note="ENDRET")))
    assert row(seat) == before


def test_an_admin_user_who_represents_nobody_cannot_add_entries(client, w):
    """Kills model-level-ignores-orgs: admin access alone (no representatives group, no model
    permission) opens no add form and saves nothing."""
    client.force_login(admin_user("annen"))
    assert_refused(client.get(f"{M}add/"))
    assert_refused(client.get(f"{P}add/"))
    count = Membership.objects.count()
    assert_refused(client.post(f"{M}add/", membership_data(w["molde_seat"], role="vara", start_date="2025-03-01")))
    assert Membership.objects.count() == count


def test_the_edit_page_offers_representatives_no_delete(client, w):
    """Kills instance-ignores-action: nobody but staff deletes (withdraws) a seat registered more than 14 days
    ago, so a representative's edit page offers no "Registrert ved en feil" for it (staff's does)."""
    import datetime

    from django.utils import timezone

    seat = w["molde_seat"]
    type(seat).objects.filter(pk=seat.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    delete_url = f"{M}delete/{seat.pk}/"
    client.force_login(w["rep_molde"])
    response = client.get(f"{M}edit/{seat.pk}/")
    assert response.status_code == 200 and delete_url not in response.content.decode()
    client.force_login(w["staff"])
    assert delete_url in client.get(f"{M}edit/{seat.pk}/").content.decode()
    # Registered today: the representative may withdraw it as registered in error.
    type(seat).objects.filter(pk=seat.pk).update(created_at=timezone.now())
    client.force_login(w["rep_molde"])
    assert delete_url in client.get(f"{M}edit/{seat.pk}/").content.decode()


def test_the_django_is_staff_flag_makes_nobody_staff_here(client, w):
    """Kills is-staff-flag: Django's ``is_staff`` (Django admin login) is not the portal's staff; a
    representative with it still acts for their own municipality only."""
    rep = w["rep_molde"]
    rep.is_staff = True
    rep.save()
    client.force_login(rep)
    assert_refused(client.get(OUR_ENTRIES, {"organisation": w["rauma"].pk}))
    body = client.get(f"{M}add/").content.decode()
    assert f'<option value="{w["molde"].pk}"' in body
    assert f'<option value="{w["rauma"].pk}"' not in body


def test_partial_staff_cannot_add_a_seat_for_an_organisation_they_do_not_represent(client, w):
    """Kills create-second-check-removed: a representative of Molde who was also given the model-wide
    "change membership" permission (but not "add") is offered every organisation by the form; the create
    view's own check still refuses saving a new seat for Rauma: the form comes back with the reason."""
    rep = w["rep_molde"]
    rep.user_permissions.add(Permission.objects.get(codename="change_membership"))
    client.force_login(rep)
    newcomer = PersonFactory(name="Nina Ny", employer=w["rauma"])
    data = membership_data(w["rauma_seat"], person=newcomer.pk, start_date="2025-03-01")
    response = client.post(f"{M}add/", data)
    assert response.status_code == 200
    assert "Du kan bare registrere oppføringer for organisasjoner du representerer." in response.content.decode()
    assert not Membership.objects.filter(person=newcomer).exists()
    assert not Membership.objects.filter(represents=w["rauma"]).exclude(pk=w["rauma_seat"].pk).exists()


# -- admin/boundary.py -----------------------------------------------------------------------------------------


def test_a_seat_stays_saveable_when_its_person_changes_jobs(client, w):
    """Kills saved-value-not-kept: Molde's seat of a person who has since moved to Rauma can still be
    updated (here: ended) by Molde, although Molde may not choose that person for a new seat."""
    seat = w["molde_seat"]
    Person.objects.filter(pk=seat.person_id).update(employer=w["rauma"])
    client.force_login(w["rep_molde"])
    response = client.post(f"{M}edit/{seat.pk}/", membership_data(seat, end_date="2025-06-30"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    seat.refresh_from_db()
    assert seat.end_date == datetime.date(2025, 6, 30)


def test_reverting_to_an_old_revision_cannot_move_a_seat_to_another_organisation(client, w):
    """Kills saved-value-from-memory: the revert view builds the form from an old revision. A seat that
    once represented Rauma and now represents Molde: Molde's representative may open the revert, but
    saving it with Rauma is refused and the seat stays Molde's."""
    seat = MembershipFactory(
        person=PersonFactory(name="Vera Vandrer", employer=w["molde"]), group=w["group"], represents=w["rauma"]
    )
    old = seat.save_revision(user=w["staff"])
    seat.represents = w["molde"]
    seat.save()
    seat.save_revision(user=w["staff"])
    client.force_login(w["rep_molde"])
    url = f"{M}history/{seat.pk}/revisions/{old.pk}/revert/"
    assert client.get(url).status_code == 200
    before = row(seat)
    response = client.post(url, membership_data(seat, represents=w["rauma"].pk, note="TILBAKE"))
    assert response.status_code == 200
    assert "Du kan bare registrere oppføringer for organisasjoner du representerer." in response.content.decode()
    assert row(seat) == before


def test_the_person_form_lists_no_user_accounts_to_representatives(client, w):
    """Kills disabled-lists-everything: the (disabled) user field of a representative's person form
    names no account; staff's form offers them."""
    UserFactory(username="kontoen-til-kari")
    person = w["mona"]
    client.force_login(w["rep_molde"])
    response = client.get(f"{P}edit/{person.pk}/")
    assert response.status_code == 200 and "kontoen-til-kari" not in response.content.decode()
    client.force_login(w["staff"])
    assert "kontoen-til-kari" in client.get(f"{P}edit/{person.pk}/").content.decode()


# -- views -----------------------------------------------------------------------------------------------


def test_entry_forms_do_not_autosave(client, w):
    """Kills autosave-on (without a browser): the add and edit forms of entries carry no autosave
    controller, so nothing is stored before "Lagre" (tests/browser/test_no_autosave.py drives it)."""
    client.force_login(w["rep_molde"])
    for url in (f"{M}add/", f"{M}edit/{w['molde_seat'].pk}/", f"{P}add/", f"{P}edit/{w['mona'].pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "data-w-autosave-interval-value" not in response.content.decode(), url


def test_recent_changes_show_only_our_own_entries(client, w):
    """Kills recent-changes-all-memberships: Rauma's change to its own seat is not in Molde's
    "Siste endringer" on "Våre oppføringer"; Molde's own change is."""
    w["rauma_seat"].save_revision(user=w["rep_rauma"], log_action=True)
    w["molde_seat"].save_revision(user=w["rep_molde"], log_action=True)
    assert ModelLogEntry.objects.filter(object_id=str(w["rauma_seat"].pk), label__contains="Rolf Rauma").exists()
    client.force_login(w["rep_molde"])
    response = client.get(OUR_ENTRIES)
    body = response.content.decode()
    assert response.status_code == 200 and "Mona Molde" in body
    assert "Rolf Rauma" not in body
