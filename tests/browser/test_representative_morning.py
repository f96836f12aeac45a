"""A representative's morning, in Chromium on the demo data, in Bokmål and in Nynorsk (issue 13's "done when").

rep-molde logs in; the start page lists Molde's overdue entries; from there to "Våre oppføringer", where two
rows are confirmed; one entry is edited (and so confirmed); a member is added to a group where Molde has
nobody, with the searchable person chooser and today's date typed as dd.mm.yyyy; the entries are downloaded as
XLSX, three rows changed, uploaded, the review read and confirmed; the reader's group page shows the changes.
"""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from faggruppe_pages.models import FaggruppePage, GroupStatus, Membership, Organisation, Person, Role
from tests.browser.helpers import fill_date, search_chooser, set_language

pytestmark = pytest.mark.browser
ADMIN_ENTRIES = "/admin/vare-oppforinger/"


def translate(language, message, plural=None, count=None):
    with translation.override(language):
        if plural:
            return str(translation.ngettext(message, plural, count))
        return str(translation.gettext(message))


@pytest.fixture
def morning(demo):
    """Molde's list, made to need work: a group with no Molde seat (a gap) and three overdue entries."""
    today = timezone.localdate()
    molde = Organisation.objects.get(slug="molde")
    current = Membership.objects.filter(represents=molde).active_on(today)
    # A faggruppe where Molde holds exactly one seat: ending it yesterday leaves a gap.
    gap_group = next(
        group
        for group in FaggruppePage.objects.live().filter(status=GroupStatus.ACTIVE).order_by("title")
        if current.filter(group=group).count() == 1 and current.filter(group=group).get().start_date < today
    )
    current.filter(group=gap_group).update(end_date=today - datetime.timedelta(days=1))
    seats = list(current.exclude(group=gap_group).filter(start_date__lt=today).order_by("group__path", "pk"))
    long_ago = timezone.now() - datetime.timedelta(days=400)
    overdue = seats[:3]
    Membership.objects.filter(pk__in=[m.pk for m in overdue]).update(last_verified_at=long_ago)
    newcomer = (
        Person.objects.filter(employer=molde, anonymised_at=None)
        .exclude(memberships__group=gap_group)
        .order_by("name", "pk")
        .first()
    )
    return {"molde": molde, "gap_group": gap_group, "overdue": overdue, "others": seats[3:], "newcomer": newcomer}


