"""A reader's way through the portal in a real browser: log in, pick a group, see who sits in it."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from faggruppe_pages.models import Role
from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.browser

GROUP_PATH = "/faggrupper/oppvekst-og-utdanning/"


def nb(message, **values):
    """The text a reader sees for ``message`` in the portal's default language, Norwegian Bokmål."""
    with translation.override("nb"):
        text = str(translation.gettext(message))
    return text % values if values else text


@pytest.fixture
def members(group, index_page, molde, rauma, ror_ikt):
    """Oppvekst og utdanning with a leader, a member, an adviser and a former member; one more group beside it."""
    FaggruppePageFactory(parent=index_page, title="Helse og velferd", slug="helse-og-velferd")
    leader = PersonFactory(name="Kari Nordmann", employer=molde, job_title="Kommunalsjef oppvekst")
    member = PersonFactory(name="Ola Fjeldstad", employer=rauma, job_title="Rektor")
    adviser = PersonFactory(name="Siri Rådgiversen", employer=ror_ikt, job_title="Rådgiver")
    former = PersonFactory(name="Per Tidligere", employer=rauma)
    MembershipFactory(person=leader, group=group, role=Role.LEADER)
    MembershipFactory(person=member, group=group)
    MembershipFactory(person=adviser, group=group, role=Role.ADVISER)
    MembershipFactory(
        person=former, group=group, start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2021, 12, 31)
    )
    return {"leader": leader, "member": member, "adviser": adviser, "former": former}


def test_reader_logs_in_picks_a_group_and_sees_its_members(page, log_in, url, reader, members):
    log_in(page, "leser")

    # The front page sends a logged-in reader straight to the overview of the groups.
    expect(page).to_have_url(url("/faggrupper/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Faggrupper")
    groups = page.get_by_role("list", name=nb("Professional groups"))
    # Each card's heading links to its group (the leader's name links to their person page).
    expect(groups.get_by_role("heading", level=3).get_by_role("link")).to_have_text(
        ["Helse og velferd", "Oppvekst og utdanning"]
    )
    card = groups.get_by_role("listitem").filter(has_text="Oppvekst og utdanning")
    expect(card).to_contain_text(nb("Leader: %(name)s (%(org)s)", name="Kari Nordmann", org="Molde"))

    groups.get_by_role("link", name="Oppvekst og utdanning").click()

    expect(page).to_have_url(url(GROUP_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppvekst og utdanning")
    table = page.get_by_role("table", name=nb("Members"))
    rows = table.locator("tbody tr")
    expect(rows.get_by_role("rowheader")).to_have_text(["Kari Nordmann", "Ola Fjeldstad", "Siri Rådgiversen"])
    # The leader comes first, with who they represent, their role and how to reach them.
    leader_row = rows.first
    for text in ("Kari Nordmann", "Molde", nb("Leader"), "Kommunalsjef oppvekst", members["leader"].email):
        expect(leader_row).to_contain_text(text)
    expect(leader_row.get_by_role("link", name=members["leader"].email)).to_have_attribute(
        "href", f"mailto:{members['leader'].email}"
    )
    expect(rows.filter(has_text="Siri Rådgiversen")).to_contain_text(nb("Adviser from the cooperation"))

    # Former members are history: out of the member list, behind a disclosure.
    expect(table).not_to_contain_text("Per Tidligere")
    former = page.get_by_text("Per Tidligere")
    expect(former).to_be_hidden()
    page.get_by_text(nb("Show former members")).click()
    expect(former).to_be_visible()


def test_anonymous_visitor_is_sent_to_login_and_sees_no_member_data(page, url, reader, members):
    page.goto(url(GROUP_PATH))

    address = urlsplit(page.url)
    assert address.path == "/logg-inn/"
    assert parse_qs(address.query)["next"] == [GROUP_PATH]
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("Log in"))
    expect(page.get_by_label(nb("Username"))).to_be_visible()
    expect(page.get_by_label(nb("Password"))).to_be_visible()
    body = page.locator("body")
    for person in members.values():
        expect(body).not_to_contain_text(person.name)
        expect(body).not_to_contain_text(person.email)
    expect(body).not_to_contain_text("Oppvekst og utdanning")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("navigation", name=nb("Main menu"))).to_have_count(0)

    # Logging in from there brings the reader back to the group they asked for.
    page.locator("#id_username").fill("leser")
    page.locator("#id_password").fill("demo")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page).to_have_url(url(GROUP_PATH))
    expect(page.get_by_role("table", name=nb("Members"))).to_contain_text("Kari Nordmann")
