"""The boundary's other promises: page rights follow memberships at once, routes cannot be shadowed,
group pages can be copied, every spreadsheet keeps formulas as text, malformed ids are no server error."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from openpyxl import load_workbook
from wagtail.models import Page

from faggruppe_pages.models import FaggruppePage, GroupPage, Membership, Organisation, Person
from faggruppe_pages.models.pages import reserved_slugs
from faggruppe_pages.spreadsheets import spreadsheet_safe
from faggruppe_pages.upkeep.sync import sync_group_page_editors

from .forms import as_dict, form_fields, replaced

pytestmark = pytest.mark.django_db

M = "/admin/snippets/faggruppe_pages/membership/"


@pytest.fixture(autouse=True)
def _world(demo_world):
    pass


def user(username):
    return get_user_model().objects.get(username=username)


def can_edit(u, page):
    u = get_user_model().objects.get(pk=u.pk)  # fresh: permissions are cached on the user object
    return page.permissions_for_user(u).can_edit()


@pytest.fixture
def member(db):
    """rep-molde's own seat in a group (rep-molde has a person record and so edits that group page)."""
    rep = user("rep-molde")
    seat = Membership.objects.filter(person__user=rep).active_on().select_related("group").first()
    assert seat is not None and can_edit(rep, seat.group)
    return rep, seat


# -- page rights follow the membership, in the same request ----------------------------------------------


def test_moving_a_membership_moves_the_page_rights_at_once(client, member):
    rep, seat = member
    old = seat.group
    new = GroupPage.objects.live().exclude(memberships__person=seat.person).order_by("pk").first()
    assert not can_edit(rep, new)
    client.force_login(user("redaksjon"))
    response = client.post(f"{M}edit/{seat.pk}/", as_dict(replaced(edit_pairs(client, seat), "group", str(new.pk))))
    assert response.status_code == 302
    assert can_edit(rep, new) and not can_edit(rep, old)


def test_ending_or_deleting_a_membership_ends_the_page_rights_at_once(client, member):
    rep, seat = member
    client.force_login(user("redaksjon"))
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    pairs = replaced(edit_pairs(client, seat), "end_date", yesterday)
    pairs = replaced(pairs, "start_date", "2000-01-01")
    assert client.post(f"{M}edit/{seat.pk}/", as_dict(pairs)).status_code == 302
    assert not can_edit(rep, seat.group)
    seat.end_date = None
    seat.save()
    assert can_edit(rep, seat.group)
    assert client.post(f"{M}delete/{seat.pk}/").status_code == 302
    assert not Membership.objects.filter(pk=seat.pk).exists()
    assert not can_edit(rep, seat.group)


def test_page_rights_roll_back_with_the_membership(member):
    """The rights are written in the membership's transaction: if it rolls back, so do they."""
    rep, seat = member
    new = GroupPage.objects.live().exclude(memberships__person=seat.person).order_by("pk").first()
    with transaction.atomic():
        Membership.objects.create(person=seat.person, group=new, represents=seat.represents, role="vara")
        assert can_edit(rep, new)
        transaction.set_rollback(True)
    assert not can_edit(rep, new)
    sync_group_page_editors(GroupPage.objects.get(pk=new.pk))  # the nightly repair agrees
    assert not can_edit(rep, new)


def edit_pairs(client, seat):
    return form_fields(client.get(f"{M}edit/{seat.pk}/").content.decode())


# -- routes cannot be shadowed by pages --------------------------------------------------------------------


def test_reserved_slugs_come_from_the_routes():
    assert {"mine-grupper", "medlemsoversikt", "representert", "person", "vcard", "medlemmer"} <= reserved_slugs()


@pytest.mark.parametrize("slug", sorted(reserved_slugs()))
def test_a_group_with_a_routes_address_is_refused_with_a_message(client, slug):
    client.force_login(user("redaksjon"))
    page = FaggruppePage.objects.live().order_by("pk").first()
    url = f"/admin/pages/{page.pk}/edit/"
    pairs = replaced(form_fields(client.get(url).content.decode()), "slug", slug)
    pairs.append(("body-count", "0"))
    before = Page.objects.get(pk=page.pk).latest_revision_id
    response = client.post(url, as_dict(pairs))
    assert response.status_code == 200
    assert "brukes av portalen selv" in response.content.decode()
    assert Page.objects.get(pk=page.pk).latest_revision_id == before


# -- copying a group page ----------------------------------------------------------------------------------


