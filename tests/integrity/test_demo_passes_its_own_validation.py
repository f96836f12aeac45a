"""The demo passes its own validation: every demo person and membership saves through its admin form as it is.

And phone numbers are stored one way, however they were typed."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from faggruppe_pages.models import Membership, Person
from faggruppe_pages.validators import format_phone, is_valid_phone, normalise_phone
from tests.security.forms import as_dict, form_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


@pytest.fixture
def staff():
    client = Client()
    client.force_login(get_user_model().objects.get(username="redaksjon"))
    return client


def _save_unchanged(form_class, user, obj):
    """Render the admin form for ``obj``, send back what it shows, and save it (as the edit view does)."""
    from django.http import QueryDict

    shown = form_class(instance=obj, for_user=user)
    html = "<form method=post>" + "".join(str(field) for field in shown) + "</form>"
    data = QueryDict(mutable=True)
    for name, value in form_fields(html):
        data.appendlist(name, value)
    form = form_class(data, instance=type(obj).objects.get(pk=obj.pk), for_user=user)
    if not form.is_valid():
        return f"{obj._meta.model_name} {obj.pk} ({obj}): {form.errors.as_text()}"
    form.save()
    return None


def test_every_demo_person_and_membership_saves_through_its_admin_form_unchanged(staff):
    user = get_user_model().objects.get(username="redaksjon")
    people, memberships = list(Person.objects.order_by("pk")), list(Membership.objects.order_by("pk"))
    assert len(people) > 80 and len(memberships) > 80, "the whole demo"
    before = {p.pk: p.phone for p in people}
    failures = []
    for model, rows in ((Person, people), (Membership, memberships)):
        form_class = model.snippet_viewset.get_edit_handler().get_form_class()
        failures += [f for f in (_save_unchanged(form_class, user, obj) for obj in rows) if f]
    assert failures == []
    # And one of each through the admin's own edit view, as a browser would.
    for obj in (people[0], memberships[0]):
        url = reverse(f"wagtailsnippets_faggruppe_pages_{obj._meta.model_name}:edit", args=[obj.pk])
        assert staff.post(url, as_dict(form_fields(staff.get(url).content.decode()))).status_code == 302
    assert {p.pk: p.phone for p in Person.objects.all()} == before, "saving changed nothing"
    assert all(is_valid_phone(phone) for phone in before.values() if phone)


@pytest.mark.parametrize(
    "typed, stored, shown",
    [
        ("71 23 45 67", "71234567", "71 23 45 67"),
        ("+47 712 34 567", "71234567", "71 23 45 67"),
        ("0047 91234567", "91234567", "912 34 567"),
        ("+4791234567", "91234567", "912 34 567"),
        ("912-34-567", "91234567", "912 34 567"),
        ("+46 8 123 456 78", "+46812345678", "+46812345678"),
    ],
)
def test_a_phone_number_is_stored_one_way_however_it_is_typed(staff, typed, stored, shown):
    person = Person.objects.filter(employer__slug="molde").order_by("pk").first()
    url = reverse("wagtailsnippets_faggruppe_pages_person:edit", args=[person.pk])
    pairs = [(n, v) for n, v in form_fields(staff.get(url).content.decode()) if n != "phone"] + [("phone", typed)]
    assert staff.post(url, as_dict(pairs)).status_code == 302
    person.refresh_from_db()
    assert person.phone == stored and format_phone(person.phone) == shown == person.phone_display


@pytest.mark.parametrize("typed", ["123 45 67", "+47 123 45 67", "ring meg", "+47", "1234567890123456789"])
def test_a_number_that_is_no_phone_number_is_refused_in_norwegian(staff, typed):
    person = Person.objects.filter(employer__slug="molde").order_by("pk").first()
    url = reverse("wagtailsnippets_faggruppe_pages_person:edit", args=[person.pk])
    pairs = [(n, v) for n, v in form_fields(staff.get(url).content.decode()) if n != "phone"] + [("phone", typed)]
    response = staff.post(url, as_dict(pairs))
    assert response.status_code == 200 and "gyldig telefonnummer" in response.content.decode()
    assert Person.objects.get(pk=person.pk).phone == person.phone


def test_normalise_keeps_what_is_not_a_number_for_the_validator():
    assert normalise_phone("") == "" and not is_valid_phone("abc")
