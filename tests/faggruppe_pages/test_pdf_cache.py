"""reader/exports/pdf_cache.py: a large overview's parts kept between builds; a part whose HTML did not change is
copied, not laid out again, and the PDF reads exactly as one built from nothing. Real WeasyPrint, real storage."""

import json
import logging
import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from faggruppe_pages.reader.exports import overview_pdf
from faggruppe_pages.reader.exports.pdf_cache import CACHE_DIR, MARKER_SUFFIX
from faggruppe_pages.reader.overview import build_overview
from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory
from tests.faggruppe_pages.test_overview import world  # noqa: F401

pytestmark = pytest.mark.django_db

FOLDER = f"{CACHE_DIR}/medlemsoversikt-nb-alle"


@pytest.fixture
def large(world, settings):  # noqa: F811
    """13 more groups (16 in all) in parts of 4: the matrix in 4 parts, the lists in 4; laid out in this process."""
    organisations = [world["molde"], world["rauma"], world["hustadvika"]]
    people = {}
    for n in range(13):
        group = FaggruppePageFactory(parent=world["index"], title=f"Gruppe {n:02d}")
        for seat in range(3 + n % 4):
            organisation = organisations[seat % 3]
            people[n, seat] = person = PersonFactory(name=f"Medlem {n:02d}-{seat}", employer=organisation)
            MembershipFactory(group=group, person=person, represents=organisation)
    settings.FAGGRUPPE_PDF_PART_GROUPS = 4
    settings.FAGGRUPPE_PDF_PROCESSES = 1
    return {**world, "people": people}


class Builds:
    """Builds the overview PDF as the task does, each from a fresh overview; ``generated_at`` of the first, so that
    "Generated … at HH:MM" is the same (a build within the same minute); returns the PDF and how many parts of it
    were laid out and reused (from the build's log line)."""

    def __init__(self, data, caplog):
        self.world, self.caplog, self.generated_at = data, caplog, None

    def __call__(self):
        self.caplog.clear()
        with translation.override("nb"), self.caplog.at_level(logging.INFO, "faggruppe_pages.reader.exports.pdf"):
            overview = build_overview(root=self.world["index"])
            self.generated_at = self.generated_at or overview.generated_at
            overview.generated_at = self.generated_at
            content = overview_pdf(overview)
        (message,) = [r.getMessage() for r in self.caplog.records if r.getMessage().startswith("PDF of")]
        laid_out, reused = map(int, re.search(r"\((\d+) laid out in \d+ processes, (\d+) reused\)", message).groups())
        return content, laid_out, reused


def pages_of(content, path):
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout.split("\f")[:-1]


def kept_files():
    return sorted(default_storage.listdir(FOLDER)[1])


def test_a_rebuild_lays_out_only_the_changed_groups_parts_and_reads_as_a_build_from_nothing(large, caplog, tmp_path):
    build = Builds(large, caplog)
    first, laid_out, reused = build()
    assert (laid_out, reused) == (8, 0)
    # 8 parts and the page numbers, each with its marker.
    assert len(kept_files()) == 2 * 9
    assert build()[1:] == (0, 8)

    # One person's name in one group ("Gruppe 06": the second part of 4 groups, in the matrix and in the lists).
    person = large["people"][6, 0]
    person.name = "Nytt Navn"
    person.save()
    changed, laid_out, reused = build()
    assert (laid_out, reused) == (2, 6)
    changed_pages = pages_of(changed, tmp_path / "changed.pdf")
    text = "\n".join(changed_pages)
    assert "Nytt Navn" in text and "Medlem 06-0" not in text
    # What the build did not use is gone: the cache holds this build's parts and page numbers only.
    assert len(kept_files()) == 2 * 9

    # The same PDF as a build with nothing kept: the same pages, the same text on each.
    for name in kept_files():
        default_storage.delete(f"{FOLDER}/{name}")
    fresh, laid_out, reused = build()
    assert (laid_out, reused) == (8, 0)
    assert pages_of(fresh, tmp_path / "fresh.pdf") == changed_pages


@pytest.mark.parametrize("damage", ["truncated", "missing", "no marker", "bad marker"])
def test_a_damaged_or_missing_kept_part_is_laid_out_again(large, caplog, tmp_path, damage):
    build = Builds(large, caplog)
    first, _laid_out, _reused = build()
    # A part (the page numbers' marker has no page sizes).
    parts = [
        name
        for name in kept_files()
        if name.endswith(".pdf") and json.loads(default_storage.open(f"{FOLDER}/{name}{MARKER_SUFFIX}").read())["sizes"]
    ]
    name = f"{FOLDER}/{parts[0]}"
    if damage == "truncated":
        content = default_storage.open(name, "rb").read()
        default_storage.delete(name)
        default_storage.save(name, ContentFile(content[: len(content) // 2]))
    elif damage == "missing":
        default_storage.delete(name)
    elif damage == "no marker":
        default_storage.delete(name + MARKER_SUFFIX)
    else:
        default_storage.delete(name + MARKER_SUFFIX)
        default_storage.save(name + MARKER_SUFFIX, ContentFile(b"{not json"))
    again, laid_out, reused = build()
    # The damaged one is laid out again, the rest reused.
    assert (laid_out, reused) == (1, 7)
    assert pages_of(again, tmp_path / "again.pdf") == pages_of(first, tmp_path / "first.pdf")
    # ... and kept whole again.
    assert build()[1:] == (0, 8)
    assert len(kept_files()) == 2 * 9
