"""One tagged PDF from the parts of a document rendered in parts (pdf.render_pdf_in_parts), written as it is read.

Each part is a complete tagged PDF (PDF/UA-1) from WeasyPrint: pages, and a structure tree (``/StructTreeRoot``:
one ``Document`` element whose kids are the part's sections, tables, paragraphs ...; a ``/ParentTree`` that maps
each page's ``/StructParents`` number, and each link's ``/StructParent``, to the elements of its marked content).
The joined file has every part's pages in order under one page tree, every part's elements under one
``Document`` element, and one parent tree whose keys are each part's shifted past the keys before them, so a
screen reader finds one document in reading order. Its catalogue (title, language, XMP metadata, "display the
document title") is the first part's, the same in every part.

The page numbers ("Side x av y") come from a separate PDF of empty pages (``numbers``): each of its pages becomes
a form XObject drawn over the page of the same number, marked as an artifact (``/Artifact BMC … EMC``: not part
of the text a screen reader reads, as page numbers should be).

Memory: pikepdf (qpdf) reads one part at a time; each object of it is written out at once (renumbered: a part's
object n becomes base + n) into object streams, as WeasyPrint writes them. What is kept until the end is a few
bytes per object (where it is written) and per page (the page list, the parent tree's entries). Building the
joined document in memory instead (pikepdf's ``pages.append``, or pypdf) took ~500 MB (qpdf) and 1.4 GB (pypdf)
for the ~260,000 structure elements of the overview at demo ×100 (docs/pdf-memory.md).
"""

import io
import re
import zlib
from array import array
from pathlib import Path

import pikepdf
from pikepdf import Name

#: In qpdf's unparsed syntax: a literal string (qpdf escapes every parenthesis and backslash), a hex string, or an
#: indirect reference "12 0 R", whose number is what the joined file changes.
_TOKENS = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|(?<![\w.+-])(\d+) (\d+) R(?![\w])")

CATALOG, PAGES, TREE, PARENT_TREE, DOCUMENT, OVERLAY = 1, 2, 3, 4, 5, 6
#: Objects per object stream: the joined file keeps the parts' compactness (WeasyPrint writes object streams too).
OBJECTS_PER_STREAM = 200


class _Writer:
    """Writes numbered objects to a file as they come, into object streams where it can; then the
    cross-reference stream. Keeps only where each object is (two small integers an object)."""

    def __init__(self, file):
        self.file = file
        self.kind = array("B")  # 0 free, 1 at an offset, 2 in an object stream
        self.where = array("Q")  # the offset, or the object stream's number
        self.index = array("H")  # the place in its object stream
        self.pending = []  # (number, bytes) for the next object stream
        self.next_number = OVERLAY + 1
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self, count):
        first = self.next_number
        self.next_number += count
        return first

    def _grow(self, number):
        while len(self.kind) <= number:
            self.kind.append(0)
            self.where.append(0)
            self.index.append(0)

    def add(self, number, body):
        """A non-stream object (its unparsed bytes)."""
        self.pending.append((number, body))
        if len(self.pending) >= OBJECTS_PER_STREAM:
            self.flush()

    def add_stream(self, number, dictionary, data):
        self._grow(number)
        self.kind[number], self.where[number] = 1, self.file.tell()
        self.file.write(b"%d 0 obj\n%s\nstream\n" % (number, dictionary))
        self.file.write(data)
        self.file.write(b"\nendstream\nendobj\n")

    def flush(self):
        if not self.pending:
            return
        number = self.reserve(1)
        heads, bodies, offset = [], [], 0
        for place, (member, body) in enumerate(self.pending):
            self._grow(member)
            self.kind[member], self.where[member], self.index[member] = 2, number, place
            heads.append(b"%d %d" % (member, offset))
            bodies.append(body)
            offset += len(body) + 1
        head = b" ".join(heads) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies))
        self.pending = []
        dictionary = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>" % (
            len(heads),
            len(head),
            len(data),
        )
        self.add_stream(number, dictionary, data)

    def finish(self, root, info):
        self.flush()
        number = self.reserve(1)
        self._grow(number)
        self.kind[number], self.where[number] = 1, self.file.tell()
        rows = bytearray()
        for kind, where, index in zip(self.kind, self.where, self.index, strict=True):
            rows += bytes([kind]) + where.to_bytes(5, "big") + index.to_bytes(2, "big")
        rows[0:8] = b"\x00" + (0).to_bytes(5, "big") + (65535).to_bytes(2, "big")
        data = zlib.compress(bytes(rows))
        info_part = b" /Info %d 0 R" % info if info else b""
        self.file.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 5 2] /Root %d 0 R%s /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (number, len(self.kind), root, info_part, len(data))
        )
        self.file.write(data)
        self.file.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.where[number])


