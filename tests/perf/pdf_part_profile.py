#!/usr/bin/env python
"""One part of the whole-overview PDF, laid out alone: CPU seconds by WeasyPrint's phases.
`python tests/perf/pdf_part_profile.py dump --scale 100 --out /tmp/parts` then
`python tests/perf/pdf_part_profile.py time /tmp/parts/part-10.html --repeat 3 --profile`

``dump`` builds the demo at ``--scale`` in a throwaway database (tests/perf/bench.py's machinery) and writes the
HTML of every part ``overview_pdf`` would lay out (``part-N.html`` as render_pdf_in_parts numbers them: the matrix's
parts, then the lists'), without laying out anything. With ``--twice`` it
touches one membership's ``updated_at`` (what export_task.py's ``--repeat`` does) and dumps again into ``again/``,
then says which parts' HTML differ.

``time`` lays out a dumped part with faggruppe_pages/pdf_render.py (no Django), ``--repeat`` times, and prints wall
and CPU seconds of each phase: parsing the HTML, the cascade (computed styles for every element), building the
boxes, layout, drawing the pages, the PDF/UA tags, the fonts (subsetting), all of writing, and the CPU of Python's
garbage collections (timed by gc.callbacks). ``--profile``
adds cProfile's own time by module. ``--option key=value`` passes write_pdf/render options (e.g. full_fonts=1).
Like bench.py this has no test_ functions: pytest never collects it.
"""

import argparse
import cProfile
import gc
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


class _Dumped(Exception):
    pass


def dump(args):
    from tests.perf.bench import create_bench_db, destroy_bench_db, load_scale, setup_django

    setup_django()
    state = create_bench_db()
    try:
        from django.utils import timezone, translation
        from intranet.demo.loader import INDEX_SLUG

        from faggruppe_pages import pdf_render
        from faggruppe_pages.models import FaggruppeIndexPage, Membership
        from faggruppe_pages.reader.exports.pdf import overview_pdf
        from faggruppe_pages.reader.overview import build_overview

        print(f"Demo data at scale {args.scale} loaded in {load_scale(args.scale):.1f} s", flush=True)
        index = FaggruppeIndexPage.objects.get(slug=INDEX_SLUG)

        def capture(out):
            out.mkdir(parents=True, exist_ok=True)

            def render_files(jobs, pool=None):
                for html, path in jobs:
                    (out / (Path(path).stem + ".html")).write_text(html, encoding="utf-8")
                raise _Dumped

            original = pdf_render.render_files
            pdf_render.render_files = render_files
            try:
                with translation.override("nb"):
                    overview_pdf(build_overview(root=index))
            except _Dumped:
                pass
            finally:
                pdf_render.render_files = original

        out = Path(args.out)
        capture(out)
        print(f"dumped {len(list(out.glob('*.html')))} parts to {out}")
        if args.twice:
            Membership.objects.filter(pk=Membership.objects.order_by("pk").values("pk")[:1]).update(
                updated_at=timezone.now()
            )
            capture(out / "again")
            for path in sorted(out.glob("*.html")):
                other = out / "again" / path.name
                same = other.exists() and other.read_bytes() == path.read_bytes()
                print(f"{path.name}: {'same' if same else 'DIFFERENT'}")
    finally:
        destroy_bench_db(state)


#: Phases timed directly (the functions WeasyPrint 70 calls once per document), outermost first.
PHASES = [
    ("parse HTML", "weasyprint", "HTML.__init__"),
    ("cascade", "weasyprint.document", "get_all_computed_styles"),
    ("boxes", "weasyprint.document", "build_formatting_structure"),
    ("layout", "weasyprint.document", "layout_document"),
    ("draw", "weasyprint.document", "Page.paint"),
    ("tags", "weasyprint.pdf", "add_tags"),
    ("fonts", "weasyprint.pdf", "build_fonts_dictionary"),
    ("write_pdf (all)", "weasyprint.document", "Document.write_pdf"),
]


