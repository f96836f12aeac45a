"""No Bokmål leaks into the English or Nynorsk UI, and no Nynorsk into Bokmål: generated, not listed.

The reader site is crawled from /faggrupper/ as the demo's reader ``leser`` (every same-site link, one
address per URL pattern and page type, downloads included: CSV, PDF, vCard, iCal), once per language.
What counts as a leak comes from the catalogues, not from a list someone remembered: every Bokmål
translation of ours that differs from the msgid (for English) or from its Nynorsk translation (for
Nynorsk), and the reverse for Bokmål. Text the users wrote (names, titles, mandate text: the demo is
Norwegian) is not UI, so a phrase that also occurs in the database's content is not counted.
"""

import html
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from wagtail.models import Page

from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ["faggruppe_pages/locale", "governance/locale", "locale"]
#: Too short or too common to tell the languages apart, or the same word in user content and UI.
MIN_LENGTH = 9
SKIP_PREFIXES = ("/admin/", "/logg-ut/", "/i18n/", "/documents/", "/static/", "/media/", "/kalender/ny-adresse/")
MAX_PAGES_PER_PATTERN = 1


def _entries():
    """(msgid, nb, nn) for every translated message of ours."""
    found = []
    for base in CATALOGUES:
        nb_path, nn_path = ROOT / base / "nb/LC_MESSAGES/django.po", ROOT / base / "nn/LC_MESSAGES/django.po"
        if not nb_path.exists():
            continue
        nn = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(nn_path))}
        for entry in polib.pofile(str(nb_path)):
            if entry.msgid_plural or not entry.msgstr or entry.obsolete:
                continue
            other = nn.get((entry.msgctxt, entry.msgid))
            found.append((entry.msgid, entry.msgstr, other.msgstr if other else ""))
    return found


def _fixed_parts(message):
    """The literal stretches of a message, without its placeholders: "Sist bekreftet %(date)s" -> ["Sist bekreftet"]."""
    parts = re.split(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|<[^>]+>", message)
    return [p.strip(" .,:;–-()«»\"“”'") for p in parts if len(p.strip(" .,:;–-()«»\"“”'")) >= MIN_LENGTH]


def _own_texts():
    """Per language, every text of its own (singular and plural forms): a phrase in one of them is not a leak."""
    own = {"en": [], "nb": [], "nn": []}
    for base in CATALOGUES:
        for language in ("nb", "nn"):
            path = ROOT / base / language / "LC_MESSAGES/django.po"
            if not path.exists():
                continue
            for entry in polib.pofile(str(path)):
                if entry.obsolete:
                    continue
                own["en"].extend(m for m in (entry.msgid, entry.msgid_plural) if m)
                own[language].append(entry.msgstr)
                own[language].extend(entry.msgstr_plural.values())
    return {language: "\n".join(texts) for language, texts in own.items()}


def _markers():
    """Per language, the phrases that must not appear in it (with the msgid each comes from)."""
    markers = {"en": {}, "nn": {}, "nb": {}}
    for msgid, nb, nn in _entries():
        for part in _fixed_parts(nb):
            if part not in msgid:
                markers["en"].setdefault(part, msgid)
            if nn and part not in nn:
                markers["nn"].setdefault(part, msgid)
        for part in _fixed_parts(nn):
            if part not in nb and part not in msgid:
                markers["nb"].setdefault(part, msgid)
    # A phrase the language itself uses elsewhere (e.g. in a plural form) is its own text, not a leak.
    own = _own_texts()
    return {language: {p: m for p, m in found.items() if p not in own[language]} for language, found in markers.items()}


def _content_text():
    """Everything users wrote, as one text: a phrase found here is content, not a leak."""
    from django.apps import apps
    from django.db import models

    chunks = []
    for model in apps.get_models():
        if model._meta.app_label not in ("faggruppe_pages", "governance", "wagtailcore", "auth"):
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            or "StreamField" in type(f).__name__
        ]
        for row in model._base_manager.values_list(*fields):
            chunks.extend(str(v) for v in row if v)
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(chunks)))


