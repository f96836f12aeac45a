"""gunicorn settings for the faggruppe portal (docs/deploy.md).

    gunicorn -c site/gunicorn.conf.py intranet.wsgi

Every value can be changed from the environment (GUNICORN_*). Logs go to the standard streams, for
systemd's journal or the container runtime: requests to stdout, gunicorn's and Django's errors (with
tracebacks, see LOGGING in intranet/settings/production.py) to stderr.
"""

import multiprocessing
import os
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
#: site/ holds the project package `intranet` (see manage.py) and the repository root the add-ons
#: (faggruppe_pages, governance): both go on the Python path, whatever directory gunicorn starts in.
pythonpath = f"{SITE_DIR},{SITE_DIR.parent}"
wsgi_app = "intranet.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

#: Upper bound of the default worker count: each worker holds Wagtail and may render a PDF (WeasyPrint).
MAX_DEFAULT_WORKERS = 8


def default_workers(cores):
    """gunicorn's advice, 2 × cores + 1, capped at MAX_DEFAULT_WORKERS."""
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


workers = int(os.environ.get("GUNICORN_WORKERS") or default_workers(multiprocessing.cpu_count()))
#: A request taking longer than this (seconds) gets its worker killed and restarted; the PDF of the
#: whole member overview is the slowest page and takes a few seconds at most.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
#: Recycle each worker after about this many requests (the jitter spreads the restarts so the workers
#: do not all restart at once): whatever memory a worker grew (PDF rendering, caches) is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
#: The client as nginx saw it (X-Forwarded-For) first; %(h)s is nginx itself. %(M)s: milliseconds taken.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
