"""What the browser suites share: viewports, opening a reader page whole, and the axe check."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def open_page(page, address):
    """Open a page and land on it (not on the login page or an error), every disclosure opened, so all is checked."""
    response = page.goto(address)
    assert response is not None and response.status == 200, f"{address} answered {response and response.status}"
    assert page.url == address, f"expected {address}, got {page.url}"
    for disclosure in page.locator("details").all():
        disclosure.locator("summary").click()


def assert_no_violations(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"
