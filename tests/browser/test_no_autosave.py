"""Nothing is stored before "Lagre": Wagtail 8's autosave is off for entries that have no drafts.

rep-molde opens "add membership" with the person and the group pre-selected (as linked from a
group page's editor), types a note, waits well past the autosave interval and leaves the page:
no membership exists. The same on the edit form of an existing entry: the note typed but not
saved never reaches the database, so readers never see it.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from faggruppe_pages.models import GroupPage, Membership, Person

pytestmark = pytest.mark.browser

#: Well past Wagtail's autosave interval (WAGTAIL_AUTOSAVE_INTERVAL, 500 ms by default).
WAIT_MS = 4 * getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500) + 2000
#: Wagtail's unsaved-changes controller records the form's initial state 2 s after load.
UNSAVED_SETTLE_MS = 2500


def test_add_and_edit_forms_store_nothing_until_saved(page, demo, log_in, url):
    rep = get_user_model().objects.get(username="rep-molde")
    person = Person.objects.filter(employer__slug="molde").exclude(user=rep).order_by("pk").first()
    group = GroupPage.objects.live().exclude(memberships__person=person).order_by("pk").first()
    count = Membership.objects.count()

    log_in(page, "rep-molde")
    page.goto(url(f"/admin/snippets/faggruppe_pages/membership/add/?person={person.pk}&group={group.pk}"))
    # Wagtail takes the form's initial state UNSAVED_SETTLE_MS after loading; only later edits count.
    page.wait_for_timeout(UNSAVED_SETTLE_MS)
    # Pre-selected through the query string, exactly as if chosen in the choosers.
    assert page.locator("input[name=person]").input_value() == str(person.pk)
    assert page.locator("input[name=group]").input_value() == str(group.pk)
    page.locator("#id_represents").select_option(label="Molde kommune")
    page.locator("#id_note").fill("Skrevet, aldri lagret")
    page.wait_for_timeout(WAIT_MS)
    page.goto(url("/admin/"))
    assert Membership.objects.count() == count
    assert not Membership.objects.filter(note="Skrevet, aldri lagret").exists()

    own = Membership.objects.filter(represents__slug="molde").order_by("pk").first()
    note_before = own.note
    page.goto(url(f"/admin/snippets/faggruppe_pages/membership/edit/{own.pk}/"))
    page.wait_for_timeout(UNSAVED_SETTLE_MS)
    page.locator("#id_note").fill("Endret, aldri lagret")
    page.wait_for_timeout(WAIT_MS)
    page.goto(url("/admin/"))
    own.refresh_from_db()
    assert own.note == note_before
    assert own.revisions.filter(content__note="Endret, aldri lagret").count() == 0
