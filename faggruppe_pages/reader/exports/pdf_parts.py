"""One tagged PDF from the parts of a document rendered in parts (pdf.render_pdf_in_parts), joined with pikepdf.

pikepdf is qpdf's Python binding: the joined document's objects live in qpdf (C++), a few hundred bytes each,
where a pure-Python library needed over a gigabyte for the whole overview at demo ×100 (docs/pdf-memory.md).

Each part is a complete tagged PDF (PDF/UA-1) from WeasyPrint: pages, and a structure tree (``/StructTreeRoot``:
one ``Document`` element whose kids are the part's sections, tables, paragraphs ...; a ``/ParentTree`` that maps
each page's ``/StructParents`` number, and each link's ``/StructParent``, to the elements of its marked content).
The joined file is the first part with the other parts' pages appended, their elements appended to the first
part's ``Document`` element (their parent set to it), and their parent-tree keys shifted past the keys before
them, so a screen reader finds one document in reading order. Its catalogue (title, language, XMP metadata,
"display the document title") is the first part's, the same in every part.

The page numbers ("Side x av y") come from a separate PDF of empty pages (``numbers``): each of its pages is drawn
over the page of the same number as a form XObject, marked as an artifact (``/Artifact BMC … EMC``: not part of
the text a screen reader reads, as page numbers should be).
"""

import contextlib
import io

import pikepdf
from pikepdf import Array, Name


def join(files, numbers):
    """The PDF (bytes) of the part files ``files`` in order, with the pages of the PDF ``numbers`` laid over."""
    with contextlib.ExitStack() as sources:
        pdf = sources.enter_context(pikepdf.open(files[0]))
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        nums = tree.ParentTree.Nums
        next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
        for path in files[1:]:
            with pikepdf.open(path) as part:
                next_key = _append_part(pdf, part, document, nums, next_key)
                _copy_stream_data(pdf, part)
        _lay_over(pdf, sources.enter_context(pikepdf.open(io.BytesIO(numbers))))
        output = io.BytesIO()
        pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()


def _append_part(pdf, part, document, nums, next_key):
    """Appends the pages and the structure tree of ``part`` to ``pdf``; returns the next free parent-tree key."""
    offset = next_key
    for page in part.pages:
        pdf.pages.append(page)
        added = pdf.pages[-1].obj
        if Name.StructParents in added:
            added.StructParents = int(added.StructParents) + offset
        for annotation in added.get(Name.Annots, ()):
            if Name.StructParent in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    # The part's whole tree is copied at once (qpdf maps each object once, and the pages to the pages appended);
    # its root and document element are then left behind, unreferenced, and not written.
    part_tree = pdf.copy_foreign(part.Root.StructTreeRoot)
    part_document = part_tree.K[0].objgen
    for kid in part_tree.K[0].K:
        kid.P = document
        document.K.append(kid)
    part_nums = part_tree.ParentTree.Nums
    for i in range(0, len(part_nums), 2):
        key = int(part_nums[i]) + offset
        value = part_nums[i + 1]
        nums.append(key)
        nums.append(value)
        next_key = max(next_key, key + 1)
        # The elements of a page's margin boxes (title, date) are in the parent tree only, as WeasyPrint makes
        # them, with the document element as their parent.
        for element in value if isinstance(value, Array) else [value]:
            if element.is_indirect and Name.P in element and element.P.objgen == part_document:
                element.P = document
    return next_key


def _copy_stream_data(pdf, part):
    """qpdf copies a stream's data from its source only when the copy is written; copied now, the part (tens of
    megabytes of parsed objects at demo ×100) can be closed before the next is opened."""
    for stream in [obj for obj in part.objects if isinstance(obj, pikepdf.Stream)]:
        copy = pdf.copy_foreign(stream)  # the copy made with the pages and the tree (one copy per object)
        copy.write(stream.read_raw_bytes(), filter=copy.get(Name.Filter), decode_parms=copy.get(Name.DecodeParms))


def _lay_over(pdf, numbers):
    """Draws page n of the PDF ``numbers`` over page n of ``pdf``, marked as an artifact."""
    if len(numbers.pages) != len(pdf.pages):
        raise ValueError(f"{len(numbers.pages)} pages of page numbers for {len(pdf.pages)} pages")
    for page, number_page in zip(pdf.pages, numbers.pages, strict=True):
        form = pdf.copy_foreign(number_page.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="PageNumber")
        page.contents_add(pdf.make_stream(b"/Artifact BMC q " + name.unparse() + b" Do Q EMC"), prepend=False)
