"""Every user-facing string is translated in nb and nn, and the compiled catalogues are committed and current."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")) + sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def test_catalogues_exist_for_nb_and_nn():
    languages = {p.parent.parent.name for p in CATALOGUES}
    assert {"nb", "nn"} <= languages
    assert any("faggruppe_pages" in str(p) for p in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated(path):
    po = polib.pofile(str(path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    for entry in polib.pofile(str(path)).translated_entries():
        msgstr, plural = compiled.get((entry.msgctxt, entry.msgid), (None, None))
        if entry.msgid_plural:
            assert {int(k): v for k, v in plural.items()} == {int(k): v for k, v in entry.msgstr_plural.items()}, (
                f"{entry.msgid!r} is out of date in {mo_path.name}: run `make messages`"
            )
        else:
            assert msgstr == entry.msgstr, f"{entry.msgid!r} is out of date in {mo_path.name}: run `make messages`"


# -- Wagtail's admin strings in Bokmål and Nynorsk (faggruppe_pages/wagtail_locale, scripts/wagtail_catalogue.py) --

WAGTAIL_CATALOGUES = sorted(ROOT.glob("faggruppe_pages/wagtail_locale/*/LC_MESSAGES/*.po"))


def test_wagtail_catalogues_cover_every_string_of_the_installed_wagtail():
    """After a Wagtail upgrade this names the new strings: `python scripts/wagtail_catalogue.py extract …`."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import wagtail_catalogue

    missing = {
        domain: [e.msgid for e, _where, _nb in entries] for domain, entries in wagtail_catalogue.missing().items()
    }
    assert missing == {"django": [], "djangojs": []}
    assert {p.parent.parent.name for p in WAGTAIL_CATALOGUES} == {"nb", "nn"}


@pytest.mark.parametrize("path", WAGTAIL_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_wagtail_catalogue_is_compiled(path):
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(path.with_suffix(".mo")))}
    for entry in polib.pofile(str(path)).translated_entries():
        msgstr, plural = compiled[(entry.msgctxt, entry.msgid)]
        if entry.msgid_plural:
            assert {int(k): v for k, v in plural.items()} == {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            assert msgstr == entry.msgstr, entry.msgid


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_add_ons_own_words_win_where_they_share_a_string_with_wagtail(language):
    """LOCALE_PATHS outrank the apps' catalogues: a msgid both use would take Wagtail's word on our screens too
    ("Draft" was "Kladd" on the mandate listing, "Utkast" everywhere else in governance)."""
    wagtail = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(ROOT / f"faggruppe_pages/wagtail_locale/{language}/LC_MESSAGES/django.po"))
    }
    # Words where a different form is right in context (a button's verb against Wagtail's noun) are listed.
    allowed = {"Filter", "System", "Breadcrumb", "slug"}
    differing = []
    for app in ("faggruppe_pages", "governance"):
        for entry in polib.pofile(str(ROOT / f"{app}/locale/{language}/LC_MESSAGES/django.po")).translated_entries():
            theirs = wagtail.get((entry.msgctxt, entry.msgid))
            if theirs and not entry.msgid_plural and theirs != entry.msgstr and entry.msgid not in allowed:
                differing.append((app, entry.msgid, entry.msgstr, theirs))
    assert differing == []


def test_no_translated_text_inside_an_f_string():
    """makemessages (xgettext) does not look inside f-strings: a gettext() there is never extracted, so it shows
    in English in every language (it did, in the member overview's cells). Found from the code, not listed."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_"}
    found = []
    for package in ("faggruppe_pages", "governance", "site"):
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.JoinedStr):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in names:
                            found.append(f"{path.relative_to(root)}:{inner.lineno}")
    assert not found, found
