"""What the browser suites share: viewports, the reader's language, opening a reader page whole, the axe check,
a chooser's search, a date typed."""

from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def open_page(page, address):
    """Open a page and land on it (not on the login page or an error), every disclosure opened, so all is checked."""
    response = page.goto(address)
    assert response is not None and response.status == 200, f"{address} answered {response and response.status}"
    assert page.url == address, f"expected {address}, got {page.url}"
    for disclosure in page.locator("details").all():
        disclosure.locator("summary").click()


def set_language(page, url, language):
    """The reader's language for the pages ``page`` opens next (``nb`` or ``nn``): Django's language cookie."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url("/")}])


def assert_no_violations(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"


def search_chooser(modal, text):
    """Type ``text`` into a chooser modal's search box and return once the results are the answer to it.

    Wagtail's chooser replaces what is inside ``#search-results`` when the search answers. Until then the old
    results are on screen: a row found there can be clicked just as it is replaced and the click is lost (seen in
    CI on a busy machine). A marker put inside before typing is gone once the new results are in.
    """
    results = modal.locator("#search-results")
    results.evaluate("el => el.insertAdjacentHTML('beforeend', '<span data-old-results hidden></span>')")
    modal.locator("#id_q").fill(text)
    expect(results.locator("[data-old-results]")).to_have_count(0, timeout=15_000)


def fill_date(field, value):
    """Type ``value`` into a Wagtail date field and leave the field with its date picker closed.

    The picker opens 100 ms after the field gets focus (a ``setTimeout`` in jquery.datetimepicker) and closes when
    the field loses it; Escape does nothing to it. A test that typed the date and moved on within those 100 ms left
    the picker to open afterwards, over the form, where it took the click meant for "Lagre" (seen in CI). So wait
    for it to open, then leave the field and see it closed.
    """
    field.fill(value)
    picker = field.page.locator(".xdsoft_datetimepicker").locator("visible=true")
    expect(picker).to_have_count(1)
    field.blur()
    expect(picker).to_have_count(0)
