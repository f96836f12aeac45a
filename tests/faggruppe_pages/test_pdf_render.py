"""faggruppe_pages/pdf_render.py: the parts of a large PDF laid out in processes of their own, side by side."""

import gc
import subprocess

import pytest

from faggruppe_pages import conf, pdf_render

PAGE = "<html lang='nb'><head><title>Del</title><style>@page {{ size: {size}; }}</style></head><body>{body}</body>"


def text_of(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_parts_in_processes_are_the_parts_in_order(tmp_path):
    parts = [
        ("A4", "<p>Første del</p>"),
        ("A4 landscape", "<p>Andre del</p>" + "<p style='break-before: page'>Andre del, side to</p>"),
        ("A5", "<p>Tredje del</p>"),
    ]
    jobs = [
        (PAGE.format(size=size, body=body), tmp_path / f"{number}.pdf") for number, (size, body) in enumerate(parts)
    ]
    # Started in the order given, answered by file.
    with pdf_render.renderers(2) as pool:
        sizes = pdf_render.render_files(reversed(jobs), pool)
    assert {path.name: [(round(w), round(h)) for w, h in part] for path, part in sizes.items()} == {
        "0.pdf": [(794, 1123)],
        "1.pdf": [(1123, 794), (1123, 794)],
        "2.pdf": [(559, 794)],
    }
    assert [text_of(path).split() for _html, path in jobs] == [
        ["Første", "del"],
        ["Andre", "del", "Andre", "del,", "side", "to"],
        ["Tredje", "del"],
    ]
    # The same in this process.
    alone = [(html, tmp_path / f"{number}-alone.pdf") for number, (html, _path) in enumerate(jobs)]
    in_process = pdf_render.render_files(alone)
    assert [in_process[path] for _html, path in alone] == [sizes[path] for _html, path in jobs]
    assert [text_of(path) for _html, path in alone] == [text_of(path) for _html, path in jobs]


def test_an_error_in_a_part_reaches_the_caller(tmp_path):
    jobs = [(PAGE.format(size="A4", body="<p>Del</p>"), tmp_path / "missing-folder" / "part.pdf")]
    with pytest.raises(FileNotFoundError), pdf_render.renderers(2) as pool:
        pdf_render.render_files(jobs * 2, pool)


@pytest.mark.parametrize(("configured", "expected"), [(1, 1), (3, 3), (0, min(4, pdf_render.available_cpus()))])
def test_processes_follow_the_setting_or_the_cpus(settings, configured, expected):
    settings.FAGGRUPPE_PDF_PROCESSES = configured
    assert conf.pdf_processes() == expected


def test_a_part_is_laid_out_with_one_garbage_collection_at_the_end(tmp_path):
    """The automatic collections during a layout cost about a fifth of a part's CPU for nothing (docs/pdf-memory.md,
    "Garbage collection"): paused while a part is laid out, one collection after it, and the setting restored."""
    collections = []

    def counted(phase, info):
        if phase == "stop":
            collections.append(info["generation"])

    rows = "".join(f"<tr><td>Rad {n}</td><td>Navn {n}</td></tr>" for n in range(400))
    html = PAGE.format(size="A4", body=f"<table>{rows}</table>")
    pdf_render.render_bytes(PAGE.format(size="A4", body="<p>Før</p>"))  # WeasyPrint's first import collects itself
    gc.callbacks.append(counted)
    try:
        assert gc.isenabled()
        pdf_render.render_file(html, tmp_path / "part.pdf")
        assert gc.isenabled()
        assert collections == [2]  # the one full collection at the end
        gc.disable()
        try:
            pdf_render.render_file(html, tmp_path / "again.pdf")
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        gc.callbacks.remove(counted)
    assert "Navn 399" in text_of(tmp_path / "part.pdf")


def test_page_numbers_laid_out_in_the_pool_while_the_parts_are_joined(tmp_path):
    """The join asks for the page numbers only after writing the parts (pdf.render_pdf_in_parts lays them out in a
    process meanwhile): the joined PDF has every part's text and every page's number; a page-number document of
    another length is refused, never laid over the wrong pages."""
    from faggruppe_pages.reader.exports import pdf_parts

    parts = [(tmp_path / "0.pdf", "<p>Første del</p>"), (tmp_path / "1.pdf", "<p>Andre del</p>")]
    numbered = "".join(f"<p style='{'break-before: page' if n else ''}'>Side {n + 1} av 2</p>" for n in range(2))
    three = "".join(f"<p style='{'break-before: page' if n else ''}'>Side {n + 1} av 3</p>" for n in range(3))
    with pdf_render.renderers(2) as pool:
        pdf_render.render_files(((PAGE.format(size="A4", body=body), path) for path, body in parts), pool=pool)
        asked = []
        later = pdf_render.render_later(PAGE.format(size="A4", body=numbered), pool, variant=None)

        def numbers():
            asked.append(True)
            return later()

        joined = pdf_parts.join([path for path, _body in parts], numbers)
        assert asked == [True]
        with pytest.raises(ValueError, match="3 page numbers for 2 pages"):
            pdf_parts.join(
                [path for path, _body in parts],
                pdf_render.render_later(PAGE.format(size="A4", body=three), pool, variant=None),
            )
    (tmp_path / "joined.pdf").write_bytes(joined)
    pages = text_of(tmp_path / "joined.pdf").split("\f")
    assert "Første del" in pages[0] and "Side 1 av 2" in pages[0]
    assert "Andre del" in pages[1] and "Side 2 av 2" in pages[1]
