"""Issue 13, part 4: the admin speaks Bokmål and Nynorsk on every screen representatives and staff use.

A walk as ``rep-molde`` and as ``redaksjon``, in ``nb`` and in ``nn``, reads what a person perceives on each
screen (visible text, placeholders, labels for screen readers, tooltips, button values) and fails on every
string that is one of Wagtail's own English msgids. The list comes from Wagtail's English catalogues of the
apps in scripts/wagtail_catalogue.py, less the msgids whose translation Django serves in that language is
the English itself (a loanword such as "Status"). Under Nynorsk it also fails on Wagtail's strings in Bokmål:
Django falls back to Bokmål where the Nynorsk catalogue lacks a msgid, so a gap there shows Bokmål, not
English. All hits of a walk are reported at once.
"""

import html
import importlib.util
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog
from playwright.sync_api import expect

from faggruppe_pages.models import FaggruppePage, Membership, Person
from tests.browser.helpers import fill_date

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GROUP_SLUG = "oppvekst-og-utdanning"  # rep-molde sits in it, so may edit its page (and submit it)
LANGUAGE_COOKIE = "django_language"


def _catalogue_script():
    spec = importlib.util.spec_from_file_location("wagtail_catalogue", ROOT / "scripts" / "wagtail_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the list: Wagtail's English msgids that the language translates ------------------------------------------

#: A placeholder in a msgid: %(name)s, %s, %d, {name}, {}. Any text may stand in its place.
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}")
TAG = re.compile(r"<[a-zA-Z/][^>]*>")
LETTER = re.compile(r"[^\W\d_]")


def normalise(text):
    return " ".join(text.split())


@dataclass
class Matcher:
    """Strings that must not show: exact texts and, for those with placeholders, patterns; each with its reason."""

    exact: dict = field(default_factory=dict)  # text -> reason
    patterns: list = field(default_factory=list)  # (compiled regex, reason)

    def __len__(self):
        return len(self.exact) + len(self.patterns)

    def add(self, message, reason):
        text = message
        if TAG.search(text):
            text = html.unescape(TAG.sub("", text))  # shown as the text of an element with inline markup
        text = normalise(text)
        literal = PLACEHOLDER.sub("", text).replace("%%", "%")
        if len(literal.strip()) < 3 or not LETTER.search(literal):
            return
        if not PLACEHOLDER.search(text):
            self.exact.setdefault(text.replace("%%", "%"), reason)
            return
        parts = PLACEHOLDER.split(text)
        regex = "(?:.+)".join(re.escape(part.replace("%%", "%")) for part in parts)
        self.patterns.append((re.compile(regex, re.DOTALL), reason))

    def find(self, text):
        if text in self.exact:
            return self.exact[text]
        for regex, reason in self.patterns:
            if regex.fullmatch(text):
                return reason
        return None


def wagtail_english_entries():
    """(domain, POEntry) for every msgid of Wagtail's English catalogues of the apps the portal covers."""
    script = _catalogue_script()
    for domain in script.DOMAINS:
        for app in script.APPS:
            path = script.WAGTAIL / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                for entry in polib.pofile(str(path)):
                    if not entry.obsolete and entry.msgid:
                        yield domain, entry


def holds(catalogue, key, fallbacks=True):
    """Whether a catalogue Django serves has an entry for ``key`` (translated, since compiling drops empty ones);
    with ``fallbacks``, also the catalogue of the site's language it falls back to."""
    while catalogue is not None:
        if key in getattr(catalogue, "_catalog", {}):
            return True
        catalogue = getattr(catalogue, "_fallback", None) if fallbacks else None
    return False


@dataclass(frozen=True)
class Form:
    """One form (singular or plural) of a Wagtail msgid, as Django serves it in a language."""

    english: str
    text: str  # what gettext & co. give
    own: bool  # the language's own catalogues hold it
    held: bool  # they, or the site language's they fall back to, hold it


