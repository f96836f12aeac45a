"""Tamper suite, generated from the forms: every field that points at another row, every way in.

For every admin model form a non-staff user can reach (every snippet model's add view and the
edit view of a row they may change, the edit view of every group page they may edit, and the
add view of a subpage under it), and for every ``ModelChoiceField`` in that form, a value the
user may not use (another organisation's row, a page that is no group, an unpublished group)
is sent in the body, in the query string, and as a duplicate field in both orders. Each
attempt must be refused: the form is shown again with an error on that field (or the request
is refused), and the database is unchanged. A valid POST of the same form is the positive
control, so the suite cannot pass because the form is broken for other reasons.

Nothing here lists fields by hand: a new foreign key on a reachable form is tampered with the
day it is added, and a field with no rule in ``admin/boundary.py`` fails the form outright.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms import ModelChoiceField
from django.urls import reverse
from wagtail.models import Page, Revision
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from faggruppe_pages.models import ArbeidsgruppePage, GroupPage, Membership, Organisation, OrganisationKind, Person
from tests.factories import ArbeidsgruppePageFactory

from .forms import as_dict, form_fields, replaced, snapshot

pytestmark = pytest.mark.django_db

ROLES = ["rep-molde", "rep-fagforbundet"]
WATCHED = (Membership, Person, Organisation, GroupPage, Revision)
COUNTS = {"forms": 0, "fields": 0, "attempts": 0}


@pytest.fixture(autouse=True)
def _world(demo_world):
    """An unpublished group, so "a group that is not published" has a real row to point at."""
    faggruppe = GroupPage.objects.filter(depth=4).live().first().specific
    ArbeidsgruppePageFactory(parent=faggruppe, title="Upublisert arbeidsgruppe", slug="upublisert", live=False)


def user(username):
    return get_user_model().objects.get(username=username)


def own_organisations(u):
    """From the groups the user is in, independently of the code under test."""
    return Organisation.objects.filter(representatives_group__user=u)


def foreign_values(u, form_model, field_name, field):
    """Rows the user must not point at, decided here from the rules in docs/permissions.md."""
    target = field.queryset.model
    if form_model._meta.app_label == "governance":
        return work_foreign_values(u, target)
    own = own_organisations(u)
    if target is Organisation:
        return list(Organisation.objects.exclude(pk__in=own).order_by("pk")[:2])
    if target is Person:
        people = Person.objects.exclude(employer__in=own)
        if own.filter(kind=OrganisationKind.UNION).exists():
            people = people.exclude(employer__kind=OrganisationKind.MUNICIPALITY)  # a union's tillitsvalgte
        return list(people.order_by("pk")[:2])
    if issubclass(target, Page):
        not_groups = Page.objects.exclude(pk__in=GroupPage.objects.values("pk")).exclude(depth=1)
        return [*not_groups.order_by("pk")[:1], *GroupPage.objects.filter(live=False).order_by("pk")[:1]]
    if target is get_user_model():
        return list(get_user_model().objects.exclude(pk=u.pk).order_by("pk")[:1])
    raise AssertionError(f"{form_model.__name__}.{field_name} points at {target.__name__}: add its rule here")


# -- the group's work (governance/permissions.py): rows belong to a group; people must sit in it ---------------
def own_groups(u):
    """Groups the user is a member of today, through their person (independently of the code under test)."""
    return Membership.objects.active_on().filter(person__user=u).values("group_id")


def work_foreign_values(u, target):
    """Rows a group member must not point at in a meeting's, measure's, benefit's or proposal's form."""
    from governance.models import GoverningBody, Measure

    if target is Person:
        members = Membership.objects.active_on().filter(group__in=own_groups(u)).values("person_id")
        return list(Person.objects.exclude(pk__in=members).order_by("pk")[:2])
    if target is Organisation:
        return list(Organisation.objects.exclude(kind=OrganisationKind.MUNICIPALITY).order_by("pk")[:2])
    if issubclass(target, Page):
        not_groups = Page.objects.exclude(pk__in=GroupPage.objects.values("pk")).exclude(depth=1)
        return [*not_groups.order_by("pk")[:1], *GroupPage.objects.exclude(pk__in=own_groups(u)).order_by("pk")[:1]]
    if target is Measure:
        return [
            Measure.objects.get_or_create(group=GroupPage.objects.exclude(pk__in=own_groups(u)).first(), title="X")[0]
        ]
    if target is GoverningBody:
        return list(GoverningBody.objects.order_by("pk")[:1])
    raise AssertionError(f"{target.__name__}: add the group work's foreign values here")


def work_baseline(label, pairs, u):
    """Fill the blanks of a group work add form: one of the user's groups, a title, a measure of that group."""
    from governance.models import Measure

    group = GroupPage.objects.filter(pk__in=own_groups(u)).order_by("pk").first()
    fill = {"group": group.pk, "title": "Ny sak", "text": "Tekst", "description": "Gevinst", "kind": ""}
    if label == "Meeting add":
        fill.update(starts_at="12.12.2026 13:00", kind="ordinary")
    elif label == "Measure add":
        fill["kind"] = "study"
    elif label == "Benefit add":
        fill.update(measure=Measure.objects.get_or_create(group=group, title="Tamper-tiltak")[0].pk, kind="efficiency")
    elif label == "Proposal add":
        fill["kind"] = "system"
    names = {name for name, _value in pairs}
    for name, value in fill.items():
        if name in names and value != "":
            pairs = replaced(pairs, name, str(value))
    return pairs


