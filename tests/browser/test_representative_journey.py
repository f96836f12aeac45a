"""Issue 3's journey in a real browser, on the demo data.

``rep-molde`` ends a Molde seat from "Våre oppføringer", is refused a Rauma seat opened by
typing its URL, and submits a change to the group page they sit in. ``redaksjon`` approves
it, and only then does ``leser`` see the new text. Then ``rep-molde`` registers a new seat
with the membership form's choosers: a person found by part of their name (never Rauma's
people), a group from the flat list of active groups.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppePage, GroupStatus, Membership, Person, Role
from tests.browser.helpers import fill_date, search_chooser
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.browser

GROUP_SLUG = "oppvekst-og-utdanning"
GROUP_PATH = f"/faggrupper/{GROUP_SLUG}/"
NEW_PURPOSE = "Faggruppen samordner digitalisering i barnehage og skole i hele regionen."


def nb(message):
    with translation.override("nb"):
        return str(translation.gettext(message))


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    load_demo()


def log_out(page, url):
    """Log out means a POST from the menu; a new person at the keyboard is the same as no session cookie."""
    page.context.clear_cookies()


def open_more_actions(page):
    """The page editor's footer: the primary button, and the rest behind the "more actions" toggle."""
    page.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def test_representative_edits_own_entry_is_refused_another_and_page_change_is_approved(page, demo, log_in, url):
    group = FaggruppePage.objects.get(slug=GROUP_SLUG)
    old_purpose = group.purpose
    molde_substitute = Membership.objects.get(group=group, represents__slug="molde", role=Role.SUBSTITUTE)
    rauma_seat = Membership.objects.filter(group=group, represents__slug="rauma", end_date=None).first()
    rauma_before = Membership.objects.filter(pk=rauma_seat.pk).values().get()

    # -- rep-molde: own entries, from "Våre oppføringer" -------------------------------------
    log_in(page, "rep-molde")
    page.goto(url("/admin/vare-oppforinger/"))
    body = page.locator("main")
    expect(body).to_contain_text(molde_substitute.person.name)
    expect(body).not_to_contain_text(rauma_seat.person.name)
    row = page.locator("table.listing tbody tr").filter(has_text=molde_substitute.person.name)
    row.get_by_role("link", name=nb("Change or end")).click()
    expect(page).to_have_url(url(f"/admin/snippets/faggruppe_pages/membership/edit/{molde_substitute.pk}/"))

    ends = timezone.localdate() + datetime.timedelta(days=30)  # relative: a fixed date turns into the past
    fill_date(page.locator("#id_end_date"), ends.isoformat())
    page.locator("button.action-save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    molde_substitute.refresh_from_db()
    assert molde_substitute.end_date == ends

    # -- rep-molde types the URL of a Rauma seat: refused, nothing shown, nothing changed -----
    page.goto(url(f"/admin/snippets/faggruppe_pages/membership/edit/{rauma_seat.pk}/"))
    expect(page).not_to_have_url(url(f"/admin/snippets/faggruppe_pages/membership/edit/{rauma_seat.pk}/"))
    expect(page.locator(".messages .error")).to_contain_text(
        nb("Sorry, you do not have permission to access this area.")
    )
    expect(page.locator("#id_end_date")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(rauma_seat.person.name)
    assert Membership.objects.filter(pk=rauma_seat.pk).values().get() == rauma_before

    # -- rep-molde sits in the group, so may edit its page, but only submit it for approval ---
    page.goto(url(f"/admin/pages/{group.pk}/edit/"))
    expect(page.locator("button[name=action-publish]")).to_have_count(0)
    page.locator("#id_purpose").fill(NEW_PURPOSE)
    open_more_actions(page)
    mail.outbox.clear()
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert any("redaksjon@demo.ror-ikt.no" in message.to for message in mail.outbox), [m.to for m in mail.outbox]
    log_out(page, url)

    # -- leser still sees the approved version ------------------------------------------------
    log_in(page, "leser")
    page.goto(url(GROUP_PATH))
    expect(page.locator("main")).to_contain_text(old_purpose)
    expect(page.locator("main")).not_to_contain_text(NEW_PURPOSE)
    log_out(page, url)

    # -- redaksjon approves from the page editor ----------------------------------------------
    log_in(page, "redaksjon")
    mail.outbox.clear()
    page.goto(url(f"/admin/pages/{group.pk}/edit/"))
    expect(page.locator("#id_purpose")).to_have_value(NEW_PURPOSE)
    open_more_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    expect(page.locator(".messages .success")).to_be_visible()
    group.refresh_from_db()
    assert group.purpose == NEW_PURPOSE and group.live and not group.has_unpublished_changes
    # The submitter is told.
    assert any("rep-molde@demo.ror-ikt.no" in message.to for message in mail.outbox), [m.to for m in mail.outbox]
    log_out(page, url)

    # -- leser now sees the new version --------------------------------------------------------
    log_in(page, "leser")
    page.goto(url(GROUP_PATH))
    expect(page.locator("main")).to_contain_text(NEW_PURPOSE)
    expect(page.locator("main")).not_to_contain_text(old_purpose)


def test_representative_registers_a_seat_with_the_choosers(page, demo, log_in, url):
    person = Person.objects.filter(employer__slug="molde", anonymised_at=None, user=None).order_by("name", "pk").first()
    rauma_person = Person.objects.filter(employer__slug="rauma").order_by("pk").first()
    group = (
        ArbeidsgruppePage.objects.live()
        .filter(status=GroupStatus.ACTIVE)
        .exclude(memberships__person=person)
        .order_by("title")
        .first()
    )
    faggruppe = group.get_parent()
    closed = ArbeidsgruppePage.objects.filter(status=GroupStatus.CLOSED).first()
    count = Membership.objects.count()

    log_in(page, "rep-molde")
    page.goto(url("/admin/snippets/faggruppe_pages/membership/add/"))

    # -- the person: searched by part of the last name, shown with job title, employer and e-mail ------
    page.locator("#id_person-chooser .unchosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal.locator("table thead")).to_contain_text(nb("Job title"))
    headers = modal.locator("table thead th").all_inner_texts()
    assert [h.strip() for h in headers] == [nb("Name"), nb("Job title"), nb("Employer"), nb("E-mail")]
    # Rauma's people are not Molde's to choose, whatever is typed.
    search_chooser(modal, rauma_person.name)
    expect(modal.locator("#search-results")).not_to_contain_text("Rauma kommune")
    fragment = person.name.split()[-1][:4].lower()
    search_chooser(modal, fragment)
    row = modal.locator("table tbody tr").filter(has_text=person.name).first
    expect(row).to_contain_text(person.job_title)
    expect(row).to_contain_text(person.employer.name)
    expect(modal.locator("#search-results")).not_to_contain_text("Rauma kommune")
    row.get_by_role("link", name=person.name).click()
    expect(page.locator("#id_person-chooser [data-chooser-title]")).to_have_text(person.name)
    assert page.locator("input[name=person]").input_value() == str(person.pk)

    # -- the group: a flat list of active groups with their faggruppe, searched by the faggruppe --------
    page.locator("#id_group-chooser .unchosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal.locator("table thead")).to_contain_text(nb("Belongs to"))
    expect(modal.locator("#search-results")).not_to_contain_text(closed.title)
    search_chooser(modal, faggruppe.title.split()[0].lower())
    row = modal.locator("table tbody tr").filter(has_text=group.title).first
    expect(row).to_contain_text(faggruppe.title)
    expect(row).to_contain_text(nb("arbeidsgruppe").capitalize())
    row.get_by_role("link", name=group.title).click()
    expect(page.locator("#id_group-chooser [data-chooser-title]")).to_have_text(group.title)
    assert page.locator("input[name=group]").input_value() == str(group.pk)

    page.locator("#id_represents").select_option(label="Molde kommune")
    page.locator("button.action-save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert Membership.objects.count() == count + 1
    assert Membership.objects.filter(person=person, group=group, represents__slug="molde").exists()
