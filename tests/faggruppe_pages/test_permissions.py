"""The permission matrix: roles × actions × objects over every admin URL of memberships and people.

Each cell asserts the real response: an allowed request gets its page, titled with the
object, showing the object's data (the saved values, the earlier revision, the logged edits,
what uses it) and nobody else's name, or does its write (the value sent is saved); a refused
one gets Wagtail's answer (a redirect to the dashboard with a message, a redirect to the
login page for users without admin access, 403 to XHR, 404 from a chooser) and, for every
write, the data is unchanged.
"""

import datetime
import html
import json
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.utils.html import escape

from faggruppe_pages.models import Membership, Person, Role
from faggruppe_pages.upkeep.setup import ensure_staff_group
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)
from tests.rolled_back import rolled_back

pytestmark = pytest.mark.django_db

M = "/admin/snippets/faggruppe_pages/membership/"
P = "/admin/snippets/faggruppe_pages/person/"
REFUSED_MESSAGE = "Beklager, du har ikke tilgang til dette området."


@dataclass
class World:
    users: dict
    objects: dict
    orgs: dict
    group: object


@pytest.fixture(scope="module")
def world_rows(django_db_setup, django_db_blocker):
    """The organisations, users, group, people and seats (with two revisions each), made once for the module in a
    transaction rolled back after it (as the security suites' demo world). Each test runs in its own savepoint
    (``db``), so what one test writes never reaches the next; ``world`` reads the rows back fresh for each test."""
    with rolled_back(django_db_blocker, "world_rows"):
        made = make_world()
        yield World(
            users={role: user and user.pk for role, user in made.users.items()},
            objects={name: (type(obj), obj.pk) for name, obj in made.objects.items()},
            orgs={slug: org.pk for slug, org in made.orgs.items()},
            group=made.group.pk,
        )


@pytest.fixture
def world(db, world_rows):
    """This test's own instances of the module's rows (read from the database, not shared between tests)."""
    from django.contrib.auth import get_user_model

    from faggruppe_pages.models import FaggruppePage, Organisation

    User = get_user_model()
    return World(
        users={role: pk and User.objects.get(pk=pk) for role, pk in world_rows.users.items()},
        objects={name: model.objects.get(pk=pk) for name, (model, pk) in world_rows.objects.items()},
        orgs={slug: Organisation.objects.get(pk=pk) for slug, pk in world_rows.orgs.items()},
        group=FaggruppePage.objects.get(pk=world_rows.group),
    )


def make_world():
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde", municipality_number="1506")
    rauma = OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma", municipality_number="1539")
    ror = OrganisationFactory(
        name="ROR-IKT", short_name="ROR-IKT", slug="ror-ikt", kind="cooperation", municipality_number="", is_owner=False
    )
    union = OrganisationFactory(
        name="Fagforbundet", slug="fagforbundet", kind="union", municipality_number="", is_owner=False
    )
    for org in (molde, rauma, ror, union):
        org.refresh_from_db()
    group = FaggruppePageFactory(parent=make_index(), title="Teknisk", slug="teknisk")
    users = {
        "admin": UserFactory(username="admin", is_superuser=True, first_name="Astrid", last_name="Admin"),
        "redaksjon": UserFactory(username="redaksjon"),
        "leser": UserFactory(username="leser"),
        "rep_molde": UserFactory(username="rep-molde"),
        "rep_rauma": UserFactory(username="rep-rauma"),
        "rep_union": UserFactory(username="rep-fagforbundet"),
        "anonymous": None,
    }
    users["redaksjon"].groups.add(ensure_staff_group())
    users["rep_molde"].groups.add(molde.representatives_group)
    users["rep_rauma"].groups.add(rauma.representatives_group)
    users["rep_union"].groups.add(union.representatives_group)

    molde_person = PersonFactory(name="Mona Molde", employer=molde)
    rauma_person = PersonFactory(name="Rolf Rauma", employer=rauma)
    tillitsvalgt = PersonFactory(name="Tora Tillitsvalgt", employer=rauma)
    adviser = PersonFactory(name="Rita Rådgiver", employer=ror)
    objects = {
        "molde_membership": MembershipFactory(person=molde_person, group=group, represents=molde),
        "rauma_membership": MembershipFactory(person=rauma_person, group=group, represents=rauma),
        "union_membership": MembershipFactory(person=tillitsvalgt, group=group, represents=union, role=Role.UNION_REP),
        "coop_membership": MembershipFactory(person=adviser, group=group, represents=ror, role=Role.ADVISER),
        "molde_person": molde_person,
        "rauma_person": rauma_person,
        "tillitsvalgt": tillitsvalgt,
    }
    for obj in objects.values():
        # Two logged revisions each, told apart by one field, for the history, compare and revert views.
        field, first, second = REVISED[type(obj)]
        for value in (first, second):
            type(obj).objects.filter(pk=obj.pk).update(**{field: value})
            setattr(obj, field, value)
            obj.save_revision(user=users["admin"], log_action=True)
    return World(users, objects, {"molde": molde, "rauma": rauma, "ror": ror, "union": union}, group)