def _visible_text(response, language):
    content_type = response.get("Content-Type", "")
    # A stored whole-overview download is served as a file (reader/exports/background.py): streamed.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)
    text = body.decode("utf-8", "replace")
    if content_type.startswith("text/html"):
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        # A part marked as another language (lang="nn": the language menu names each language in itself) is
        # that language's text on purpose, not a leak.
        text = re.sub(rf'<(\w+)\b[^>]*\slang="(?!{language}")[^"]*"[^>]*>.*?</\1>', " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def _pattern(path):
    """What makes two addresses "the same page" for the crawl: the URL pattern, or the Wagtail page type."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        page = Page.objects.filter(url_path__endswith=path if path.endswith("/") else path + "/").first()
        route = path.rstrip("/").split("/")[-1] if page is None else type(page.specific).__name__
        return ("page", route if page is not None else path)
    return (match.route, match.url_name)


def _crawl(client, start="/faggrupper/", limit=120):
    seen_patterns, queue, pages = {}, [start], []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path.startswith(SKIP_PREFIXES):
            continue
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or seen_patterns.get(pattern, 0) >= MAX_PAGES_PER_PATTERN:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        pages.append(path)
        if response.get("Content-Type", "").startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)"', response.content.decode("utf-8", "replace")):
                href = html.unescape(href)
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import Client

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            client = Client()
            client.force_login(get_user_model().objects.get(username="leser"))
            pages = _crawl(client)
            rendered = {}
            for language in ("nb", "nn", "en"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                rendered[language] = {path: _visible_text(client.get(path), language) for path in pages}
            yield {"pages": pages, "rendered": rendered, "content": _content_text()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_crawl_reaches_every_kind_of_reader_page(crawl):
    pages = crawl["pages"]
    assert len(pages) >= 20, pages
    for expected in ("/faggrupper/medlemsoversikt/", "/faggrupper/mine-grupper/", "/tiltak/", "/arsrapport/"):
        assert any(p.startswith(expected) for p in pages), expected
    assert any(p.endswith("/pdf/") or p.endswith(".pdf") for p in pages)


def _leaks(text, language, content=""):
    return sorted(phrase for phrase in _markers()[language] if phrase in text and phrase not in content)


def test_the_markers_would_catch_a_leak():
    """The detector itself: a Bokmål UI phrase in English or Nynorsk is caught, unless users wrote it."""
    assert "Sist bekreftet" in _leaks("Member list. Sist bekreftet 12.10.2026 by Molde.", "en")
    assert "Sist bekreftet" in _leaks("Medlemslista. Sist bekreftet 12.10.2026.", "nn")
    assert "Sist stadfesta" in _leaks("Medlemslisten. Sist stadfesta 12.10.2026.", "nb")
    assert not _leaks("Sist bekreftet 12.10.2026", "en", content="… Sist bekreftet …")
    assert not _leaks("Last confirmed 12.10.2026. Sist stadfesta i fjor.", "en", content="Sist stadfesta i fjor")
    # Nynorsk's "over fristen" (overdue) is also Bokmål's own wording in a plural message: not a leak there.
    assert not _leaks("3 lister er over fristen for bekreftelse", "nb")


def test_only_parts_marked_as_another_language_are_left_out():
    """A part marked lang="nb" on an English page is Bokmål on purpose; the same words unmarked, or marked as the
    page's own language, are still read (and would be caught)."""
    from django.http import HttpResponse

    page = (
        '<html lang="en"><p lang="nb">Sist bekreftet i går</p><p>Sist bekreftet 12.10.</p>'
        '<p lang="en">Sist bekreftet 13.10.</p></html>'
    )
    text = _visible_text(HttpResponse(page, content_type="text/html; charset=utf-8"), "en")
    assert "i går" not in text
    assert "12.10." in text and "13.10." in text


@pytest.mark.parametrize("language", ["en", "nn", "nb"])
def test_no_other_languages_ui_text_leaks_in(crawl, language):
    markers = _markers()[language]
    content = crawl["content"]
    leaks = []
    for path, text in crawl["rendered"][language].items():
        for phrase, msgid in markers.items():
            if phrase in text and phrase not in content:
                leaks.append(f"{path}: {phrase!r} (from {msgid!r})")
    assert not leaks, f"{len(leaks)} leak(s) in {language}:\n" + "\n".join(sorted(set(leaks))[:60])
