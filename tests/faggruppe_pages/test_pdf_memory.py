"""PDF exports do not grow a worker's memory (docs/pdf-memory.md).

WeasyPrint makes a new FontConfiguration for every document unless it is given one, and each of those
leaks its fontconfig configuration (~220 KB with Debian 12's pango 1.50): a worker grew by that much with
every PDF. ``reader.exports.pdf.overview_pdf`` reuses font configurations; these tests hold it to that, structurally
(no new one per PDF, never one shared by two renders at once) and by the C heap over 30 PDFs.
tests/perf/pdf_memory.py measures the whole overview over hundreds of PDFs.
"""

import ctypes
import ctypes.util
import gc
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint.text.fonts import FontConfiguration

from faggruppe_pages import pdf_render
from faggruppe_pages.models import Role
from faggruppe_pages.reader.exports.background import EXPORT_DIR
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
PDF_URL = "/faggrupper/medlemsoversikt/pdf/"
#: The old code grew the heap by ~220 KB a PDF, 30 PDFs by ~6.5 MB; reusing font configurations, by ~0.
PDFS, MAX_GROWTH = 30, 3 * 1024 * 1024


@pytest.fixture
def members(group, molde, rauma):
    MembershipFactory(group=group, person=PersonFactory(name="Kari Ærlig-Østby", employer=molde), role=Role.LEADER)
    MembershipFactory(group=group, person=PersonFactory(name="Ola Nordmann", employer=rauma))


def get_pdf(client):
    # A stored copy would be served without rendering (reader/exports/background.py): render every time.
    shutil.rmtree(Path(settings.MEDIA_ROOT) / EXPORT_DIR, ignore_errors=True)
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.getvalue().startswith(b"%PDF")
    return response


def test_pdfs_reuse_one_font_configuration(reader_client, members, monkeypatch):
    created = []
    original = FontConfiguration.__init__

    def counted(self, *args, **kwargs):
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FontConfiguration, "__init__", counted)
    for _ in range(3):
        get_pdf(reader_client)
    assert len(created) <= 1  # none if an earlier test left one idle


def test_two_renders_at_once_never_share_a_font_configuration():
    first = pdf_render._take_font_config()
    second = pdf_render._take_font_config()
    try:
        assert first is not second
    finally:
        pdf_render._idle_font_configs.put(first)
        pdf_render._idle_font_configs.put(second)


def heap_in_use():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("needs glibc's mallinfo2 (glibc 2.33 or later)")

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks")
        ] + [("fordblks", ctypes.c_size_t), ("keepcost", ctypes.c_size_t)]

    libc.mallinfo2.restype = MallInfo2
    gc.collect()
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd


def test_heap_stays_flat_over_many_pdfs(reader_client, members):
    """glibc's bytes in use, not RSS: freed memory that malloc keeps is not growth."""
    for _ in range(5):
        get_pdf(reader_client)
    before = heap_in_use()
    for _ in range(PDFS):
        get_pdf(reader_client)
    growth = heap_in_use() - before
    assert growth < MAX_GROWTH, f"the C heap grew {growth / 1024:.0f} KiB over {PDFS} PDFs"