#: The field that differs between an object's two revisions: (field, first value, second and current value).
REVISED = {
    Membership: ("note", "Oppnevnt av rådmannen", "Gjenoppnevnt for ny periode"),
    Person: ("job_title", "Rådgiver", "Seniorrådgiver"),
}
#: The people named by the objects (each object names one of them: a person, or a membership's person).
PEOPLE = ["Mona Molde", "Rolf Rauma", "Tora Tillitsvalgt", "Rita Rådgiver"]


# Who may do what to which object: "view" (read views), "change" (edit, revert), "delete".
ALL = {"view", "change", "delete"}
OWN = {"view", "change"}
EXPECTED = {
    "admin": {
        obj: ALL for obj in ("molde_membership", "union_membership", "coop_membership", "molde_person", "tillitsvalgt")
    },
    "redaksjon": {
        obj: ALL for obj in ("molde_membership", "union_membership", "coop_membership", "molde_person", "tillitsvalgt")
    },
    "leser": {},
    # "delete" on a membership is withdrawing it as registered in error: a representative may, for their own
    # organisation's entries within 14 days of registering them (these were registered today).
    "rep_molde": {"molde_membership": OWN | {"delete"}, "molde_person": OWN},
    # Tora is employed by Rauma: Rauma keeps her person record, the union her seat (admin/boundary.py).
    "rep_rauma": {"tillitsvalgt": OWN},
    "rep_union": {"union_membership": OWN | {"delete"}},
    "anonymous": {},
}
OBJECTS = ["molde_membership", "union_membership", "coop_membership", "molde_person", "tillitsvalgt"]
#: People who hold seats: nobody can delete them (memberships protect them; history stays).
PROTECTED = {"molde_person", "tillitsvalgt"}
SEAT_OF = {"molde_person": "molde_membership", "tillitsvalgt": "union_membership"}


def base(obj):
    return M if isinstance(obj, Membership) else P


def revisions(obj):
    ids = list(obj.revisions.order_by("pk").values_list("pk", flat=True))
    return ids[0], ids[-1]


def form_data(obj, **changes):
    if isinstance(obj, Membership):
        data = {
            "person": obj.person_id,
            "group": obj.group_id,
            "represents": obj.represents_id,
            "role": obj.role,
            "start_date": obj.start_date.isoformat(),
            "end_date": "",
            "appointed_by": obj.appointed_by,
            "appointment_reference": "",
            "note": "",
        }
    else:
        data = {
            "name": obj.name,
            "job_title": obj.job_title,
            "employer": obj.employer_id,
            "unit": "",
            "email": obj.email,
            "phone": obj.phone,
            "show_phone": "on",
            "user": "",
        }
    data.update(changes)
    return data