@cache
def served(language):
    """Every form of every Wagtail msgid, as the admin gets it in ``language``: the django domain through
    gettext, the djangojs domain through the catalogue Wagtail's JavaScriptCatalog view builds."""
    javascript = DjangoTranslation(
        language, domain="djangojs", localedirs=JavaScriptCatalog().get_paths(["wagtail.admin"])
    )
    forms = []
    with translation.override(language):
        python = trans_real.translation(language)
        for domain, entry in wagtail_english_entries():
            if domain == "djangojs":
                catalogue, gettext, pgettext = javascript, javascript.gettext, javascript.pgettext
                ngettext, npgettext = javascript.ngettext, javascript.npgettext
            else:
                catalogue, gettext, pgettext = python, translation.gettext, translation.pgettext
                ngettext, npgettext = translation.ngettext, translation.npgettext
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if entry.msgid_plural:
                for index, (english, number) in enumerate([(entry.msgid, 1), (entry.msgid_plural, 2)]):
                    if entry.msgctxt:
                        text = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, number)
                    else:
                        text = ngettext(entry.msgid, entry.msgid_plural, number)
                    forms.append((english, text, (key, index), catalogue))
            else:
                text = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
                forms.append((entry.msgid, text, key, catalogue))
    return [
        Form(english, text, holds(catalogue, key, fallbacks=False), holds(catalogue, key))
        for english, text, key, catalogue in forms
    ]


@cache
def strings_not_in(language):
    """The Matcher of Wagtail's strings that must not show in ``language``.

    English: every msgid, less those the catalogue Django serves translates as the English itself on purpose (a
    loanword such as "Status"); a msgid with no translation at all shows in English, so it stays on the list.

    Under another language than the site's (Nynorsk), also the site language's (Bokmål) translation of a msgid,
    where the Nynorsk catalogue lacks it (Django then falls back to Bokmål: that is what a gap looks like) or
    says it otherwise. Not a Bokmål text that is also the Nynorsk for some msgid: it may be meant.
    """
    matcher = Matcher()
    for form in served(language):
        if form.text != form.english or not form.held:
            matcher.add(form.english, f"msgid {form.english!r}")
    site = settings.LANGUAGE_CODE
    if language != site:
        ours = {form.text for form in served(language) if form.own}
        for fallback, form in zip(served(site), served(language), strict=True):
            if fallback.text != fallback.english and fallback.text not in ours:
                said = f"{language} says {form.text!r}" if form.own else f"the {language} catalogue lacks it"
                matcher.add(fallback.text, f"{site} for msgid {form.english!r}; {said}")
    return matcher


#: English that Wagtail writes without gettext, so no catalogue can translate it: (path pattern, text, pattern of
#: where on the screen, as the report names it). Each names where in Wagtail it comes from.
UNTRANSLATABLE = [
    # (wagtailadmin/shared/headers/_actions.html's aria-label="Actions" is translated by our copy of the template,
    # and the admin login's "Password" label by faggruppe_pages.admin.forms.AdminLoginForm.)
    # wagtailadmin/home.html: the dashboard's search form, <input type="submit" value="Search"> (visually hidden).
    (r"/admin/", "Search", r"value of input\.button"),
    # wagtailadmin/shared/user_avatar.html renders ``{{ user }}``, i.e. Python's None, for a page published by
    # no user (the demo publishes without one); the aging pages report shows it under "Last published by".
    (r"/admin/reports/aging-pages/", "None", r"(text in|whole text of) td"),
]


def untranslatable(path, text, source):
    return any(
        re.fullmatch(where, path) and text == known and re.fullmatch(seen, source)
        for where, known, seen in UNTRANSLATABLE
    )


# -- what a person perceives on the screen ---------------------------------------------------------------------

