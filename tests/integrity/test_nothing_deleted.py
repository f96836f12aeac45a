"""Nothing with history is hard-deleted: groups are closed, memberships withdrawn, organisations take their
representatives' group with them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Revision

from faggruppe_pages.models import GroupPage, Membership, Organisation
from governance.models import Mandate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def session(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def group_with_members():
    return GroupPage.objects.filter(memberships__isnull=False).distinct().order_by("pk").first()


# -- group pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["redaksjon", "admin"])
def test_a_group_with_members_cannot_be_deleted_and_the_message_says_close_it(username):
    group = group_with_members()
    count = Membership.all_objects.filter(group=group).count()
    client = session(username)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[group.pk]), follow=True)
    html = response.content.decode()
    assert "kan ikke slettes" in html and "Steng gruppen" in html
    assert GroupPage.objects.filter(pk=group.pk).exists()
    assert Membership.all_objects.filter(group=group).count() == count


def test_deleting_the_parent_of_groups_with_history_is_refused():
    group = group_with_members()
    parent = group.get_parent()
    response = session("admin").post(reverse("wagtailadmin_pages:delete", args=[parent.pk]), follow=True)
    assert "kan ikke slettes" in response.content.decode()
    assert Page.objects.filter(pk=parent.pk).exists() and GroupPage.objects.filter(pk=group.pk).exists()


def test_bulk_deleting_a_group_with_history_is_refused():
    group = group_with_members()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={group.pk}"
    client = session("admin")
    # Wagtail offers no confirmation: the memberships are protected references.
    assert 'type="submit"' not in client.get(url).content.decode().split("<main", 1)[1]
    client.post(url, {}, follow=True)
    assert GroupPage.objects.filter(pk=group.pk).exists()
    assert Membership.all_objects.filter(group=group).exists()


def test_bulk_deleting_the_parent_of_groups_with_history_is_refused_with_the_reason():
    group = group_with_members()
    parent = group.get_parent()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={parent.pk}"
    response = session("admin").post(url, {}, follow=True)
    assert response.status_code == 200 and "kan ikke slettes" in response.content.decode()
    assert GroupPage.objects.filter(pk=group.pk).exists()
    assert Membership.all_objects.filter(group=group).exists()


def test_a_group_with_only_a_mandate_cannot_be_deleted():
    mandate = Mandate.objects.filter(group__isnull=False).select_related("group").first()
    assert mandate is not None, "the demo has a group mandate"
    Membership.all_objects.filter(group=mandate.group).delete()
    response = session("admin").post(reverse("wagtailadmin_pages:delete", args=[mandate.group_id]), follow=True)
    assert "kan ikke slettes" in response.content.decode()
    assert Mandate.objects.filter(pk=mandate.pk).exists()


def test_a_group_without_history_can_be_deleted():
    parent = group_with_members().get_parent()
    empty = parent.add_child(instance=type(group_with_members().specific)(title="Tom gruppe", slug="tom-gruppe"))
    response = session("admin").post(reverse("wagtailadmin_pages:delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=empty.pk).exists()


def test_the_database_refuses_deleting_a_group_with_members_whatever_the_path():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        group_with_members().delete()


# -- memberships --------------------------------------------------------------------------------------------


def fresh_membership(slug="molde"):
    """An entry of the organisation registered today."""
    m = Membership.objects.filter(represents__slug=slug).order_by("pk").first()
    Membership.objects.filter(pk=m.pk).update(created_at=timezone.now())
    return Membership.objects.get(pk=m.pk)


def withdraw_url(m):
    return reverse("wagtailsnippets_faggruppe_pages_membership:delete", args=[m.pk])


def reader_sees(reader, m):
    """Whether the reader finds the person of ``m`` in the overview's CSV and on the group's page."""
    csv = reader.get("/faggrupper/medlemsoversikt/csv/").content.decode("utf-8-sig")
    group_page = reader.get(m.group.url).content.decode()
    return m.person.name in csv, m.person.name in group_page


def test_a_representative_withdraws_an_entry_registered_in_error_and_it_is_gone_from_every_list():
    m = fresh_membership()
    # The person holds this seat only, so once it is withdrawn their name has no reason to be on any list.
    assert list(Membership.objects.filter(person=m.person)) == [m]
    reader = session("leser")
    assert reader_sees(reader, m) == (True, True)
    revisions = Revision.objects.filter(object_id=str(m.pk), base_content_type__model="membership").count()
    client = session("rep-molde")
    page = client.get(withdraw_url(m)).content.decode()
    assert "Registrert ved en feil" in page and "sluttdato" in page

    response = client.post(withdraw_url(m), {"reason": "Feil gruppe"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists(), "gone from lists, counts, exports, compliance"
    kept = Membership.all_objects.get(pk=m.pk)
    assert kept.withdrawal_reason == "Feil gruppe" and kept.withdrawn_by.username == "rep-molde"
    assert Revision.objects.filter(object_id=str(m.pk), base_content_type__model="membership").count() == revisions
    assert ModelLogEntry.objects.filter(object_id=str(m.pk), action="faggruppe_pages.withdraw").exists()

    # Gone from the reader's pages and downloads.
    assert reader_sees(reader, m) == (False, False)


def test_withdrawing_an_old_entry_is_refused_with_end_it_instead():
    m = Membership.objects.filter(represents__slug="molde").order_by("pk").first()
    Membership.objects.filter(pk=m.pk).update(created_at=timezone.now() - datetime.timedelta(days=15))
    client = session("rep-molde")
    response = client.post(withdraw_url(m), {"reason": "x"}, follow=True)
    assert "sluttdato" in response.content.decode()
    assert Membership.objects.filter(pk=m.pk).exists()


def test_another_municipality_cannot_withdraw():
    m = fresh_membership("molde")
    response = session("rep-rauma").post(withdraw_url(m), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert Membership.objects.filter(pk=m.pk).exists()


def test_staff_restore_a_withdrawn_entry_and_its_history_stays_readable():
    m = fresh_membership()
    session("rep-molde").post(withdraw_url(m), {"reason": "Feil"})
    staff = session("redaksjon")
    listing = staff.get(reverse("faggruppe_pages_withdrawn_memberships")).content.decode()
    assert str(m.person) in listing and "Feil" in listing
    history = staff.get(reverse("wagtailsnippets_faggruppe_pages_membership:history", args=[m.pk]))
    assert history.status_code == 200

    # A representative cannot restore or list withdrawn entries.
    rep = session("rep-molde")
    assert rep.post(reverse("faggruppe_pages_restore_membership", args=[m.pk])).status_code in (302, 403)
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert rep.get(reverse("faggruppe_pages_withdrawn_memberships")).status_code in (302, 403)

    assert staff.post(reverse("faggruppe_pages_restore_membership", args=[m.pk])).status_code == 302
    assert Membership.objects.filter(pk=m.pk).exists()
    assert ModelLogEntry.objects.filter(object_id=str(m.pk), action="faggruppe_pages.restore").exists()


def test_the_same_seat_can_be_registered_again_after_a_withdrawal():
    m = fresh_membership()
    m.withdraw(get_user_model().objects.get(username="rep-molde"), "dobbelt")
    again = Membership(person=m.person, group=m.group, represents=m.represents, role=m.role, start_date=m.start_date)
    again.full_clean()
    again.save()
    # Restoring the withdrawn one now clashes: refused with the reason, nothing changes.
    response = session("redaksjon").post(reverse("faggruppe_pages_restore_membership", args=[m.pk]), follow=True)
    assert "kunne ikke gjenopprettes" in response.content.decode()
    assert Membership.all_objects.get(pk=m.pk).is_withdrawn


def test_bulk_delete_of_memberships_is_refused():
    m = Membership.objects.order_by("pk").first()
    url = reverse("wagtail_bulk_action", args=["faggruppe_pages", "membership", "delete"]) + f"?id={m.pk}"
    session("admin").post(url, follow=True)
    assert Membership.objects.filter(pk=m.pk).exists()


# -- organisations --------------------------------------------------------------------------------------------


def test_deleting_an_organisation_removes_its_representatives_group():
    org = Organisation.objects.create(
        name="Testkommune", slug="testkommune", kind="municipality", municipality_number="9999"
    )
    org.refresh_from_db()
    group_id = org.representatives_group_id
    assert group_id is not None
    user = get_user_model().objects.create(username="rep-test")
    user.groups.add(group_id)
    response = session("admin").post(reverse("wagtailsnippets_faggruppe_pages_organisation:delete", args=[org.pk]))
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group_id).exists()
    user.refresh_from_db()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_the_withdrawal_stays_in_the_organisations_history():
    m = fresh_membership()
    client = session("rep-molde")
    client.post(withdraw_url(m), {"reason": "Feil"})
    page = client.get(reverse("faggruppe_pages_our_entries")).content.decode()
    assert "Trukket tilbake som registrert ved en feil" in page
