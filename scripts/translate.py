"""Fill an app's nb and nn catalogues from a JSON file and compile them, under a lock (several people, or
sessions, may run it at once): ``python scripts/translate.py governance path/to/strings.json``.

The JSON maps an English msgid to ``[bokmål, nynorsk]`` (or, for plural msgids, to
``[[nb singular, nb plural], [nn singular, nn plural]]``). The catalogues are first regenerated from the
source (makemessages), so a msgid must exist in the code; existing translations are kept unless the file
gives a new one. Prints the msgids of the app that are still untranslated.
"""

import fcntl
import json
import pathlib
import subprocess
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(app, json_path=None):
    strings = json.loads(pathlib.Path(json_path).read_text()) if json_path else {}
    python = sys.executable
    # "site": the host site's catalogue (locale/ at the root: templates/ and site/), as `make messages` makes it.
    base = ROOT if app == "site" else ROOT / app
    ignore = ["--ignore=faggruppe_pages", "--ignore=governance", "--ignore=.venv"] if app == "site" else []
    with open(f"/tmp/{app}-locale.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            [python, str(ROOT / "manage.py"), "makemessages", "-l", "nb", "-l", "nn", "--no-obsolete", *ignore],
            cwd=base,
            check=True,
            capture_output=True,
        )
        missing = set()
        for index, language in enumerate(("nb", "nn")):
            path = base / "locale" / language / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path))
            for entry in catalogue:
                given = strings.get(entry.msgid)
                if given is not None:
                    value = given[index]
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: value[0], 1: value[1]}
                    else:
                        entry.msgstr = value
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                elif "fuzzy" in entry.flags:
                    # makemessages' guesses are wrong more often than not: untranslated is honest.
                    entry.flags.remove("fuzzy")
                    entry.msgstr = ""
                    entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
                if not entry.translated():
                    missing.add(entry.msgid)
            catalogue.save(str(path))
        subprocess.run(
            [python, str(ROOT / "manage.py"), "compilemessages", *ignore], cwd=base, check=True, capture_output=True
        )
    for msgid in sorted(missing):
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