def _unparse(value):
    """pikepdf gives simple values (numbers, booleans) as Python values: their PDF syntax too."""
    if isinstance(value, pikepdf.Object):
        return value.unparse()
    return pikepdf.Array([value]).unparse()[2:-2]


def _renumber(body, mapping):
    if b" R" not in body:  # no reference in it (most numbers and names, many arrays): nothing to renumber
        return body

    def replace(match):
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % mapping(int(match.group(1)))

    return _TOKENS.sub(replace, body)


def _dictionary(obj, mapping, drop=(), add=b""):
    """A dictionary's bytes with its references renumbered, ``drop`` keys left out and ``add`` added."""
    items = [
        Name(key).unparse() + b" " + _renumber(_unparse(value), mapping)
        for key, value in obj.items()
        if key not in drop
    ]
    return b"<< " + b" ".join(items) + add + b" >>"


def join(files, numbers):
    """The PDF (bytes) of the part files ``files`` in order, with the pages of the PDF ``numbers`` laid over
    (its bytes, or a function that gives them: asked for only after the parts are written, so the page numbers
    can be laid out meanwhile)."""
    path = Path(files[0]).with_name("joined.pdf")
    with open(path, "wb") as output:
        _join(files, numbers, output)
    return path.read_bytes()


def _join(files, numbers, output):
    writer = _Writer(output)
    page_refs, document_kids, nums = [], [], []
    # Each page's page number is a form XObject; their object numbers are taken as the pages come and the forms
    # written at the end, from the page-number document.
    forms = []
    next_key = 0
    catalog = info = None
    for part_number, path in enumerate(files):
        with pikepdf.open(path) as part:
            base = writer.reserve(max(num for num, _gen in (obj.objgen for obj in part.objects)) + 1)
            tree = part.Root.StructTreeRoot
            special = {
                part.Root.objgen[0]: CATALOG,
                part.Root.Pages.objgen[0]: PAGES,
                tree.objgen[0]: TREE,
                tree.ParentTree.objgen[0]: PARENT_TREE,
                tree.K[0].objgen[0]: DOCUMENT,
            }

            def mapping(old, special=special, base=base):
                return special.get(old) or base + old

            skip = set(special)
            if part_number == 0:
                catalog = _dictionary(
                    part.Root, mapping, drop=("/Pages", "/StructTreeRoot"), add=b" /Pages 2 0 R /StructTreeRoot 3 0 R"
                )
                if "/Info" in part.trailer:
                    info = mapping(part.trailer.Info.objgen[0])
            else:
                for key in ("/Metadata", "/Outlines"):
                    if key in part.Root and part.Root[key].is_indirect:
                        skip.add(part.Root[key].objgen[0])
                if "/Info" in part.trailer:
                    skip.add(part.trailer.Info.objgen[0])
            offset = next_key
            pages = {}
            for page in part.pages:
                pages[page.obj.objgen[0]] = len(page_refs)
                page_refs.append(mapping(page.obj.objgen[0]))
                forms.append(writer.reserve(1))
            for obj in part.objects:
                number = obj.objgen[0]
                if number in skip:
                    continue
                if isinstance(obj, pikepdf.Stream):
                    if obj.stream_dict.get("/Type") in (Name.ObjStm, Name.XRef):
                        continue
                    data = obj.read_raw_bytes()
                    dictionary = _dictionary(
                        obj.stream_dict, mapping, drop=("/Length",), add=b" /Length %d" % len(data)
                    )
                    writer.add_stream(mapping(number), dictionary, data)
                elif number in pages:
                    writer.add(mapping(number), _page(obj, mapping, offset, forms[pages[number]]))
                elif isinstance(obj, pikepdf.Dictionary) and "/StructParent" in obj:
                    add = b" /StructParent %d" % (int(obj.StructParent) + offset)
                    writer.add(mapping(number), _dictionary(obj, mapping, drop=("/StructParent",), add=add))
                else:
                    writer.add(mapping(number), _renumber(obj.unparse(resolved=True), mapping))
            document_kids.extend(_renumber(kid.unparse(), mapping) for kid in tree.K[0].K)
            part_nums = tree.ParentTree.Nums
            for i in range(0, len(part_nums), 2):
                key = int(part_nums[i]) + offset
                nums.append(b"%d %s" % (key, _renumber(part_nums[i + 1].unparse(), mapping)))
                next_key = max(next_key, key + 1)
    with pikepdf.open(io.BytesIO(numbers() if callable(numbers) else numbers)) as numbers_pdf:
        if len(numbers_pdf.pages) != len(forms):
            raise ValueError(f"{len(numbers_pdf.pages)} page numbers for {len(forms)} pages")
        _write_numbers(writer, numbers_pdf, forms)
    overlay = b"/Artifact BMC q /PageNumber Do Q EMC"
    writer.add_stream(OVERLAY, b"<< /Length %d >>" % len(overlay), overlay)
    writer.add(CATALOG, catalog)
    kids = b" ".join(b"%d 0 R" % ref for ref in page_refs)
    writer.add(PAGES, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, len(page_refs)))
    writer.add(TREE, b"<< /Type /StructTreeRoot /ParentTree 4 0 R /ParentTreeNextKey %d /K [ 5 0 R ] >>" % next_key)
    writer.add(PARENT_TREE, b"<< /Nums [ " + b" ".join(nums) + b" ] >>")
    writer.add(DOCUMENT, b"<< /Type /StructElem /S /Document /P 3 0 R /K [ " + b" ".join(document_kids) + b" ] >>")
    writer.finish(CATALOG, info)


