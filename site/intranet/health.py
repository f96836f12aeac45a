"""``/helse/``: the health check a load balancer asks before it sends an app server requests (docs/deploy.md).

Open without login (a load balancer has no session) and never cached. It passes the whole middleware stack,
like every page, and asks the database one ``SELECT 1``: 200 ``ok`` when this app server can serve, 503 when
its database connection fails. It shows nothing about the site, so it needs no translation and leaks nothing.
`make bench ARGS="--http"` uses it as the trivial view over HTTP (tests/perf/http_bench.py).
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