def reachable_forms(client, u):
    """(label, url, instance or None) of every admin model form the user can open."""
    found = []
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        found.append((f"{model.__name__} add", reverse(viewset.get_url_name("add")), None))
        policy = policy_registry.get_by_type(model)
        own = policy.instances_user_has_any_permission_for(u, ["change"]).order_by("pk").first()
        if own is not None:
            found.append((f"{model.__name__} edit", reverse(viewset.get_url_name("edit"), args=[own.pk]), own))
    for page in GroupPage.objects.order_by("pk"):
        permissions = page.permissions_for_user(u)
        if permissions.can_edit():
            found.append(
                (f"{page.specific_class.__name__} edit", reverse("wagtailadmin_pages:edit", args=[page.pk]), page)
            )
        if permissions.can_add_subpage() and page.specific_class is not ArbeidsgruppePage:
            url = reverse("wagtailadmin_pages:add", args=["faggruppe_pages", "arbeidsgruppepage", page.pk])
            found.append(("ArbeidsgruppePage add", url, None))
    reachable = []
    for label, url, instance in found:
        response = client.get(url)
        if response.status_code == 200 and "form" in (response.context or {}):
            reachable.append((label, url, instance, response))
    return reachable


def baseline(label, response, u):
    """Valid POST data for the form: what it shows, with the blanks of an add form filled in."""
    pairs = form_fields(response.content.decode())
    form = response.context["form"]
    if label == "Membership add":
        own = Membership.objects.filter(represents__in=own_organisations(u)).order_by("pk").first()
        free_group = GroupPage.objects.live().exclude(memberships__person_id=own.person_id).order_by("pk").first()
        fill = {"person": own.person_id, "group": free_group.pk, "represents": own.represents_id, "role": own.role}
        for name, value in fill.items():
            pairs = replaced(pairs, name, str(value))
    elif label == "Person add":
        pairs = replaced(pairs, "name", "Ny Person")
        pairs = replaced(pairs, "employer", str(own_organisations(u).first().pk))
    elif label == "ArbeidsgruppePage add":
        pairs = replaced(pairs, "title", "Ny arbeidsgruppe")
        pairs = replaced(pairs, "slug", "ny-arbeidsgruppe-tamper")
    elif label in ("Meeting add", "Measure add", "Benefit add", "Proposal add"):
        pairs = work_baseline(label, pairs, u)
    if "Page" in label and "body-count" not in dict(pairs):
        # The StreamField is drawn by JavaScript, so the HTML holds none of its fields: send it empty.
        pairs.append(("body-count", "0"))
    return pairs, form


def points_at(rows, name, pk):
    """How many rows, or revisions (drafts), hold ``pk`` in field ``name``."""
    count = 0
    for label, table in rows.items():
        for row in table:
            if label == "wagtailcore.Revision":
                count += (row["content"] or {}).get(name) == pk
            else:
                count += row.get(f"{name}_id") == pk
    return count


def is_refused(response, field_name):
    if response.status_code in (302, 403, 404):
        return response.status_code != 302 or not response["Location"].startswith(("/admin/snippets", "/admin/pages"))
    if response.status_code == 200 and "form" in response.context:
        return field_name in response.context["form"].errors
    return False