PERCEIVED_JS = """
() => {
  const seen = new Map();  // text and where it is (for the report and the exceptions) -> [text, where]
  const describe = (el, how) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    else if (el.classList.length) name += "." + [...el.classList].slice(0, 2).join(".");
    return how ? `${how} of ${name}` : `text in ${name}`;
  };
  const add = (text, el, how) => {
    if (text == null) return;
    text = String(text).replace(/\\s+/g, " ").trim();
    const where = describe(el, how);
    if (text) seen.set(text + "\\n" + where, [text, where]);
  };
  const visible = (el) => !!el && (el.checkVisibility
    ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    : el.getClientRects().length > 0);
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const mixed = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || !node.nodeValue.trim()) continue;
    // A <select>'s options show when it is opened: they count when the select is visible.
    const holder = parent.closest("select") || parent;
    if (!visible(holder)) continue;
    add(node.nodeValue, parent);
    if (parent.children.length) mixed.add(parent);
  }
  // Text with inline markup ("Sorry, no matches for <em>x</em>") reads as the element's whole text.
  for (const el of mixed) add(el.textContent, el, "whole text");
  const attributes = ["placeholder", "aria-label", "title", "alt", "data-w-tooltip-content-value"];
  const selector = attributes.map((name) => `[${name}]`).join(",")
    + ",input[type=submit],input[type=button],input[type=reset]";
  for (const el of document.body.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    for (const name of attributes) add(el.getAttribute(name), el, name);
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type)) add(el.value, el, "value");
  }
  for (const part of document.title.split(" - ")) add(part, document.documentElement, "document title");
  return [...seen.values()];
}
"""


@dataclass
class Walk:
    page: object
    url: object
    language: str
    matcher: Matcher
    hits: list = field(default_factory=list)
    screens: int = 0

    def check(self, what=""):
        """Read the screen as it is now and note every string of Wagtail's on it that is not in the language."""
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        address = urlsplit(self.page.url)
        where = address.path + (f"?{address.query}" if address.query else "") + (f" ({what})" if what else "")
        self.screens += 1
        for text, source in self.page.evaluate(PERCEIVED_JS):
            reason = self.matcher.find(text)
            if reason is not None and not untranslatable(address.path, text, source):
                self.hits.append((where, text, reason, source))

    def visit(self, path, what="", status=200):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        self.check(what)

    def submit(self, button, what):
        with self.page.expect_navigation():
            button.click()
        self.check(what)

    def report(self):
        """Every hit, one line per string (where it sits, what it matched), then the screens it is on."""
        screens = {}
        for where, text, reason, source in self.hits:
            screens.setdefault((text, reason, source), []).append(where)
        lines = []
        for (text, reason, source), wheres in screens.items():
            lines.append(f"  {text!r} ({source}; {reason}) on:")
            lines.extend(f"      {where}" for where in dict.fromkeys(wheres))
        return "\n".join(lines)


# -- the walk ------------------------------------------------------------------------------------------------


def open_more_actions(page):
    """The page editor's footer: the primary button, and the rest behind the "more actions" toggle."""
    page.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def open_modal(walk, trigger, what):
    """Open a dialog (Wagtail's ModalWorkflow), read it, close it."""
    trigger.click()
    body = walk.page.locator(".modal .modal-body")
    expect(body).to_be_visible()
    expect(body.locator("form, table, p, h2").first).to_be_visible()
    walk.check(what)
    walk.page.locator(".modal button.close").click()
    expect(walk.page.locator(".modal")).to_have_count(0)


def open_side_panels(walk):
    """The editor's side panels (status, checks, ...), one after the other; not the preview (the reader page)."""
    page = walk.page
    for name in page.locator("[data-side-panel-toggle]").evaluate_all(
        "toggles => toggles.map(toggle => toggle.dataset.sidePanelToggle)"
    ):
        if name == "preview":
            continue
        page.locator(f'[data-side-panel-toggle="{name}"]').click()
        expect(page.locator(f'[data-side-panel="{name}"]')).to_be_visible()
        walk.check(f"side panel {name}")
    page.keyboard.press("Escape")