def snapshot(obj):
    obj = type(obj).objects.filter(pk=obj.pk).first()
    if obj is None:
        return None
    fields = [f.attname for f in obj._meta.concrete_fields if f.attname not in ("updated_at", "latest_revision_id")]
    return {f: getattr(obj, f) for f in fields}


# (name, needed right, method, url builder, POST data builder or None)
ACTIONS = [
    ("edit", "change", "get", lambda o: f"{base(o)}edit/{o.pk}/", None),
    (
        "edit-post",
        "change",
        "post",
        lambda o: f"{base(o)}edit/{o.pk}/",
        lambda o: form_data(o, note="ENDRET") if isinstance(o, Membership) else form_data(o, job_title="ENDRET"),
    ),
    ("delete", "delete", "get", lambda o: f"{base(o)}delete/{o.pk}/", None),
    ("delete-post", "delete", "post", lambda o: f"{base(o)}delete/{o.pk}/", lambda o: {}),
    ("history", "view", "get", lambda o: f"{base(o)}history/{o.pk}/", None),
    ("history-results", "view", "get", lambda o: f"{base(o)}history-results/{o.pk}/", None),
    ("inspect", "view", "get", lambda o: f"{base(o)}inspect/{o.pk}/", None),
    ("usage", "view", "get", lambda o: f"{base(o)}usage/{o.pk}/", None),
    (
        "revisions-compare",
        "view",
        "get",
        lambda o: "{}history/{}/revisions/compare/{}...{}/".format(base(o), o.pk, *revisions(o)),
        None,
    ),
    (
        "revisions-revert",
        "change",
        "get",
        lambda o: f"{base(o)}history/{o.pk}/revisions/{revisions(o)[0]}/revert/",
        None,
    ),
    (
        "revisions-revert-post",
        "change",
        "post",
        lambda o: f"{base(o)}history/{o.pk}/revisions/{revisions(o)[0]}/revert/",
        lambda o: form_data(o, note="TILBAKE") if isinstance(o, Membership) else form_data(o, job_title="TILBAKE"),
    ),
    (
        "bulk-delete",
        "delete",
        "get",
        lambda o: f"/admin/bulk/faggruppe_pages/{o._meta.model_name}/delete/?id={o.pk}",
        None,
    ),
    (
        "bulk-delete-post",
        "delete",
        "post",
        lambda o: f"/admin/bulk/faggruppe_pages/{o._meta.model_name}/delete/?id={o.pk}",
        lambda o: {},
    ),
]