def stamp(membership):
    return (
        Membership.objects.filter(pk=membership.pk).values_list("last_verified_at", "last_verified_by__username").get()
    )


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_representatives_morning(page, morning, log_in, url, language, tmp_path):
    def t(message, plural=None, count=None):
        return translate(language, message, plural, count)

    molde, gap_group = morning["molde"], morning["gap_group"]
    first, second, third = morning["overdue"]
    set_language(page, url, language)
    log_in(page, "rep-molde")

    # -- the start page lists Molde's overdue entries, with a link to them ---------------------------------
    page.goto(url("/admin/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    panel = page.locator("[data-work-panel]")
    expect(panel.get_by_role("heading", name=t("What needs doing"))).to_be_visible()
    molde_row = panel.locator(f'tr[data-organisation="{molde.pk}"]')
    expect(molde_row.locator('td[data-count="gap"]')).to_contain_text("1")
    overdue_cell = molde_row.locator('td[data-count="overdue"]')
    shown = int(re.match(r"\d+", overdue_cell.inner_text().strip()).group(0))
    assert shown >= 3
    overdue_cell.get_by_role("link").click()

    # -- Våre oppføringer, filtered to the overdue rows: confirm two of them ---------------------------------
    expect(page).to_have_url(re.compile(r"/admin/vare-oppforinger/\?.*status=overdue"))
    rows = page.locator("tr[data-entry]")
    expect(rows).to_have_count(shown)
    expect(page.locator(f'tr[data-entry="{first.pk}"] [data-status="overdue"]')).to_have_text(t("Overdue"))
    page.locator(f"#entry-{first.pk}").check()
    page.locator(f"#entry-{second.pk}").check()
    page.locator("[data-confirm-selected]").click()
    confirmed = t(
        "Confirmed %(count)s entry for %(organisation)s. Thank you!",
        "Confirmed %(count)s entries for %(organisation)s. Thank you!",
        2,
    ) % {"count": 2, "organisation": molde.display_name}
    expect(page.locator(".messages .success")).to_contain_text(confirmed)
    assert stamp(first)[1] == stamp(second)[1] == "rep-molde"
    assert stamp(third)[1] != "rep-molde"
    expect(page.locator(f'tr[data-entry="{first.pk}"]')).to_have_count(0)  # no longer overdue

    # -- edit the third: saving it confirms it ---------------------------------------------------------------
    page.goto(url(f"{ADMIN_ENTRIES}?organisation={molde.pk}"))
    page.locator(f'tr[data-entry="{third.pk}"]').get_by_role("link", name=t("Change or end")).click()
    page.locator("#id_note").fill("Sjekket i dag")
    page.locator("button.action-save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert stamp(third)[1] == "rep-molde"
    page.goto(url(f"{ADMIN_ENTRIES}?organisation={molde.pk}"))
    expect(page.locator(f'tr[data-entry="{third.pk}"] [data-status="ok"]')).to_be_visible()

    # -- add a member to the gap: pre-filled group, the person found by searching, a date typed dd.mm.åååå ----
    page.goto(url(f"{ADMIN_ENTRIES}?organisation={molde.pk}&status=gap"))
    page.locator(f'tr[data-gap="{gap_group.pk}"]').get_by_role("link", name=t("Add a representative")).click()
    expect(page.locator("#id_group-chooser [data-chooser-title]")).to_have_text(gap_group.title)
    newcomer = morning["newcomer"]
    page.locator("#id_person-chooser .unchosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    search_chooser(modal, newcomer.name.split()[-1][:4].lower())
    row = modal.locator("table tbody tr").filter(has_text=newcomer.name).first
    row.get_by_role("link", name=newcomer.name).click()
    expect(page.locator("#id_person-chooser [data-chooser-title]")).to_have_text(newcomer.name)
    starts = timezone.localdate()  # today, typed as a person types it
    fill_date(page.locator("#id_start_date"), starts.strftime("%d.%m.%Y"))
    page.locator("#id_note").click()  # leave the date field: the typed date must stay as typed
    expect(page.locator("#id_start_date")).to_have_value(starts.strftime("%d.%m.%Y"))
    page.locator("button.action-save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    added = Membership.objects.get(person=newcomer, group=gap_group, represents=molde)
    assert added.start_date == starts
    assert added.last_verified_by.username == "rep-molde"

    # -- download the XLSX, change three rows, upload, review, confirm ------------------------------------
    page.goto(url(f"{ADMIN_ENTRIES}?organisation={molde.pk}"))
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as spreadsheet")).click()
    sheet_path = tmp_path / f"molde-{language}.xlsx"
    download.value.save_as(sheet_path)
    book = openpyxl.load_workbook(sheet_path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    col = {name: header.index(name) for name in ("ID", "Rolle", "Sluttdato", "Merknad")}
    by_id = {str(row[col["ID"]].value): row for row in sheet.iter_rows(min_row=2)}
    promoted, ended, noted = morning["others"][:3]
    by_id[str(promoted.pk)][col["Rolle"]].value = "Nestleder"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    by_id[str(ended.pk)][col["Sluttdato"]].value = yesterday.strftime("%d.%m.%Y")
    by_id[str(noted.pk)][col["Merknad"]].value = "Endret i regnearket"
    book.save(sheet_path)

    page.goto(url(f"{ADMIN_ENTRIES}?organisation={molde.pk}"))
    page.get_by_role("link", name=t("Update from a spreadsheet")).click()
    page.locator("input[type=file]").set_input_files(str(sheet_path))
    page.get_by_role("button", name=t("Upload and review")).click()
    summary = page.locator("main")
    expect(summary).to_contain_text(t("%(counter)s changed entry", "%(counter)s changed entries", 2) % {"counter": 2})
    expect(summary).to_contain_text(t("%(counter)s ended seat", "%(counter)s ended seats", 1) % {"counter": 1})
    expect(summary).to_contain_text(t("%(counter)s refused row", "%(counter)s refused rows", 0) % {"counter": 0})
    assert Membership.objects.get(pk=promoted.pk).role == promoted.role  # nothing saved before confirming
    page.get_by_role("button", name=t("Save the changes")).click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert Membership.objects.get(pk=promoted.pk).role == Role.DEPUTY
    assert Membership.objects.get(pk=ended.pk).end_date == yesterday
    assert Membership.objects.get(pk=noted.pk).note == "Endret i regnearket"

    # -- the reader pages show it ------------------------------------------------------------------------
    page.goto(url(promoted.group.url))
    member = page.locator("main tbody tr").filter(has_text=promoted.person.name).first
    expect(member).to_contain_text(translate(language, "Deputy leader"))
    if ended.group_id != promoted.group_id:
        page.goto(url(ended.group.url))
    members = page.locator('section[aria-labelledby="members-heading"]')
    expect(members).not_to_contain_text(ended.person.name)
    # ... but the group keeps its history: the ended seat is among the former members.
    expect(page.locator('section[aria-labelledby="former-heading"]')).to_contain_text(ended.person.name)
