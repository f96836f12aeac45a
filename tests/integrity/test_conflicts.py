"""No silent overwrite: two sessions open the same record; the second save from the older form is refused.

For every model with an admin form: A and B open the edit form; B saves a change; A saves what A typed
into the form loaded before B's save. A is refused with who (B's name), what (the field) and when; B's
change is still saved; A's input is still in the form; saving that form again is a deliberate overwrite.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from faggruppe_pages.models import GroupPage, Membership, Organisation, Person
from governance.models import GoverningBody, Mandate
from tests.security.forms import as_dict, form_fields, replaced, stream_pairs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def session(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def errors(response):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return [
        e.get_text(" ", strip=True)
        for e in soup.select(
            ".error-message, .help-critical, .messages, .w-field__errors, [id$=-errors], .w-field--error"
        )
    ]


def open_form(client, url, obj):
    """What the browser sends: the form's fields, and the block editors' content as their JavaScript posts it."""
    response = client.get(url)
    assert response.status_code == 200, url
    pairs = form_fields(response.content.decode())
    shown = obj.get_latest_revision_as_object() if hasattr(obj, "get_latest_revision_as_object") else obj
    return pairs + stream_pairs(shown, [f.name for f in shown._meta.get_fields() if f.name not in dict(pairs)])


def membership_of(slug):
    return Membership.objects.filter(represents__slug=slug, end_date__isnull=True).order_by("pk").first()


def person_of(slug):
    return Person.objects.filter(employer__slug=slug, user__isnull=True).order_by("pk").first()


def page_edited_by_member():
    """A group page on which rep-molde (a member with an account) may edit drafts."""
    user = get_user_model().objects.get(username="rep-molde")
    for page in GroupPage.objects.live().order_by("pk"):
        if page.permissions_for_user(user).can_edit():
            return page
    raise AssertionError("rep-molde can edit no group page")


def _latest(obj):
    """What the editor shows: the latest revision for pages and mandates, the row otherwise."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    return obj.get_latest_revision_as_object() if hasattr(obj, "get_latest_revision_as_object") else obj


def _edit_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    if isinstance(obj, GoverningBody):
        return reverse("governance_governingbody:edit", args=[obj.pk])
    return reverse(f"wagtailsnippets_{obj._meta.app_label}_{obj._meta.model_name}:edit", args=[obj.pk])


CASES = [
    # (the record, A and what A changes, B and what B changes in between)
    pytest.param(
        lambda: membership_of("molde"),
        "rep-molde",
        "note",
        "Notat fra Molde",
        "redaksjon",
        "end_date",
        "2031-12-31",
        id="membership",
    ),
    pytest.param(
        lambda: person_of("molde"), "rep-molde", "job_title", "Rådgiver", "redaksjon", "phone", "91234567", id="person"
    ),
    pytest.param(
        lambda: Organisation.objects.get(slug="molde"),
        "admin",
        "short_name",
        "Molde K",
        "redaksjon",
        "name",
        "Molde kommune (ny)",
        id="organisation",
    ),
    # A member's draft, then staff publishing from a form opened before it.
    pytest.param(
        page_edited_by_member,
        "redaksjon",
        "slug",
        "staff-slug",
        "rep-molde",
        "title",
        "Member's new title",
        id="group page",
    ),
    pytest.param(
        lambda: Mandate.objects.order_by("-pk").first(),
        "admin",
        "case_number",
        "ST 9/26",
        "redaksjon",
        "title",
        "Mandat, revidert",
        id="mandate",
    ),
    pytest.param(
        lambda: GoverningBody.objects.order_by("pk").first(),
        "admin",
        "description",
        "Ny beskrivelse",
        "redaksjon",
        "name",
        "Styret (nytt navn)",
        id="governing body",
    ),
]


