"""The PDFs of a large document's parts, kept from one build to the next (pdf.render_pdf_in_parts).

Every membership change makes a new whole-overview PDF, but most of its parts (100 groups each) are what they were:
a part is rendered without page numbers, so a part whose HTML is byte for byte the same as one rendered before gives
the same PDF. Its PDF is kept under the hash of its HTML, the WeasyPrint and Pango versions and the PDF variant, and
reused instead of laid out again; the page-number document (the same when the page count and sizes are) too.

Where: Django's default storage (media; S3-compatible storage when several app servers share it), under
``eksport/pdf-deler/<document>/``, where the finished downloads are too (reader/exports/background.py): any task
worker on any server reuses what another built, and the parts (member lists: personal data, the same for every
logged-in employee) live where the finished files live and are removed the same way. ``<document>`` names the
document (the overview, its language and filter), so builds of different documents never remove each other's parts.

Each part is ``<key>.pdf``, then ``<key>.pdf.json`` (its SHA-256 and page sizes) written after it: a part is reused
only when its marker is there and the bytes read match the marker's hash, so a part still being written, cut short
or damaged is rendered again (and replaced), never joined. After a build, ``clean()`` removes the parts of that
document the build did not use: the cache holds at most one build's parts a document. Two workers at once are
safe, at worst slower: a part the other build removed meanwhile is rendered again; of two saving the same key at
once, the second save is dropped (``storage.save`` picks another name, which is deleted); a marker that does not match
its file (a race lost that way) makes the next build render the part again.

Nothing here may fail a build: a cache that cannot be read or written is logged and the part is rendered.
"""

import hashlib
import json
import logging
import re

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

#: The folder of the kept parts in the default storage.
CACHE_DIR = "eksport/pdf-deler"
#: Written after a part: its hash and page sizes. A part without it is not (completely) there.
MARKER_SUFFIX = ".json"
#: Bumped when what a kept part means changes (e.g. how the parts are joined).
FORMAT = 1


def _renderer_version():
    """WeasyPrint's and Pango's versions: another version may lay out the same HTML differently."""
    import weasyprint
    from weasyprint.text.ffi import pango

    return f"weasyprint {weasyprint.__version__}, pango {pango.pango_version()}"


def part_key(html, variant):
    """The hash a part's PDF is kept under: its HTML, the renderer's version, the PDF variant."""
    digest = hashlib.sha256(f"{FORMAT}\0{_renderer_version()}\0{variant}\0".encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def _token(value):
    return re.sub(r"[^A-Za-z0-9-]+", "", str(value)) or "0"


class PartCache:
    """The kept parts of one document (``document``: e.g. ``medlemsoversikt-nb-alle``) during one build."""

    def __init__(self, document, storage=None):
        self.folder = f"{CACHE_DIR}/{_token(document)}"
        self.storage = storage or default_storage
        self.used = set()

    def _name(self, key):
        return f"{self.folder}/{key}.pdf"

    def fetch(self, key, path):
        """The kept part ``key`` copied to the file ``path``, and its pages' sizes; None when it is not kept (or
        not whole: then it is removed, and rendered and kept again)."""
        self.used.add(key)
        name = self._name(key)
        try:
            if not self.storage.exists(name + MARKER_SUFFIX):
                return None
            with self.storage.open(name + MARKER_SUFFIX, "rb") as marker:
                meta = json.loads(marker.read())
            digest = hashlib.sha256()
            with self.storage.open(name, "rb") as source, open(path, "wb") as target:
                for chunk in source.chunks():
                    digest.update(chunk)
                    target.write(chunk)
            if digest.hexdigest() != meta["sha256"]:
                raise ValueError("its hash is not its marker's")
            return [tuple(size) for size in meta["sizes"]]
        except FileNotFoundError:  # removed by another build after the check (or lost): its marker goes too
            self._delete(name)
            return None
        except Exception:
            logger.warning("Kept PDF part %s is not usable; it is rendered again", name, exc_info=True)
            self._delete(name)
            return None

    def keep(self, key, path, sizes):
        """Keeps the rendered part file ``path`` (pages of ``sizes``) as ``key``."""
        self.used.add(key)
        name = self._name(key)
        try:
            if self.storage.exists(name + MARKER_SUFFIX):
                return  # kept meanwhile by another build
            if self.storage.exists(name):
                self.storage.delete(name)  # a file without its marker: cut short, or still being written
            digest = hashlib.sha256()
            with open(path, "rb") as part:
                for chunk in iter(lambda: part.read(1 << 20), b""):
                    digest.update(chunk)
                part.seek(0)
                saved = self.storage.save(name, File(part, name=name))
            if saved != name:
                # Another build saved it at the same moment: theirs, with their marker, is as good.
                self.storage.delete(saved)
                return
            meta = {"sha256": digest.hexdigest(), "sizes": [list(size) for size in sizes]}
            self.storage.save(name + MARKER_SUFFIX, ContentFile(json.dumps(meta).encode()))
        except Exception:
            logger.warning("Could not keep PDF part %s", name, exc_info=True)

    def clean(self):
        """Removes this document's kept parts (and markers) that this build did not use."""
        try:
            _dirs, files = self.storage.listdir(self.folder)
        except FileNotFoundError:
            return
        except Exception:
            logger.warning("Could not list the kept PDF parts in %s", self.folder, exc_info=True)
            return
        for file_name in files:
            if file_name.split(".", 1)[0] not in self.used:
                self._delete(f"{self.folder}/{file_name}")

    def _delete(self, name):
        for each in (name + MARKER_SUFFIX, name) if not name.endswith(MARKER_SUFFIX) else (name,):
            try:
                self.storage.delete(each)
            except Exception:  # removed by another build meanwhile, or not removable now: the next clean()
                pass
