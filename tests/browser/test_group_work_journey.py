"""The group's work, walked in Chromium on the demo data (issue 14's "done when"), in Bokmål and in Nynorsk.

Teknisk's secretary plans a meeting with three agenda items and sends the notice (e-mailed to the members);
after the meeting she records attendance and decisions and sends the minutes for approval; Teknisk's leader
approves and publishes them; leser sees them on the group page and downloads the PDF with the attendance;
the meeting is in the secretary's personal calendar feed, fetched without a login and parsed with icalendar.
A measure gets a status report and a benefit a realisation, which leser sees (the chart's text alternative
holds the value); the yearly report's PDF holds all of it.
"""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from faggruppe_pages.models import FaggruppePage
from governance.models import Benefit, Measure, Meeting, MinutesStatus
from tests.browser.helpers import fill_date, set_language

pytestmark = pytest.mark.browser

AGENDA = ["Godkjenning av innkalling", "Ny kartløsning: valg av leverandør", "Eventuelt"]


def t(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def log_out(page, url):
    page.context.clear_cookies()


def pdf_text(content):
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def confirm(page):
    with page.expect_navigation():
        page.locator("main form[method=POST] button[type=submit]").click()


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_meeting_from_notice_to_published_minutes_and_the_years_report(page, demo, log_in, url, language):
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    today = timezone.localdate()
    when = today + datetime.timedelta(days=14)
    set_language(page, url, language)

    # -- the secretary plans the meeting with three agenda items --------------------------------------------
    log_in(page, "sekretaer")
    page.goto(url("/admin/gruppearbeid/moter/add/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#id_group").select_option(label="Teknisk")
    fill_date(page.locator("#id_starts_at"), when.strftime("%d.%m.%Y") + " 13:00")
    fill_date(page.locator("#id_ends_at"), when.strftime("%d.%m.%Y") + " 15:00")
    page.locator("#id_place").fill("Formannskapssalen, Molde rådhus")
    page.locator("#id_notice").fill("Velkommen til møte om ny kartløsning.")
    for index, title in enumerate(AGENDA):
        page.locator("#id_agenda_items-ADD").click()
        page.locator(f"#id_agenda_items-{index}-title").fill(title)
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    meeting = Meeting.objects.get(group=teknisk, place="Formannskapssalen, Molde rådhus")
    numbers = [item.case_number for item in meeting.agenda_items.order_by("sort_order")]
    assert len(numbers) == 3 and all(re.fullmatch(r"\d+/\d\d", n) for n in numbers)

    # -- the notice is e-mailed to the members ---------------------------------------------------------------
    mail.outbox.clear()
    page.goto(url(f"/admin/gruppearbeid/moter/edit/{meeting.pk}/"))
    page.get_by_role("link", name=t(language, "Send notice"), exact=True).first.click()
    confirm(page)
    meeting.refresh_from_db()
    assert meeting.notice_sent_at is not None
    assert len(mail.outbox) >= 5
    notice = mail.outbox[0]
    assert "Teknisk" in notice.subject and when.strftime("%d.%m.%Y") in notice.subject
    assert all(title in notice.body for title in AGENDA)
    assert f"/moter/{meeting.pk}/" in notice.body

    # -- after the meeting: attendance (pre-filled), decisions, minutes sent for approval ---------------------
    started = timezone.now() - datetime.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=started, ends_at=started + datetime.timedelta(hours=2))
    page.goto(url(f"/admin/gruppearbeid/moter/edit/{meeting.pk}/"))
    statuses = page.locator("select[id^=id_attendance-][id$=-status]")
    expect(statuses.first).to_be_visible()
    assert statuses.count() >= 5  # one row per member, pre-filled
    statuses.nth(1).select_option("apologies")
    page.locator("#id_chair").select_option(index=1)
    page.locator("#id_minute_taker").select_option(label="Sigrid Sekretær")
    for index in range(3):
        page.locator(f"#id_agenda_items-{index}-decision").fill(f"Vedtak i sak {index + 1}: enstemmig.")
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    page.goto(url(f"/admin/gruppearbeid/moter/edit/{meeting.pk}/"))
    page.get_by_role("link", name=t(language, "Send minutes for approval"), exact=True).first.click()
    fill_date(page.locator("#id_approval_deadline"), (today + datetime.timedelta(days=7)).strftime("%d.%m.%Y"))
    mail.outbox.clear()
    confirm(page)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.SENT
    assert mail.outbox and (today + datetime.timedelta(days=7)).strftime("%d.%m.%Y") in mail.outbox[0].body
    absent = meeting.attendance.get(status="apologies").person.name

    # -- the leader approves and publishes them -------------------------------------------------------------
    log_out(page, url)
    set_language(page, url, language)
    log_in(page, "leder-teknisk")
    page.goto(url(f"/admin/gruppearbeid/moter/edit/{meeting.pk}/"))
    page.get_by_role("link", name=t(language, "Approve minutes"), exact=True).first.click()
    confirm(page)
    page.goto(url(f"/admin/gruppearbeid/moter/edit/{meeting.pk}/"))
    page.get_by_role("link", name=t(language, "Publish minutes"), exact=True).first.click()
    mail.outbox.clear()
    confirm(page)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED
    assert mail.outbox and f"/moter/{meeting.pk}/referat.pdf" in mail.outbox[0].body

    # -- the measure gets a status report, the benefit a realisation ------------------------------------------
    measure = Measure.objects.get(title="Felles kartløsning for byggesak")
    page.goto(url(f"/admin/gruppearbeid/tiltak/edit/{measure.pk}/"))
    rows = measure.status_reports.count()
    page.locator("#id_status_reports-ADD").click()
    fill_date(page.locator(f"#id_status_reports-{rows}-date"), today.strftime("%d.%m.%Y"))
    page.locator(f"#id_status_reports-{rows}-status").select_option("delayed")
    page.locator(f"#id_status_reports-{rows}-progress").fill("Klage på tildelingen; kontrakt utsatt.")
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    assert measure.status_reports.filter(progress__startswith="Klage på tildelingen").exists()

    benefit = Benefit.objects.get(description="Raskere saksbehandling i byggesaker")
    page.goto(url(f"/admin/gruppearbeid/gevinster/edit/{benefit.pk}/"))
    page.locator("#id_realisations-ADD").click()
    fill_date(page.locator("#id_realisations-0-date"), today.strftime("%d.%m.%Y"))
    page.locator("#id_realisations-0-value").fill("35")
    page.locator("#id_realisations-0-comment").fill("Målt i oktober.")
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    assert benefit.realisations.filter(value=35).exists()

    # -- leser: the group page, the minutes, the PDF ----------------------------------------------------------
    log_out(page, url)
    set_language(page, url, language)
    log_in(page, "leser")
    page.goto(url("/faggrupper/teknisk/"))
    minutes_link = page.locator(f"a[href='/moter/{meeting.pk}/']").first
    expect(minutes_link).to_be_visible()
    minutes_link.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert all(title in body for title in AGENDA)
    assert "Vedtak i sak 2: enstemmig." in body and absent in body
    response = page.request.get(url(f"/moter/{meeting.pk}/referat.pdf"))
    assert response.status == 200
    minutes = pdf_text(response.body())
    assert absent in minutes and "Vedtak i sak 2: enstemmig." in minutes

    # -- the measure's report and the benefit's realisation, as leser sees them -------------------------------
    page.goto(url(f"/tiltak/{measure.pk}/"))
    main = page.locator("main").inner_text()
    assert "Klage på tildelingen; kontrakt utsatt." in main
    chart = page.locator("svg[role=img]").filter(has_text="35")
    expect(chart.first).to_be_attached()

    # -- the yearly report's PDF holds all of it --------------------------------------------------------------
    response = page.request.get(url(f"/arsrapport/{today.year}/gruppe/{teknisk.pk}/pdf/"))
    assert response.status == 200
    report = " ".join(pdf_text(response.body()).split())  # table cells wrap
    assert "Teknisk" in report
    assert timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y") in report
    assert "Felles kartløsning for byggesak" in report
    assert "Raskere saksbehandling i byggesaker" in report and "35" in report

    # -- the meeting is in the secretary's personal calendar, fetched as a calendar client would ---------------
    log_out(page, url)
    set_language(page, url, language)
    log_in(page, "sekretaer")
    page.goto(url("/faggrupper/mine-grupper/"))
    address = page.locator("input[readonly][value*='/kalender/']").first.get_attribute("value")
    log_out(page, url)
    response = page.request.get(address)
    assert response.status == 200
    events = [e for e in Calendar.from_ical(response.body()).walk("VEVENT")]
    assert any(str(e.get("uid")).startswith(f"meeting-{meeting.pk}@") for e in events)
