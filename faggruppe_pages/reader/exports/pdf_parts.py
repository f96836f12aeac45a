"""One tagged PDF from the parts of a document rendered in parts (pdf.render_pdf_in_parts), joined with pypdf.

Each part is a complete tagged PDF (PDF/UA-1) from WeasyPrint: pages, and a structure tree (``/StructTreeRoot``:
one ``Document`` element whose kids are the part's sections, tables, paragraphs ...; a ``/ParentTree`` that maps
each page's ``/StructParents`` number, and each link's ``/StructParent``, to the elements of its marked content).
The joined file is the first part with the other parts' pages appended, their elements appended to the first
part's ``Document`` element (parents set to it), and their parent-tree keys shifted past the keys before them, so
a screen reader finds one document in reading order. Its catalogue (title, language, XMP metadata, "display the
document title") is the first part's, the same in every part.

The page numbers ("Side x av y") come from a separate PDF of empty pages (``numbers``): each of its pages is laid
over the page of the same number, its content marked as an artifact (``/Artifact BMC … EMC``: not part of the
text a screen reader reads, as page numbers should be).
"""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

P = NameObject("/P")
K = NameObject("/K")


def join(files, numbers):
    """The PDF (bytes) of the part files ``files`` in order, with the pages of the PDF ``numbers`` laid over."""
    writer = PdfWriter(clone_from=str(files[0]))
    tree = writer.root_object["/StructTreeRoot"].get_object()
    document_ref = tree[K][0]
    document = document_ref.get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    next_key = max((nums[i] for i in range(0, len(nums), 2)), default=-1) + 1
    for path in files[1:]:
        reader = PdfReader(path)
        offset = next_key
        for page in reader.pages:
            added = writer.add_page(page)
            if "/StructParents" in page:  # which pypdf leaves out of the copy
                added[NameObject("/StructParents")] = NumberObject(page["/StructParents"] + offset)
            for annotation in added.get("/Annots", ()):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(annotation["/StructParent"] + offset)
        part_tree = reader.root_object["/StructTreeRoot"]
        # Cloned without their "/P" (which leads to the part's own tree root): set again below.
        for kid in part_tree[K][0].get_object()[K]:
            clone = kid.clone(writer, ignore_fields=("/P",))
            document[K].append(clone)
            _set_parents(clone, document_ref)
        part_nums = part_tree["/ParentTree"]["/Nums"]
        for i in range(0, len(part_nums), 2):
            key = part_nums[i] + offset
            value = part_nums[i + 1].clone(writer, ignore_fields=("/P",))
            nums.extend([NumberObject(key), value])
            next_key = max(next_key, key + 1)
            # Elements of the page's margin boxes (title, date) are in the parent tree only, as WeasyPrint makes
            # them: their parent is the document element.
            for element in value if isinstance(value, ArrayObject) else [value]:
                element = element.get_object()
                if isinstance(element, DictionaryObject) and P not in element:
                    element[P] = document_ref
        # The writer keeps every source it cloned from (pypdf's map of cloned objects); this part's is done.
        writer._id_translated.pop(id(reader), None)
        del reader
    _lay_over(writer, numbers)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _set_parents(root_ref, parent_ref):
    """Sets ``/P`` of the structure element ``root_ref`` and of every element below it."""
    stack = [(root_ref, parent_ref)]
    while stack:
        ref, parent = stack.pop()
        element = ref.get_object()
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            continue  # a marked-content id, or a reference to marked content or an annotation
        element[P] = parent
        kids = element.get(K)
        if kids is None:
            continue
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject):
                stack.append((kid, ref))


def _lay_over(writer, numbers):
    """Lays page n of the PDF ``numbers`` over page n of ``writer``, marked as an artifact."""
    marked = PdfWriter(clone_from=io.BytesIO(numbers))
    for page in marked.pages:
        content = page.get_contents()
        content.set_data(b"/Artifact BMC\n" + content.get_data() + b"\nEMC\n")
        page.replace_contents(content)
    buffer = io.BytesIO()
    marked.write(buffer)
    numbers_reader = PdfReader(buffer)
    for page, number_page in zip(writer.pages, numbers_reader.pages, strict=True):
        page.merge_page(number_page)
        page.compress_content_streams()