@pytest.mark.parametrize("record, user_a, field_a, value_a, user_b, field_b, value_b", CASES)
def test_older_form_is_refused_with_who_what_when(record, user_a, field_a, value_a, user_b, field_b, value_b):
    obj = record()
    url = _edit_url(obj)
    a, b = session(user_a), session(user_b)
    form_a = open_form(a, url, obj)
    form_b = open_form(b, url, obj)
    assert field_a in dict(form_a) and field_b in dict(form_b), "the fields this test changes are on the form"

    response = b.post(url, as_dict(replaced(form_b, field_b, value_b)))
    assert response.status_code == 302, ("B's save goes through", errors(response))
    assert str(getattr(_latest(obj), field_b)) == value_b

    publish = [("action-publish", "action-publish")] if isinstance(obj, Page) else []
    response = a.post(url, as_dict(replaced(form_a, field_a, value_a) + publish))
    assert response.status_code == 200, "A's save from the older form is refused"
    html = response.content.decode()
    b_user = get_user_model().objects.get(username=user_b)
    assert b_user.get_full_name() in html, "says who saved in between"
    assert "etter at du åpnet" in html and "Ingenting ble lagret" in html
    saved = _latest(obj)
    assert str(getattr(saved, field_b)) == value_b, "B's change is not overwritten"
    assert str(getattr(saved, field_a)) != value_a, "A's change is not saved"
    if isinstance(obj, Page):
        assert str(getattr(type(obj).objects.get(pk=obj.pk), field_a)) != value_a, "nothing was published"
    again = form_fields(html) + [pair for pair in form_a if "-" in pair[0] and pair[0] not in dict(form_fields(html))]
    assert dict(again)[field_a] == value_a, "what A typed is kept in the form"

    # A did not touch B's field: the form now holds B's value, so saving it again keeps both changes.
    assert dict(again)[field_b] == value_b, "the other person's value is filled into a field A left alone"
    response = a.post(url, as_dict(again + publish))
    assert response.status_code == 302, errors(response)
    saved = _latest(obj)
    assert (str(getattr(saved, field_a)), str(getattr(saved, field_b))) == (value_a, value_b)


def test_both_changed_the_same_field_and_the_second_save_is_a_deliberate_overwrite(client):
    membership = membership_of("molde")
    url = _edit_url(membership)
    a, b = session("rep-molde"), session("redaksjon")
    form_a, form_b = open_form(a, url, membership), open_form(b, url, membership)
    assert b.post(url, as_dict(replaced(form_b, "note", "Fra redaksjonen"))).status_code == 302
    response = a.post(url, as_dict(replaced(form_a, "note", "Fra Molde")))
    html = response.content.decode()
    assert response.status_code == 200 and "Fra redaksjonen" in html, "shows what is saved now"
    assert Membership.objects.get(pk=membership.pk).note == "Fra redaksjonen"
    again = form_fields(html)
    assert dict(again)["note"] == "Fra Molde", "A's own text is kept"
    assert a.post(url, as_dict(again)).status_code == 302
    assert Membership.objects.get(pk=membership.pk).note == "Fra Molde"


def test_a_form_with_no_change_in_between_saves(client):
    membership = membership_of("molde")
    url = reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[membership.pk])
    client.force_login(get_user_model().objects.get(username="rep-molde"))
    form = open_form(client, url, membership)
    assert client.post(url, as_dict(replaced(form, "note", "Ny"))).status_code == 302
    assert Membership.objects.get(pk=membership.pk).note == "Ny"


def test_a_change_to_another_field_not_on_the_form_is_no_conflict(client):
    """Confirming a list ("Alt stemmer") changes last_verified_at, which the form does not edit."""
    from django.utils import timezone

    membership = membership_of("molde")
    url = reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[membership.pk])
    client.force_login(get_user_model().objects.get(username="rep-molde"))
    form = open_form(client, url, membership)
    Membership.objects.filter(pk=membership.pk).update(last_verified_at=timezone.now())
    assert client.post(url, as_dict(replaced(form, "note", "Ny"))).status_code == 302