def test_staff_can_copy_a_group_page_and_the_copy_gets_its_own_editors(client, member):
    rep, seat = member
    page = seat.group.specific
    assert page.editors_group_id is not None
    client.force_login(user("admin"))
    response = client.post(
        f"/admin/pages/{page.pk}/copy/",
        {"new_title": "Kopi av gruppen", "new_slug": "kopi-av-gruppen", "new_parent_page": page.get_parent().pk},
    )
    assert response.status_code == 302
    copy = FaggruppePage.objects.get(slug="kopi-av-gruppen")
    assert not copy.memberships.exists()  # seats are not copied: they are each organisation's
    # No editors until its own members are registered: the original's editors group stays the original's,
    # so the original's members (rep-molde among them) edit the original and not the copy.
    assert copy.editors_group_id is None
    assert can_edit(rep, page) and not can_edit(rep, copy)


def test_a_member_cannot_copy_their_group_page(client, member):
    rep, seat = member
    client.force_login(rep)
    count = Page.objects.count()
    response = client.post(
        f"/admin/pages/{seat.group.pk}/copy/",
        {"new_title": "Kopi", "new_slug": "kopi", "new_parent_page": seat.group.get_parent().pk},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Page.objects.count() == count


# -- formulas stay text in every spreadsheet ----------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "=1+2", "@SUM(A1)", "+1+2", "-1+2", "\t=1", "\r=1", "＝1+2"]
KEPT = ["+47 71 11 22 33", "-5", "Ola Nordmann", "", "71 11 11 11"]


@pytest.mark.parametrize("value", FORMULAS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", KEPT)
def test_phone_numbers_and_names_are_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "listing, username", [("membership", "rep-molde"), ("person", "rep-molde"), ("organisation", "redaksjon")]
)
def test_admin_listing_exports_keep_formulas_as_text(client, export, listing, username):
    payload = '=HYPERLINK("http://evil.example","x")'
    if listing == "membership":
        row = Membership.objects.filter(represents__slug="molde").order_by("pk").first()
        Membership.objects.filter(pk=row.pk).update(note=payload)
        Person.objects.filter(pk=row.person_id).update(name=payload)
    elif listing == "person":
        Person.objects.filter(employer__slug="molde").order_by("pk").filter(
            pk=Person.objects.filter(employer__slug="molde").order_by("pk").first().pk
        ).update(name=payload)
    else:
        Organisation.objects.filter(slug="molde").update(short_name=payload, name=payload)
    client.force_login(user(username))
    response = client.get(f"/admin/snippets/faggruppe_pages/{listing}/?export={export}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export == "csv":
        cells = [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value == "'" + payload)
    assert "'" + payload in cells
    assert payload not in cells


# -- malformed ids and Wagtail's test error page -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/faggrupper/person/9223372036854775808/vcard/",
        "/admin/snippets/faggruppe_pages/membership/edit/abc/",
        "/admin/snippets/faggruppe_pages/membership/edit/9223372036854775808/",
        "/admin/snippets/choose/faggruppe_pages/person/chosen/abc/",
        "/admin/snippets/choose/faggruppe_pages/person/chosen-multiple/?id=abc&id=9223372036854775808",
        "/admin/snippets/faggruppe_pages/membership/add/?person=%C2%B2&group=abc",
    ],
)
def test_malformed_ids_are_no_server_error(client, path):
    client.force_login(user("rep-molde"))
    response = client.get(path)
    assert response.status_code in (200, 302, 400, 404), response.status_code


def test_post_to_a_choosers_create_address_is_404(client):
    client.force_login(user("rep-molde"))
    count = Membership.objects.count()
    assert client.post("/admin/snippets/choose/faggruppe_pages/membership/create/", {}).status_code == 404
    assert Membership.objects.count() == count


@pytest.mark.parametrize("username", ["rep-molde", "redaksjon", "leser"])
def test_failwhale_is_only_for_superusers(client, username):
    client.force_login(user(username))
    assert client.get("/admin/failwhale/").status_code in (302, 404)


def test_staff_only_reports_are_neither_offered_nor_shown_to_representatives(client):
    client.force_login(user("rep-molde"))
    response = client.get("/admin/reports/workflow/", follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Beklager, du har ikke tilgang til dette området." in body
    assert "/admin/reports/workflow/" not in body and "/admin/reports/site-history/" not in body
    client.force_login(user("redaksjon"))
    assert "/admin/reports/workflow/" in client.get("/admin/").content.decode()