def _page(page, mapping, offset, form):
    resources = page.Resources
    xobjects = b""
    if "/XObject" in resources:
        xobjects = b" ".join(
            Name(key).unparse() + b" " + _renumber(_unparse(value), mapping) for key, value in resources.XObject.items()
        )
    resource_items = b" ".join(
        Name(key).unparse() + b" " + _renumber(_unparse(value), mapping)
        for key, value in resources.items()
        if key != "/XObject"
    )
    contents = page.Contents
    if isinstance(contents, pikepdf.Array):
        contents_refs = b" ".join(_renumber(c.unparse(), mapping) for c in contents)
    else:
        contents_refs = b"%d 0 R" % mapping(contents.objgen[0])
    add = b" /Parent 2 0 R /Contents [ %s %d 0 R ] /Resources << %s /XObject << %s /PageNumber %d 0 R >> >>" % (
        contents_refs,
        OVERLAY,
        resource_items,
        xobjects,
        form,
    )
    if "/StructParents" in page:
        add += b" /StructParents %d" % (int(page.StructParents) + offset)
    return _dictionary(page, mapping, drop=("/Parent", "/Contents", "/Resources", "/StructParents"), add=add)


def _write_numbers(writer, numbers, forms):
    """The page-number document's objects, and a form XObject of each of its pages, as the objects ``forms``."""
    base = writer.reserve(max(obj.objgen[0] for obj in numbers.objects) + 1)

    def mapping(old):
        return base + old

    skip = {numbers.Root.objgen[0], numbers.Root.Pages.objgen[0]} | {page.obj.objgen[0] for page in numbers.pages}
    if "/Info" in numbers.trailer:
        skip.add(numbers.trailer.Info.objgen[0])
    for obj in numbers.objects:
        number = obj.objgen[0]
        if number in skip or (
            isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") in (Name.ObjStm, Name.XRef)
        ):
            continue
        if isinstance(obj, pikepdf.Stream):
            data = obj.read_raw_bytes()
            writer.add_stream(
                mapping(number),
                _dictionary(obj.stream_dict, mapping, drop=("/Length",), add=b" /Length %d" % len(data)),
                data,
            )
        else:
            writer.add(mapping(number), _renumber(obj.unparse(resolved=True), mapping))
    for page, number in zip(numbers.pages, forms, strict=True):
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        data = zlib.compress(b"\n".join(stream.read_bytes() for stream in streams))
        box = _renumber(page.obj.MediaBox.unparse(resolved=True), mapping)
        resources = _renumber(page.obj.Resources.unparse(resolved=True), mapping)
        writer.add_stream(
            number,
            b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s /Filter /FlateDecode /Length %d >>"
            % (box, resources, len(data)),
            data,
        )
