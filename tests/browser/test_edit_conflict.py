"""Two people edit the same membership; the one who saves last from an older form sees why nothing was saved.

rep-molde opens her entry in the browser; meanwhile staff (another session) change its end date. She types
a note and presses "Lagre": the page says, in her language, who changed what and when; her note is still in
the form and the end date staff set is filled in; saving again keeps both. Then the same in Nynorsk.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from faggruppe_pages.models import Membership
from tests.security.forms import as_dict, form_fields, replaced

pytestmark = pytest.mark.browser

EXPECTED = {
    "nb": ("Randi Redaktør lagret denne oppføringen", "etter at du åpnet den", "Ingenting ble lagret"),
    "nn": ("Randi Redaktør lagra denne oppføringa", "etter at du opna henne", "Ingenting vart lagra"),
}


def choose_language(page, url, code):
    page.goto(url("/faggrupper/"))
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_second_save_from_an_older_form_is_refused_with_who_and_what(page, demo, log_in, url, language):
    membership = Membership.objects.filter(represents__slug="molde", end_date__isnull=True).order_by("pk").first()
    edit = reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[membership.pk])
    log_in(page, "rep-molde")
    choose_language(page, url, language)
    page.goto(url(edit))

    # Staff save a change in their own session while her form is open.
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="redaksjon"))
    pairs = form_fields(staff.get(edit).content.decode())
    assert staff.post(edit, as_dict(replaced(pairs, "end_date", "2031-12-31"))).status_code == 302

    page.locator("#id_note").fill("Møter annenhver uke")
    with page.expect_navigation():
        page.locator("form button.action-save").first.click()

    text = page.locator("main").inner_text()
    for part in EXPECTED[language]:
        assert part in text, f"{part!r} not on the page"
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4} kl\. \d{2}:\d{2}", text), "says when"
    assert page.locator("#id_note").input_value() == "Møter annenhver uke", "her input is kept"
    assert page.locator("#id_end_date").input_value() == "2031-12-31", "staff's end date is filled in"
    membership.refresh_from_db()
    assert membership.note != "Møter annenhver uke" and str(membership.end_date) == "2031-12-31"

    with page.expect_navigation():
        page.locator("form button.action-save").first.click()
    membership.refresh_from_db()
    assert (membership.note, str(membership.end_date)) == ("Møter annenhver uke", "2031-12-31"), "both are kept"
