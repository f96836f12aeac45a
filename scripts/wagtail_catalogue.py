"""The project's Bokmål corrections and Nynorsk translation of Wagtail's admin strings.

Wagtail ships a partial ``nb`` catalogue (about half of the admin's strings) and no ``nn`` at all, so under
Nynorsk the admin mixed Bokmål and English. ``faggruppe_pages/wagtail_locale/`` holds complete ``nb`` and
``nn`` catalogues (``django`` and ``djangojs`` domains) for the Wagtail apps the portal installs; the site
lists that directory in ``LOCALE_PATHS`` so it wins over Wagtail's own catalogues, for the server-rendered
admin and for its JavaScript catalogue alike.

    scripts/wagtail_catalogue.py missing           # Wagtail msgids our catalogues lack (after an upgrade)
    scripts/wagtail_catalogue.py extract DIR N     # write the missing ones as N JSON work files in DIR
    scripts/wagtail_catalogue.py merge DIR         # add translated JSON work files to the catalogues, compile

A work file is a list of {"ctx", "id", "plural", "where", "nb_wagtail", "nb", "nn"}; translators fill "nb"
(Wagtail's Bokmål, corrected, or a new one) and "nn" (a string, or a list of two for plurals).
"""

import json
import sys
from pathlib import Path

import polib
import wagtail

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL = Path(wagtail.__file__).resolve().parent
TARGET = ROOT / "faggruppe_pages" / "wagtail_locale"
LANGUAGES = ("nb", "nn")
# The Wagtail apps the site installs and staff or representatives see (site/intranet/settings/base.py).
APPS = (
    "admin",
    ".",
    "users",
    "snippets",
    "documents",
    "images",
    "sites",
    "search",
    "embeds",
    "contrib/settings",
    "contrib/redirects",
    "contrib/forms",
)
DOMAINS = ("django", "djangojs")
HEADER = {
    "Project-Id-Version": "faggruppe-portal wagtail-translation",
    "PO-Revision-Date": "2026-11-29 21:00+0100",
    "Last-Translator": "faggruppe portal <faggruppe-portal@localhost>",
    "Language-Team": "Norwegian",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def wagtail_entries(domain):
    """Every msgid of Wagtail's English catalogues for ``domain``, with Wagtail's Bokmål where it has one."""
    found = {}
    for app in APPS:
        locale = WAGTAIL / app / "locale"
        english = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not english.exists():
            continue
        bokmal_path = locale / "nb" / "LC_MESSAGES" / f"{domain}.po"
        bokmal = {key(e): e for e in polib.pofile(str(bokmal_path))} if bokmal_path.exists() else {}
        for entry in polib.pofile(str(english)):
            if entry.obsolete or not entry.msgid:
                continue
            nb = bokmal.get(key(entry))
            existing = None
            if nb is not None and nb.translated() and "fuzzy" not in nb.flags:
                existing = [nb.msgstr_plural[0], nb.msgstr_plural[1]] if entry.msgid_plural else nb.msgstr
            where = ", ".join(f"{app}/{path}" for path, _line in entry.occurrences[:2])
            found.setdefault(key(entry), (entry, where, existing))
    return found


def catalogue_path(language, domain):
    return TARGET / language / "LC_MESSAGES" / f"{domain}.po"


def load(language, domain):
    path = catalogue_path(language, domain)
    if path.exists():
        catalogue = polib.pofile(str(path))
        catalogue.metadata = {**HEADER, **catalogue.metadata}
        return catalogue
    catalogue = polib.POFile()
    catalogue.metadata = {**HEADER, "Language": language}
    return catalogue


def missing():
    """{domain: [(entry, where, nb_existing)]} of Wagtail msgids not translated in both our catalogues."""
    result = {}
    for domain in DOMAINS:
        ours = {language: {key(e): e for e in load(language, domain) if e.translated()} for language in LANGUAGES}
        result[domain] = [
            value
            for k, value in sorted(wagtail_entries(domain).items())
            if any(k not in ours[lang] for lang in LANGUAGES)
        ]
    return result


def extract(directory, chunks):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    items = []
    for domain, entries in missing().items():
        for entry, where, existing in entries:
            items.append(
                {
                    "domain": domain,
                    "ctx": entry.msgctxt or "",
                    "id": entry.msgid,
                    "plural": entry.msgid_plural or "",
                    "where": where,
                    "nb_wagtail": existing,
                    "nb": None,
                    "nn": None,
                }
            )
    size = -(-len(items) // chunks)
    for number in range(chunks):
        part = items[number * size : (number + 1) * size]
        (directory / f"chunk_{number + 1:02d}.json").write_text(json.dumps(part, ensure_ascii=False, indent=1))
    print(f"{len(items)} strings in {chunks} files in {directory}")


def merge(directory):
    catalogues = {(lang, dom): load(lang, dom) for lang in LANGUAGES for dom in DOMAINS}
    problems = 0
    for path in sorted(Path(directory).glob("chunk_*.json")):
        for item in json.loads(path.read_text()):
            for language in LANGUAGES:
                value = item.get(language)
                if value in (None, "", []):
                    problems += 1
                    print(f"{path.name}: no {language} for {item['id']!r}")
                    continue
                catalogue = catalogues[(language, item["domain"])]
                entry = catalogue.find(item["id"], msgctxt=item["ctx"] or False)
                if entry is None:
                    entry = polib.POEntry(msgid=item["id"], msgctxt=item["ctx"] or None)
                    if item["plural"]:
                        entry.msgid_plural = item["plural"]
                    if "%(" in item["id"] or "%s" in item["id"] or "%d" in item["id"]:
                        entry.flags.append("python-format")
                    catalogue.append(entry)
                if item["plural"]:
                    forms = value if isinstance(value, list) else [value, value]
                    entry.msgstr_plural = {0: forms[0], 1: forms[-1]}
                else:
                    entry.msgstr = value if isinstance(value, str) else value[0]
    for (language, domain), catalogue in catalogues.items():
        path = catalogue_path(language, domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.sort(key=lambda e: (e.msgctxt or "", e.msgid))
        catalogue.save(str(path))
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
    print(f"merged; {problems} missing value(s)")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "extract":
        extract(sys.argv[2], int(sys.argv[3]))
    elif command == "merge":
        merge(sys.argv[2])
    else:
        counts = {domain: len(entries) for domain, entries in missing().items()}
        print(counts)
        sys.exit(1 if any(counts.values()) else 0)