def _instrument(totals):
    import importlib

    for label, module_name, attribute in PHASES:
        module = importlib.import_module(module_name)
        owner, name = module, attribute
        if "." in attribute:
            owner_name, name = attribute.split(".")
            owner = getattr(module, owner_name)
        original = getattr(owner, name)

        def timed(*args, _original=original, _label=label, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                result = _original(*args, **kwargs)
                if _label == "layout":  # a generator of pages: laid out as they are taken
                    result = list(result)
                return result
            finally:
                totals[_label][0] += time.perf_counter() - wall
                totals[_label][1] += time.process_time() - cpu

        setattr(owner, name, timed)


#: cProfile's own time by file, grouped (C functions go to "builtins": their callers' phases are above).
GROUPS = [
    ("tinyhtml5", "parse HTML (tinyhtml5)"),
    ("weasyprint/css", "cascade (weasyprint/css)"),
    ("cssselect2", "cascade (cssselect2)"),
    ("tinycss2", "cascade (tinycss2)"),
    ("weasyprint/formatting_structure", "boxes"),
    ("weasyprint/layout", "layout (weasyprint/layout)"),
    ("weasyprint/text", "layout (weasyprint/text: pango)"),
    ("weasyprint/draw", "draw"),
    ("weasyprint/stacking", "draw"),
    ("weasyprint/pdf/tags", "PDF/UA tags"),
    ("weasyprint/pdf/fonts", "fonts"),
    ("fontTools", "fonts (fontTools)"),
    ("weasyprint/pdf", "PDF (other)"),
    ("pydyf", "PDF writing (pydyf)"),
]


def _group(filename):
    for fragment, label in GROUPS:
        if f"/{fragment}" in filename:
            return label
    if filename == "~":
        return "builtins (C: pango/cairo via cffi, zlib, str ...)"
    return "other"


def time_part(args):
    from faggruppe_pages import pdf_render

    html = Path(args.path).read_text(encoding="utf-8")
    options = {}
    for option in args.option:
        key, _sep, value = option.partition("=")
        options[key] = int(value) if value.isdigit() else value
    import weasyprint  # noqa: F401  (imported before timing)

    out = Path("/tmp") / (Path(args.path).stem + "-timed.pdf")
    totals = defaultdict(lambda: [0.0, 0.0])
    _instrument(totals)
    # Python's garbage collector: its collections' CPU (automatic ones during the layout, and render_file's own).
    collecting = [0.0, 0, 0.0]

    def collected(phase, _info):
        if phase == "start":
            collecting[2] = time.process_time()
        else:
            collecting[0] += time.process_time() - collecting[2]
            collecting[1] += 1

    gc.callbacks.append(collected)
    runs = []
    for _run in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        if options:
            from weasyprint import HTML

            with pdf_render._font_config() as font_config:
                document = HTML(string=html, base_url=None).render(
                    font_config=font_config, pdf_variant=pdf_render.PDF_VARIANT, **options
                )
                pages = len(document.pages)
                document.write_pdf(out, pdf_variant=pdf_render.PDF_VARIANT, **options)
        else:
            pages = len(pdf_render.render_file(html, out))
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    with open("/proc/loadavg", encoding="ascii") as load:
        load_average = " ".join(load.read().split()[:3])
    print(f"{args.path}: {pages} pages, {out.stat().st_size // 1024} KiB; load average {load_average}")
    for wall, cpu in runs:
        print(f"  run: {wall:.2f} s wall, {cpu:.2f} s CPU")
    gc.callbacks.remove(collected)
    per_run = collecting[0] / args.repeat, collecting[1] / args.repeat
    print(f"  garbage collection: {per_run[0]:.2f} s CPU in {per_run[1]:.0f} collections a run")
    print("  phases (mean of runs): wall s / CPU s")
    for label, _module, _attribute in PHASES:
        wall, cpu = totals[label]
        print(f"    {label:18} {wall / args.repeat:6.2f} {cpu / args.repeat:6.2f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        pdf_render.render_file(html, out)
        profile.disable()
        stats = pstats.Stats(profile)
        by_group = defaultdict(float)
        for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            by_group[_group(filename)] += tottime
        total = sum(by_group.values())
        print(f"  cProfile own time by module (one run, {total:.1f} s with the profiler's overhead):")
        for label, seconds in sorted(by_group.items(), key=lambda item: -item[1]):
            print(f"    {label:48} {seconds:6.2f} s {100 * seconds / total:5.1f} %")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="pdf_part_profile.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("--scale", type=int, default=100)
    dumping.add_argument("--out", required=True)
    dumping.add_argument("--twice", action="store_true")
    timing = commands.add_parser("time")
    timing.add_argument("path")
    timing.add_argument("--repeat", type=int, default=1)
    timing.add_argument("--profile", action="store_true")
    timing.add_argument("--top", type=int, default=0)
    timing.add_argument("--option", action="append", default=[])
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args)
    else:
        time_part(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