def open_chooser(walk, field_name, what):
    """Open a chooser from the membership form by the visible button of its field, whatever widget it is."""
    open_modal(walk, walk.page.locator(f'[data-contentpath="{field_name}"] button:visible').first, what)


def walk_logged_out(walk, username):
    """The login and password reset pages, then log in (the one login of the walk)."""
    page = walk.page
    walk.visit("/admin/password_reset/")
    walk.submit(page.locator("main form button[type=submit]"), "sent empty")
    walk.visit("/admin/login/")
    page.locator("#id_username").fill("ingen-slik-bruker")
    page.locator("#id_password").fill("feil")
    walk.submit(page.locator("main form button[type=submit]"), "wrong password")
    walk.visit("/logg-inn/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    walk.submit(page.locator("form.stacked-form button[type=submit]"), "logged in")
    assert urlsplit(page.url).path == "/admin/", f"login as {username!r} failed: {page.url}"


def walk_dashboard(walk):
    """The start page (where the login lands), each menu of the sidebar opened; returns the reports offered."""
    page = walk.page
    menus = page.locator(".sidebar-main-menu button[aria-haspopup=menu]")
    for index in range(menus.count()):
        menus.nth(index).click()
        walk.check(f"sidebar menu {index + 1} opened")
    page.keyboard.press("Escape")
    page.locator(".sidebar-footer__account-toggle").click()
    walk.check("account menu opened")
    page.keyboard.press("Escape")
    page.locator(".sidebar-page-explorer-item button").click()
    expect(page.locator(".c-page-explorer__item").first).to_be_visible()
    walk.check("page explorer opened")
    page.keyboard.press("Escape")
    return page.locator("[aria-labelledby=wagtail-sidebar-submenu-reports-title] a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def walk_our_entries(walk):
    """Våre oppføringer, filtered to what needs confirming, then one entry confirmed there."""
    page = walk.page
    walk.visit("/admin/vare-oppforinger/")
    page.locator("#id_filter_status").select_option("due")
    walk.submit(page.locator("form:has(#id_filter_status) button[type=submit]"), "filtered")
    walk.submit(page.locator("[data-work-list] button[name=entry]").first, "one entry confirmed")
    expect(page.locator(".messages .success")).to_be_visible()


def walk_memberships(walk, membership):
    page = walk.page
    base = "/admin/snippets/faggruppe_pages/membership/"
    walk.visit(f"{base}?q=a&active=yes", "searched and filtered")
    page.locator("#filters-drilldown .w-dropdown__toggle").first.click()
    walk.check("filters opened")
    page.locator("#filters-drilldown .w-drilldown__toggle").first.click()
    walk.check("a filter opened")
    page.keyboard.press("Escape")
    page.locator("table.listing tbody tr .w-dropdown__toggle").first.click()
    walk.check("a row's more actions")
    page.keyboard.press("Escape")
    page.locator("table.listing tbody tr .bulk-action-checkbox").first.check()
    expect(page.locator("[data-bulk-action-footer]")).to_be_visible()
    walk.check("a row selected")

    # Sent with nothing but a date that does not exist: "required" errors, the date's error and the banner.
    walk.visit(f"{base}add/")
    fill_date(page.locator("#id_start_date"), "32.13.2026")
    walk.submit(page.locator("form button.action-save").first, "sent empty with an impossible date")
    expect(page.locator(".messages .error")).to_be_visible()
    expect(page.locator("#id_start_date")).to_have_value("32.13.2026")
    open_chooser(walk, "person", "person chooser")
    open_chooser(walk, "group", "group chooser")

    walk.visit(f"{base}edit/{membership.pk}/")
    open_side_panels(walk)
    walk.visit(f"{base}history/{membership.pk}/")


def walk_people(walk, person):
    walk.visit("/admin/snippets/faggruppe_pages/person/")
    walk.visit(f"/admin/snippets/faggruppe_pages/person/edit/{person.pk}/")


def submit_for_approval(walk, group):
    """rep-molde changes the group page and submits it: the editor, its more actions, the message."""
    page = walk.page
    walk.visit(f"/admin/pages/{group.pk}/edit/")
    open_side_panels(walk)
    page.locator("#id_purpose").fill(group.purpose + " Endret.")
    open_more_actions(page)
    walk.check("more actions")
    walk.submit(page.locator("button[name=action-submit]"), "submitted for approval")
    expect(page.locator(".messages .success")).to_be_visible()


def put_in_moderation(group, username):
    """What "Submit for moderation" does, as ``username``: a new revision, and the page's workflow started.

    The browser's way is in submit_for_approval (rep-molde's walk); here it saves the staff walk a second login.
    """
    user = get_user_model().objects.get(username=username)
    group.purpose += " Endret."
    group.save_revision(user=user)
    group.get_workflow().start(group, user)


def review(walk, group):
    """redaksjon: the page awaiting review in the editor; the two dialogs opened, not confirmed."""
    page = walk.page
    walk.visit(f"/admin/pages/{group.pk}/edit/", "awaiting review")
    open_side_panels(walk)
    open_more_actions(page)
    walk.check("more actions, awaiting review")
    open_modal(walk, page.locator("button[data-workflow-action-name=reject]"), "request changes dialog")
    open_more_actions(page)
    approve_with_comment = page.locator("button[data-workflow-action-name=approve][data-workflow-action-modal-url]")
    open_modal(walk, approve_with_comment, "approve with comment dialog")


def walk_account(walk):
    """The account page, and its password change sent with a wrong current password and two new ones."""
    page = walk.page
    walk.visit("/admin/account/")
    page.locator("[name=password-old_password]").fill("feil")
    page.locator("[name=password-new_password1]").fill("nytt-passord-1")
    page.locator("[name=password-new_password2]").fill("nytt-passord-2")
    walk.submit(page.locator("#w-editor-form button[type=submit]"), "password change refused")


def bulk_upload_path():
    """The spreadsheet upload (faggruppe_pages/admin/bulk.py) once it exists; None before."""
    try:
        return reverse("faggruppe_pages_bulk_upload")
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("username", ["rep-molde", "redaksjon"])
def test_admin_screens_show_no_english_from_wagtail(page, demo, url, live_server, username, language):
    matcher = strings_not_in(language)
    assert len(matcher) > 1000, f"only {len(matcher)} strings to look for: is Wagtail's catalogue read?"
    staff = username == "redaksjon"
    group = FaggruppePage.objects.get(slug=GROUP_SLUG)
    membership = Membership.objects.filter(represents__slug="molde", end_date=None).order_by("pk").first()
    person = Person.objects.filter(employer__slug="molde").order_by("pk").first()
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": live_server.url}])
    walk = Walk(page, url, language, matcher)
    if staff:  # so that the start page shows it awaiting review
        put_in_moderation(group, "rep-molde")

    walk_logged_out(walk, username)
    reports = walk_dashboard(walk)
    walk_our_entries(walk)
    walk_memberships(walk, membership)
    walk_people(walk, person)
    if staff:
        review(walk, group)
    else:
        submit_for_approval(walk, group)
    walk.visit(f"/admin/pages/{group.pk}/history/")
    if staff:
        assert "/admin/reports/site-history/" in reports and "/admin/reports/samsvar/" in reports, reports
        walk.visit(reverse("faggruppe_pages_withdrawn_memberships"))
    for path in reports:
        walk.visit(path)
    walk_account(walk)
    if bulk := bulk_upload_path():
        walk.visit(bulk)

    assert walk.screens > 25, walk.screens
    if walk.hits:
        strings = {text for _where, text, _reason, _source in walk.hits}
        pytest.fail(
            f"{len(strings)} string(s) of Wagtail's catalogue not in {language} on the admin as {username}:\n"
            + walk.report(),
            pytrace=False,
        )