def client_for(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def assert_refused(response, role, url):
    assert response.status_code == 302, f"{role} {url}: expected a refusal, got {response.status_code}"
    location = response["Location"]
    if role in ("anonymous", "leser"):
        # No admin access at all: Wagtail sends them to the one login page (WAGTAILADMIN_LOGIN_URL).
        assert location.startswith("/logg-inn/"), location
    else:
        assert location == "/admin/", location
        messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
        assert REFUSED_MESSAGE in messages, messages


def person_named(obj):
    return obj.person.name if isinstance(obj, Membership) else obj.name


def page_title(body):
    """The page's title as the browser shows it (Wagtail's admin adds " - Wagtail")."""
    found = re.search(r"<title>(.*?)</title>", body, re.S)
    return html.unescape(" ".join(found.group(1).split())).removesuffix(" - Wagtail") if found else None


def shown_on_allowed_page(world, role, name, obj_name, url):
    """What ``role`` sees on the page of an allowed GET that proves it is this object's page, with its data:
    (the page's title, or None for a fragment without one; texts the HTML holds)."""
    obj = world.objects[obj_name]
    label = str(obj)
    field, first, second = REVISED[type(obj)]
    membership = isinstance(obj, Membership)
    if name == "edit":  # the form for this object, holding what is saved now
        return f"Redigerer: {label}", [f'action="{url}"', f'name="{field}" value="{escape(second)}"']
    if name == "revisions-revert":  # the form for this object, holding the earlier revision
        return f"Redigerer: {label}", [
            "Du ser på en tidligere versjon",
            f'action="{url}"',
            f'name="{field}" value="{escape(first)}"',
        ]
    if name == "delete":
        if membership:  # a membership is withdrawn, with a reason, never deleted
            return f"Registrert ved en feil: {label}", [f"Trekke tilbake «{escape(label)}»", 'name="reason"']
        return f"Slett: {label}", ["hindrer sletting"]  # every person here holds a seat
    if name == "bulk-delete":
        return f"Slett {obj._meta.verbose_name} - {label}", ["hindrer sletting"]
    if name == "history":
        return f"Historikk: {label}", []
    if name == "history-results":  # the logged edits, by whom, comparing this object's revisions
        return None, ["Redigert", "Astrid Admin", f"{base(obj)}history/{obj.pk}/revisions/compare/"]
    if name == "inspect":
        organisation = obj.represents if membership else obj.employer
        return f"Inspiser: {label}", [escape(second), escape(organisation.name)]
    if name == "usage":
        if membership:  # nothing refers to a membership
            return f"Bruk: {label}", ["Det er ingen resultater"]
        # A person is used by their seat, named to whoever may see it (Tora's seat is the union's, not Rauma's).
        seat = SEAT_OF[obj_name]
        shown = escape(str(world.objects[seat])) if "view" in EXPECTED[role].get(seat, ()) else "(Privat medlemskap)"
        return f"Bruk: {label}", [shown]
    if name == "revisions-compare":  # what changed between the two revisions
        return f"Sammenlign: {label}", [escape(first), escape(second)]
    raise AssertionError(f"no expectation for the {name} page")


@pytest.mark.parametrize("obj_name", OBJECTS)
@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(client, world, role, action, obj_name):
    name, right, method, url_for, data_for = action
    obj = world.objects[obj_name]
    url = url_for(obj)
    allowed = right in EXPECTED[role].get(obj_name, set())
    before = snapshot(obj)
    client = client_for(client, world, role)
    response = client.post(url, data_for(obj)) if method == "post" else client.get(url)
    if name.startswith("bulk-delete") and isinstance(obj, Membership):
        # Memberships are never deleted in bulk, by anyone (each is withdrawn on its own, with a reason).
        assert response.status_code == 302 and snapshot(obj) == before, f"{role} {url}"
        return

    if not allowed:
        assert_refused(response, role, url)
        assert snapshot(obj) == before, f"{role} {name} changed {obj_name}"
        return
    if method == "get":
        assert response.status_code == 200, f"{role} {url}: {response.status_code} {response.get('Location')}"
        body = response.content.decode()
        expected_title, texts = shown_on_allowed_page(world, role, name, obj_name, url)
        assert page_title(body) == expected_title, f"{role} {url}"
        missing = [text for text in texts if text not in body]
        assert not missing, f"{role} {url} does not show {missing}"
        # It is this object's page: nobody else's name is on it.
        others = [n for n in PEOPLE if n != person_named(obj) and n in body]
        assert not others, f"{role} {url} names {others}"
        assert snapshot(obj) == before, f"{role} {name} changed {obj_name}"
        return
    assert response.status_code == 302, f"{role} {url}: {response.status_code}"
    after = snapshot(obj)
    if name.startswith(("delete", "bulk-delete")):
        assert after == before if obj_name in PROTECTED else after is None
    else:
        field = REVISED[type(obj)][0]
        sent = data_for(obj)[field]
        assert after[field] == sent != before[field], f"{role} {name}: {field} is {after[field]!r}, sent {sent!r}"


@pytest.mark.parametrize("role", ["rep_molde", "rep_rauma", "redaksjon"])
def test_refused_xhr_gets_403(client, world, role):
    obj = world.objects["coop_membership"]
    client = client_for(client, world, role)
    response = client.get(f"{M}edit/{obj.pk}/", headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == (200 if role == "redaksjon" else 403)


# -- listings, exports and choosers show only permitted rows ---------------------------------------
NAMES = PEOPLE
VISIBLE = {
    "admin": set(NAMES),
    "redaksjon": set(NAMES),
    "rep_molde": {"Mona Molde"},
    "rep_rauma": {"Rolf Rauma"},
    "rep_union": {"Tora Tillitsvalgt"},
}
# A person belongs to their employer only: the union sees its tillitsvalgt's seat, not her person record.
VISIBLE_PEOPLE = {**VISIBLE, "rep_rauma": {"Rolf Rauma", "Tora Tillitsvalgt"}, "rep_union": set()}
# The person chooser offers whom a user may register a seat for: a union may choose any municipality's
# employee as its tillitsvalgt (choosing grants no right to the person record).
CHOOSABLE_PEOPLE = {**VISIBLE_PEOPLE, "rep_union": {"Mona Molde", "Rolf Rauma", "Tora Tillitsvalgt"}}


def names_in(response):
    assert response.status_code == 200, response.get("Location")
    if response.streaming:
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    else:
        body = response.content.decode("utf-8-sig")
    if response["Content-Type"].startswith("application/json"):  # chooser modal responses
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return {n for n in NAMES if n in body}


LISTINGS = [
    ("membership list", M, VISIBLE),
    ("membership results", M + "results/", VISIBLE),
    ("membership search", M + "?q=a", VISIBLE),
    ("membership csv", M + "?export=csv", VISIBLE),
    ("person list", P, VISIBLE_PEOPLE),
    ("person csv", P + "?export=csv", VISIBLE_PEOPLE),
    ("person chooser", "/admin/snippets/choose/faggruppe_pages/person/", CHOOSABLE_PEOPLE),
    ("person chooser results", "/admin/snippets/choose/faggruppe_pages/person/results/", CHOOSABLE_PEOPLE),
    ("membership chooser", "/admin/snippets/choose/faggruppe_pages/membership/", VISIBLE),
]


@pytest.mark.parametrize("role", list(VISIBLE))
@pytest.mark.parametrize("listing", LISTINGS, ids=[x[0] for x in LISTINGS])
def test_listings_show_only_permitted_rows(client, world, role, listing):
    _name, url, visible = listing
    response = client_for(client, world, role).get(url)
    assert names_in(response) == visible[role]


def test_xlsx_export_holds_only_permitted_rows(client, world):
    import io

    import openpyxl

    response = client_for(client, world, "rep_molde").get(M + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert any("Mona Molde" in c for c in cells)
    assert not any(other in c for c in cells for other in ("Rolf Rauma", "Tora", "Rita"))


@pytest.mark.parametrize("role", ["leser", "anonymous"])
@pytest.mark.parametrize("url", [M, P, M + "?export=csv", "/admin/snippets/choose/faggruppe_pages/person/"])
def test_users_without_admin_access_see_no_listing(client, world, role, url):
    response = client_for(client, world, role).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


@pytest.mark.parametrize(
    "role, other",
    # A municipality cannot choose another's employee; a union can choose municipal employees (its
    # tillitsvalgte) but not the cooperation's staff.
    [("rep_molde", "rauma_person"), ("rep_union", "adviser")],
)
def test_chooser_refuses_to_return_someone_elses_person(client, world, role, other):
    person = world.objects.get(other) or Person.objects.get(name="Rita Rådgiver")
    response = client_for(client, world, role).get(f"/admin/snippets/choose/faggruppe_pages/person/chosen/{person.pk}/")
    assert response.status_code == 404


def test_chooser_returns_own_person(client, world):
    response = client_for(client, world, "rep_molde").get(
        f"/admin/snippets/choose/faggruppe_pages/person/chosen/{world.objects['molde_person'].pk}/"
    )
    assert response.status_code == 200 and "Mona Molde" in response.content.decode()


def bulk_delete_url(world, model_name, *obj_names):
    ids = "&".join(f"id={world.objects[n].pk}" for n in obj_names)
    return f"/admin/bulk/faggruppe_pages/{model_name}/delete/?{ids}"


def test_staff_bulk_delete_names_the_rows_it_acts_on(client, world):
    """The control for the test below: the confirmation page does name the rows it lists."""
    url = bulk_delete_url(world, "person", "molde_person", "tillitsvalgt")
    body = client_for(client, world, "redaksjon").get(url).content.decode()
    assert "Mona Molde" in body and "Tora Tillitsvalgt" in body  # staff may act on both


@pytest.mark.parametrize(
    "model_name, own, others",
    [
        # Rolf and Tora are employed by Rauma.
        ("person", ["molde_person"], ["rauma_person", "tillitsvalgt"]),
        # Rauma's, the union's and the cooperation's seats in the same group.
        ("membership", ["molde_membership"], ["rauma_membership", "union_membership", "coop_membership"]),
    ],
)
def test_bulk_delete_never_names_other_rows(client, world, model_name, own, others):
    """Molde's representative selects Molde's row and other organisations' rows for a bulk delete (the ids
    are in the URL, so anyone can put any there): no page they see names the other rows, and nothing changes."""
    url = bulk_delete_url(world, model_name, *own, *others)
    other_names = {person_named(world.objects[n]) for n in others}
    rows = [world.objects[n] for n in own + others]
    before = [snapshot(obj) for obj in rows]
    client = client_for(client, world, "rep_molde")
    for method in ("get", "post"):
        response = getattr(client, method)(url, follow=True)
        body = response.content.decode()
        named = {n for n in other_names if n in body}
        assert not named, f"{method.upper()} {url} names {named}"
        # Refused as the admin refuses (a representative may delete nothing): back on the dashboard, told so.
        chain = [location for location, _status in response.redirect_chain]
        assert chain == ["/admin/"], f"{method.upper()} {url}: {response.status_code} after {chain}, not refused"
        assert REFUSED_MESSAGE in body
        assert [snapshot(obj) for obj in rows] == before


def test_organisations_belong_to_staff(client, world):
    org = world.orgs["molde"]
    for role in ("rep_molde", "rep_union"):
        c = client_for(client, world, role)
        assert_refused(c.get("/admin/snippets/faggruppe_pages/organisation/"), role, "org list")
        before = snapshot(org)
        assert_refused(
            c.post(f"/admin/snippets/faggruppe_pages/organisation/edit/{org.pk}/", {"name": "Hacked"}), role, "org edit"
        )
        assert snapshot(org) == before


# -- create and edit forms offer only the organisations the user may act for -------------------------
def test_add_form_offers_only_own_organisation(client, world):
    body = client_for(client, world, "rep_molde").get(M + "add/").content.decode()
    assert f'<option value="{world.orgs["molde"].pk}"' in body
    for other in ("rauma", "ror", "union"):
        assert f'<option value="{world.orgs[other].pk}"' not in body


def test_rep_adds_a_seat_for_own_municipality(client, world):
    client = client_for(client, world, "rep_molde")
    data = form_data(world.objects["molde_membership"], role=Role.SUBSTITUTE, start_date="2025-02-01")
    response = client.post(M + "add/", data)
    assert response.status_code == 302
    assert Membership.objects.filter(represents=world.orgs["molde"], role=Role.SUBSTITUTE).exists()


def test_forged_post_naming_another_organisation_is_refused_and_nothing_saved(client, world):
    client = client_for(client, world, "rep_molde")
    count = Membership.objects.count()
    data = form_data(world.objects["molde_membership"], represents=world.orgs["rauma"].pk, start_date="2025-03-01")
    response = client.post(M + "add/", data)
    assert response.status_code == 200
    assert "Du kan bare registrere oppføringer for organisasjoner du representerer." in response.content.decode()
    assert Membership.objects.count() == count


def test_forged_edit_moving_own_seat_to_another_organisation_is_refused(client, world):
    obj = world.objects["molde_membership"]
    before = snapshot(obj)
    response = client_for(client, world, "rep_molde").post(
        f"{M}edit/{obj.pk}/", form_data(obj, represents=world.orgs["rauma"].pk)
    )
    assert response.status_code == 200
    assert "Du kan bare registrere oppføringer for organisasjoner du representerer." in response.content.decode()
    assert snapshot(obj) == before


def test_forged_person_of_another_organisation_is_refused(client, world):
    client = client_for(client, world, "rep_molde")
    count = Membership.objects.count()
    data = form_data(
        world.objects["molde_membership"], person=world.objects["rauma_person"].pk, start_date="2025-03-01"
    )
    response = client.post(M + "add/", data)
    assert response.status_code == 200
    assert "Du kan bare velge personer fra organisasjoner du representerer." in response.content.decode()
    assert Membership.objects.count() == count


def test_forged_employer_on_a_new_person_is_refused(client, world):
    client = client_for(client, world, "rep_molde")
    response = client.post(
        P + "add/",
        form_data(world.objects["molde_person"], employer=world.orgs["rauma"].pk, email="ny@rauma.kommune.no"),
    )
    assert response.status_code == 200
    assert not Person.objects.filter(email="ny@rauma.kommune.no").exists()


def test_representative_cannot_link_a_user_account(client, world):
    person = world.objects["molde_person"]
    response = client_for(client, world, "rep_molde").post(
        f"{P}edit/{person.pk}/", form_data(person, user=world.users["admin"].pk, job_title="Ny tittel")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Ny tittel" and person.user_id is None


def test_representative_ends_a_membership(client, world):
    obj = world.objects["molde_membership"]
    response = client_for(client, world, "rep_molde").post(f"{M}edit/{obj.pk}/", form_data(obj, end_date="2025-06-30"))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.end_date == datetime.date(2025, 6, 30)
    assert Membership.objects.filter(pk=obj.pk).exists()  # ended, not deleted


def test_representatives_group_is_created_and_renamed_with_the_organisation(world):
    molde = world.orgs["molde"]
    assert molde.representatives_group.name == f"Representanter – Molde ({molde.pk})"
    molde.short_name = "Nye Molde"
    molde.save()
    molde.representatives_group.refresh_from_db()
    assert molde.representatives_group.name == f"Representanter – Nye Molde ({molde.pk})"
    assert world.orgs["ror"].representatives_group is None  # the cooperation's seats belong to staff
    assert Group.objects.filter(name__startswith="Representanter – ").count() == 3


# -- the request's user, loaded with whether they hold any right (LoadsGrants) ---------------------------------


def test_the_session_user_is_loaded_with_their_grants_and_only_an_active_known_user_counts(db):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from intranet.auth_backends import ModelBackend

    from faggruppe_pages.permissions import holds_no_grants

    User = get_user_model()
    reader = User.objects.create_user("lesar", password="x")
    rep = User.objects.create_user("rep", password="x")
    rep.groups.add(Group.objects.create(name="Molde-representanter"))
    gone = User.objects.create_user("borte", password="x", is_active=False)
    backend = ModelBackend()
    with CaptureQueriesContext(connection) as queries:
        loaded_reader, loaded_rep = backend.get_user(reader.pk), backend.get_user(str(rep.pk))
        assert holds_no_grants(loaded_reader) and not holds_no_grants(loaded_rep)
    assert len(queries) == 2  # one each, the grants in the same query
    assert (loaded_reader.username, loaded_rep.username) == ("lesar", "rep")
    assert backend.get_user(gone.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("ikke-et-tall") is None
