"""A reader's meetings in a real browser: the meeting with published minutes, the group's archive, the group page's
Møter section and "Mine grupper" with the calendar address, in Bokmål and in Nynorsk; axe finds no violations."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from faggruppe_pages.models import Role
from governance.models import ItemKind, MeetingKind
from tests.browser.helpers import PHONE, assert_no_violations, open_page
from tests.factories import FaggruppePageFactory, MembershipFactory, OrganisationFactory, PersonFactory, make_index
from tests.governance.test_meetings_reader import make_meeting, publish_minutes

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=20)


@pytest.fixture
def meetings(transactional_db, reader):
    index = make_index()
    group = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde")
    people = {
        name: PersonFactory(name=name, employer=molde)
        for name in ("Kari Leder", "Ola Referent", "Siri Forfall", "Vara Vikarsen")
    }
    people["Lene Leser"] = PersonFactory(name="Lene Leser", employer=molde, user=reader)
    for name, person in people.items():
        MembershipFactory(
            person=person, group=group, represents=molde, role=Role.LEADER if name == "Kari Leder" else Role.MEMBER
        )
    held = make_meeting(
        group,
        PAST,
        place="Molde rådhus, møterom 3",
        video_link="https://teams.example.no/l/meetup-join/19%3ameeting_sveip",
        notice="Velkommen til møte i faggruppa.",
        items=[
            {"title": "Godkjenning av innkalling og saksliste", "presenter": "Kari Leder"},
            {"title": "Ny plattform for fagsystemer", "presenter": "Ola Referent"},
            {"title": "Orientering om anskaffelser", "kind": ItemKind.INFORMATION},
        ],
    )
    publish_minutes(
        held,
        chair=people["Kari Leder"],
        minute_taker=people["Ola Referent"],
        present=[people["Kari Leder"], people["Ola Referent"], people["Lene Leser"]],
        apologies=[people["Siri Forfall"]],
        substitutes=[(people["Vara Vikarsen"], people["Siri Forfall"])],
        decisions=["Godkjent.", "Faggruppa anbefaler plattform B.", "Tatt til orientering."],
    )
    make_meeting(group, PAST - datetime.timedelta(days=3), kind=MeetingKind.URGENT, items=["Hastesak om lisenser"])
    make_meeting(group, TODAY + datetime.timedelta(days=10), place="Teams", items=["Budsjett", "Eventuelt"])
    return {"group": group, "held": held}


def choose_language(page, code):
    """The language menu at the bottom of every page."""
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator("form.language-form button[type=submit]").click()


def test_reader_reads_minutes_and_archive_in_bokmal_and_nynorsk(page, axe, log_in, url, meetings):
    held, group = meetings["held"], meetings["group"]
    log_in(page, "leser")

    # The group page's Møter section leads to the latest minutes.
    open_page(page, url(group.url))
    section = page.locator("section.meetings")
    expect(section.get_by_role("heading", level=2)).to_have_text("Møter")
    expect(section).to_contain_text("Neste møte")
    expect(section).to_contain_text("Budsjett")
    assert_no_violations(axe, page)
    section.get_by_role("link", name="Referat fra møtet", exact=False).click()

    expect(page).to_have_url(url(f"/moter/{held.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Møte i Teknisk")
    minutes = page.locator("section[aria-labelledby=minutes-heading]")
    expect(minutes).to_contain_text("Møteleder")
    expect(minutes).to_contain_text("Til stede")
    expect(minutes).to_contain_text("Vara Vikarsen (pva. Siri Forfall)")
    expect(minutes).to_contain_text("Faggruppa anbefaler plattform B.")
    expect(page.get_by_role("table", name="Saksliste").locator("tbody tr")).to_have_count(3)
    assert_no_violations(axe, page)

    page.get_by_role("link", name="Alle møtene i gruppen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Møter i Teknisk i {PAST.year}")
    expect(page.get_by_role("navigation", name="År").get_by_role("link", name=str(PAST.year))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("main")).to_contain_text("ikke et møte")
    assert_no_violations(axe, page)

    # Nynorsk, chosen in the menu at the bottom of the page.
    choose_language(page, "nn")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Møte i Teknisk i {PAST.year}")
    expect(page.locator("main")).to_contain_text("ikkje eit møte")
    assert_no_violations(axe, page)
    page.locator("tbody tr").filter(has_text="Publisert").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Møte i Teknisk")
    minutes = page.locator("section[aria-labelledby=minutes-heading]")
    expect(minutes).to_contain_text("Møteleiar")
    expect(minutes).to_contain_text("Til stades")
    expect(minutes).to_contain_text("Vara Vikarsen (pva. Siri Forfall)")
    assert_no_violations(axe, page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_my_groups_with_the_calendar_section_has_no_violations(page, axe, log_in, url, meetings, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url("/faggrupper/mine-grupper/"))
    section = page.locator("section.calendar")
    expect(section.get_by_role("heading", level=2)).to_have_text("Møter og kalender")
    address = section.get_by_label("Adressen til kalenderen med møtene i alle gruppene dine")
    expect(address).to_have_attribute("readonly", "")
    assert "/kalender/" in address.input_value() and address.input_value().startswith("http")
    assert_no_violations(axe, page)

    # A new address: the old one stops working, and the page says so.
    old = address.input_value()
    with page.expect_navigation():
        section.get_by_role("button", name="Lag ny adresse").click()
    expect(page.locator("section.calendar [role=status]")).to_contain_text("Den gamle adressen virker ikke lenger")
    new = page.locator("#personal-calendar-address").input_value()
    assert new != old
    assert page.request.get(old).status == 404 and page.request.get(new).status == 200
    assert_no_violations(axe, page)