@pytest.mark.parametrize("username", ROLES)
def test_every_foreign_value_is_refused_everywhere(client, username):
    u = user(username)
    client.force_login(u)
    forms = reachable_forms(client, u)
    labels = {label for label, *_rest in forms}
    # The forms this role must reach, so the suite cannot pass by reaching none.
    assert {"Membership add", "Membership edit", "Person add"} <= labels, labels
    failures = []
    for label, url, _instance, response in forms:
        pairs, form = baseline(label, response, u)
        COUNTS["forms"] += 1
        # Positive control: the untouched form saves (rolled back at once).
        with transaction.atomic():
            control = client.post(url, as_dict(pairs))
            assert control.status_code == 302, (
                label,
                control.status_code,
                getattr(control, "context", None) and control.context.get("form") and control.context["form"].errors,
            )
            transaction.set_rollback(True)
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            COUNTS["fields"] += 1
            allowed = dict(pairs).get(name, "")
            for foreign in foreign_values(u, form._meta.model, name, field):
                value = str(foreign.pk)
                attempts = {
                    "body": (url, replaced(pairs, name, value)),
                    "query string": (f"{url}?{urlencode({name: value})}", replaced(pairs, name, value)),
                    "duplicate, foreign last": (url, replaced(pairs, name, allowed, value)),
                    "duplicate, foreign first": (url, replaced(pairs, name, value, allowed)),
                }
                for how, (target, data) in attempts.items():
                    COUNTS["attempts"] += 1
                    before = snapshot(*WATCHED)
                    with transaction.atomic():
                        tampered = client.post(target, as_dict(data))
                        after = snapshot(*WATCHED)
                        transaction.set_rollback(True)
                    if field.disabled or how == "duplicate, foreign first":
                        # A disabled field ignores what is posted, and Django reads the last of two values:
                        # the form may save, but no row or draft may point at the foreign value.
                        if points_at(after, name, foreign.pk) > points_at(before, name, foreign.pk):
                            failures.append(f"{label}: {name}={value} ({how}) was saved")
                        continue
                    if not is_refused(tampered, name) or after != before:
                        failures.append(
                            f"{label}: {name}={value} ({foreign}) via {how}: {tampered.status_code}, "
                            f"data {'changed' if after != before else 'unchanged'}"
                        )
    print(f"\ntamper {username}: {COUNTS}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", ROLES)
def test_query_string_prefill_only_preselects_allowed_rows(client, username):
    """?person=<someone else's employee> on the add view pre-selects nothing, on GET as on POST."""
    u = user(username)
    client.force_login(u)
    add = reverse("wagtailsnippets_faggruppe_pages_membership:add")
    own = own_organisations(u)
    foreign_person = Person.objects.exclude(employer__in=own).exclude(employer__kind=OrganisationKind.MUNICIPALITY)
    foreign_org = Organisation.objects.exclude(pk__in=own).first()
    response = client.get(f"{add}?{urlencode({'person': foreign_person.first().pk, 'represents': foreign_org.pk})}")
    assert response.status_code == 200
    instance = response.context["form"].instance
    assert instance.person_id is None and instance.represents_id is None
    for junk in ("abc", "²", "١", "9223372036854775808", "-1"):
        assert client.get(f"{add}?person={junk}&group={junk}").status_code == 200


def test_registering_a_membership_grants_no_right_to_the_person(client):
    """The first attack: a union registers a municipality's employee; the person record stays the
    municipality's (the union can neither open nor change it)."""
    u = user("rep-fagforbundet")
    client.force_login(u)
    union = own_organisations(u).get()
    molde_person = Person.objects.filter(employer__slug="molde", user__isnull=True).order_by("pk").first()
    group = GroupPage.objects.live().order_by("pk").first()
    response = client.post(
        reverse("wagtailsnippets_faggruppe_pages_membership:add"),
        {
            "person": molde_person.pk,
            "group": group.pk,
            "represents": union.pk,
            "role": "tillitsvalgt",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Membership.objects.filter(person=molde_person, represents=union).exists()
    before = snapshot(Person)
    edit = reverse("wagtailsnippets_faggruppe_pages_person:edit", args=[molde_person.pk])
    assert client.get(edit)["Location"] == "/admin/"
    client.post(edit, {"name": "Overtatt", "employer": union.pk, "email": "x@y.no", "phone": ""})
    assert snapshot(Person) == before
    assert molde_person.phone not in client.get(reverse("wagtailsnippets_faggruppe_pages_person:list")).content.decode()
