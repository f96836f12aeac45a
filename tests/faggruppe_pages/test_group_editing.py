"""Members with accounts edit their group's pages; publishing goes through the staff's approval workflow."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from faggruppe_pages.models import FaggruppePage, OrganisationKind
from faggruppe_pages.upkeep.setup import ensure_staff_group, setup_portal
from faggruppe_pages.upkeep.sync import sync_all
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


@pytest.fixture
def setup(db):
    index = make_index()
    group = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk", purpose="Gammelt formål")
    sub = ArbeidsgruppePageFactory(parent=group, title="Arbeidsgruppe kart", slug="kart")
    other = FaggruppePageFactory(parent=index, title="Økonomi", slug="okonomi")
    molde = OrganisationFactory(slug="molde", short_name="Molde")
    member = UserFactory(username="medlem", email="medlem@molde.kommune.no", first_name="Mia", last_name="Medlem")
    person = PersonFactory(employer=molde, user=member)
    membership = MembershipFactory(group=group, person=person, represents=molde)
    editor = UserFactory(username="redaksjon", email="redaksjon@ror-ikt.no")
    setup_portal()
    editor.groups.add(ensure_staff_group())
    return {
        "index": index,
        "group": group,
        "sub": sub,
        "other": other,
        "member": member,
        "editor": editor,
        "membership": membership,
        "reader": UserFactory(username="leser"),
    }


def edit_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "purpose": page.purpose,
        "area": "",
        "contact_email": "",
        "body": streamfield([]),
        "status": "active",
        "closed_on": "",
        "successor": "",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(changes)
    return nested_form_data(data)


def test_active_member_with_account_may_edit_the_group_and_its_arbeidsgrupper(client, setup):
    client.force_login(setup["member"])
    for page in (setup["group"], setup["sub"]):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    perms = setup["group"].permissions_for_user(setup["member"])
    assert perms.can_edit() and not perms.can_publish()


def test_member_may_not_edit_another_group(client, setup):
    client.force_login(setup["member"])
    response = client.get(f"/admin/pages/{setup['other'].pk}/edit/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_member_cannot_publish_even_with_a_forged_publish_button(client, setup):
    client.force_login(setup["member"])
    group = setup["group"]
    client.post(
        f"/admin/pages/{group.pk}/edit/",
        {**edit_data(group, purpose="Publisert uten godkjenning"), "action-publish": "1"},
    )
    live = FaggruppePage.objects.get(pk=group.pk)
    assert live.purpose == "Gammelt formål"


def test_submit_approve_and_readers_see_only_the_approved_version(client, setup):
    group, member, editor = setup["group"], setup["member"], setup["editor"]
    client.force_login(member)
    response = client.post(
        f"/admin/pages/{group.pk}/edit/", {**edit_data(group, purpose="Nytt formål"), "action-submit": "1"}
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(group.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [m.to for m in mail.outbox] == [[editor.email]]  # staff are told
    assert "Teknisk" in mail.outbox[0].subject

    reader = client.__class__()
    reader.force_login(setup["reader"])
    assert "Gammelt formål" in reader.get("/faggrupper/teknisk/").content.decode()

    mail.outbox.clear()
    client.force_login(editor)
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    response = client.post(
        f"/admin/pages/workflow/action/{group.pk}/approve/{task_state.pk}/", {"comment": "Ser bra ut"}
    )
    assert response.status_code in (200, 302)
    group.refresh_from_db()
    assert group.purpose == "Nytt formål" and group.live
    assert any(m.to == [member.email] for m in mail.outbox)  # the submitter is told
    page = reader.get("/faggrupper/teknisk/").content.decode()
    assert "Nytt formål" in page and "Gammelt formål" not in page


def test_rejection_with_comment_reaches_the_submitter_and_nothing_is_published(client, setup):
    group, member, editor = setup["group"], setup["member"], setup["editor"]
    client.force_login(member)
    client.post(f"/admin/pages/{group.pk}/edit/", {**edit_data(group, purpose="Dårlig forslag"), "action-submit": "1"})
    state = WorkflowState.objects.get(object_id=str(group.pk))
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    mail.outbox.clear()
    client.force_login(editor)
    client.post(f"/admin/pages/workflow/action/{group.pk}/reject/{task_state.pk}/", {"comment": "Skriv om formålet"})
    group.refresh_from_db()
    assert group.purpose == "Gammelt formål"
    to_member = [m for m in mail.outbox if m.to == [member.email]]
    assert to_member and "Skriv om formålet" in to_member[0].body


def test_rights_end_when_the_membership_ends(client, setup):
    membership = setup["membership"]
    membership.end_date = datetime.date(2020, 1, 1)
    membership.start_date = datetime.date(2019, 1, 1)
    membership.save()
    client.force_login(setup["member"])
    assert client.get(f"/admin/pages/{setup['group'].pk}/edit/").status_code == 302


def test_daily_sync_revokes_rights_when_a_term_runs_out(setup):
    membership = setup["membership"]
    membership.end_date = datetime.date.today()
    membership.save()
    group = FaggruppePage.objects.get(pk=setup["group"].pk)
    assert setup["member"] in group.editors_group.user_set.all()  # still active today
    sync_all(today=datetime.date.today() + datetime.timedelta(days=1))
    assert setup["member"] not in group.editors_group.user_set.all()


def test_rights_start_on_the_first_day_of_the_term_not_before(setup):
    membership = setup["membership"]
    start = datetime.date.today() + datetime.timedelta(days=3)
    membership.start_date = start
    membership.save()
    group = FaggruppePage.objects.get(pk=setup["group"].pk)
    sync_all(today=start - datetime.timedelta(days=1))
    assert setup["member"] not in group.editors_group.user_set.all(), "a coming member may not edit yet"
    sync_all(today=start)
    assert setup["member"] in group.editors_group.user_set.all()


def test_sync_command_runs(setup, capsys):
    call_command("sync_group_editors")
    assert "Synced" in capsys.readouterr().out


def test_linking_a_user_to_a_person_grants_rights(setup):
    other_user = UserFactory(username="ny")
    person = PersonFactory(employer=setup["membership"].represents)
    MembershipFactory(group=setup["other"], person=person, represents=setup["membership"].represents)
    setup["other"].refresh_from_db()
    assert other_user not in setup["other"].editors_group.user_set.all()
    person.user = other_user
    person.save()
    assert other_user in FaggruppePage.objects.get(pk=setup["other"].pk).editors_group.user_set.all()


def test_editors_group_grants_no_publish(setup):
    from wagtail.models import GroupPagePermission

    codenames = set(
        GroupPagePermission.objects.filter(
            group=FaggruppePage.objects.get(pk=setup["group"].pk).editors_group
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page"}
    assert Page.objects.get(pk=setup["group"].pk).permissions_for_user(setup["member"]).can_publish() is False


def test_an_organisation_that_no_longer_has_representatives_takes_their_right_back(client, db):
    sunndal = OrganisationFactory(slug="sunndal", name="Sunndal kommune")
    sunndal.refresh_from_db()
    rep = UserFactory(username="rep-sunndal")
    rep.groups.add(sunndal.representatives_group)
    client.force_login(rep)
    assert client.get("/admin/vare-oppforinger/").status_code == 200
    sunndal.kind = OrganisationKind.COOPERATION  # the cooperation's seats belong to staff
    sunndal.save()
    response = client.get("/admin/vare-oppforinger/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
