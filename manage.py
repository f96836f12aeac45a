#!/usr/bin/env python
"""Django's command-line utility for the faggruppe portal."""

import os
import sys
from pathlib import Path

# The project package lives in site/intranet/ (a folder named `site` cannot be a
# package: Python's stdlib owns that module name), so site/ goes on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
