"""Content-Security-Policy in a real browser: enforced, and nothing of ours or Wagtail's violates it.

Every main reader page and the admin views staff and representatives use are opened (and the admin's
date picker, page chooser and preview used), while every ``securitypolicyviolation`` event (in every
frame) and every console message about the policy is collected: there must be none. The reader pages
get the strict policy (no inline script at all); the admin gets ``ADMIN_CSP_RELAXATIONS`` on top.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from faggruppe_pages.models import FaggruppePage, Membership

LOGIN_PATH = "/logg-inn/"

pytestmark = pytest.mark.browser

READER_PAGES = [
    "/faggrupper/",
    "/faggrupper/oppvekst-og-utdanning/",
    "/faggrupper/medlemsoversikt/",
    "/faggrupper/representert/molde/",
    "/faggrupper/mine-grupper/",
]

#: Runs in every frame before the page's own scripts: keeps each violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} (${(e.sample || "").slice(0, 80)})`);
});
"""


class PolicyWatch:
    """Collects the policy violations of one tab: events from every frame, and console messages."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self):
        found = list(self.console)
        for frame in self.page.frames:
            try:
                found += frame.evaluate("window.__cspViolations || []")
            except Exception:  # noqa: BLE001 - a frame that navigated away meanwhile has nothing to report
                pass
        return found

    def visit(self, address, expect_status=200):
        """Open ``address``: it must answer with the policy header; then settle."""
        response = self.page.goto(address)
        assert response is not None and response.status == expect_status, f"{address}: {response and response.status}"
        policy = response.header_value("content-security-policy")
        assert policy and "script-src 'self'" in policy, f"{address}: no Content-Security-Policy header"
        self.page.wait_for_load_state("networkidle")
        return policy

    def assert_clean(self, where):
        found = self.violations()
        assert not found, f"{where}: Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def watch(page):
    return PolicyWatch(page)


def test_the_policy_is_enforced_on_reader_pages(page, watch, demo, log_in, url):
    """Not report-only: an inline script put into a reader page does not run, and the watch sees it."""
    log_in(page, "leser")
    policy = watch.visit(url("/faggrupper/"))
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__injected = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected === undefined")
    assert any("script-src" in v for v in watch.violations())


@pytest.mark.parametrize("username", ["redaksjon", "rep-molde"])
def test_reader_pages_have_no_violations(page, watch, demo, log_in, url, username):
    log_in(page, username)
    for path in READER_PAGES:
        policy = watch.visit(url(path))
        assert "'unsafe-inline'" not in policy, f"{path}: reader pages get the strict policy"
        watch.assert_clean(path)
    # Staff get Wagtail's user bar on the group page: open it too (it loads its own scripts and styles).
    watch.visit(url("/faggrupper/oppvekst-og-utdanning/"))
    if username == "redaksjon":
        page.locator("wagtail-userbar button").first.click()
        expect(page.locator("wagtail-userbar [role=menu]")).to_be_visible()
    watch.assert_clean("group page with the user bar")


def admin_pages(molde_membership, group):
    return [
        "/admin/",
        f"/admin/pages/{group.pk}/edit/",
        "/admin/snippets/faggruppe_pages/membership/",
        f"/admin/snippets/faggruppe_pages/membership/edit/{molde_membership.pk}/",
        "/admin/vare-oppforinger/",
    ]


@pytest.mark.parametrize("username", ["redaksjon", "rep-molde"])
def test_admin_has_no_violations(page, watch, demo, log_in, url, username):
    membership = Membership.objects.filter(represents__slug="molde", end_date__isnull=True).first()
    group = FaggruppePage.objects.get(slug="oppvekst-og-utdanning")
    log_in(page, username)
    for path in admin_pages(membership, group):
        policy = watch.visit(url(path))
        assert "'unsafe-eval'" not in policy
        watch.assert_clean(path)

    # The widgets that start with inline scripts, used: the date picker ...
    watch.visit(url(f"/admin/snippets/faggruppe_pages/membership/edit/{membership.pk}/"))
    page.locator("#id_end_date").click()
    expect(page.locator(".xdsoft_datetimepicker").locator("visible=true")).to_have_count(1)
    watch.assert_clean("date picker")
    # ... a chooser's modal, loaded with its scripts ...
    watch.visit(url("/admin/snippets/faggruppe_pages/membership/add/"))
    page.locator("button[data-chooser-action-choose]").locator("visible=true").first.click()
    expect(page.locator(".modal-dialog").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.assert_clean("chooser modal")
    # ... and the page editor's live preview (an iframe of the site).
    watch.visit(url(f"/admin/pages/{group.pk}/edit/"))
    page.locator("[data-side-panel-toggle='preview']").first.click()
    expect(page.frame_locator("iframe[id^='w-preview-iframe']").locator("body")).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.assert_clean("preview")

    if username == "redaksjon":
        watch.visit(url("/admin/innloggingssperrer/"))
        watch.assert_clean("locked logins")


def test_login_pages_and_the_lockout_page_have_no_violations(page, watch, demo, url):
    for path in (LOGIN_PATH, "/admin/login/"):
        watch.visit(url(path))
        watch.assert_clean(path)
    # Five wrong passwords through the admin's address (which leads to the one login page): the lockout page
    # is clean too.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        watch.visit(url("/admin/login/"))
        page.locator("#id_username").fill("redaksjon")
        page.locator("#id_password").fill(f"feil-{attempt}")
        with page.expect_navigation():
            page.locator("form.stacked-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innloggingen er sperret en stund")
    expect(page.get_by_text("Vent 15 minutter og prøv igjen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.assert_clean("admin lockout page")
