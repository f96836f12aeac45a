"""Downloads kept in storage and built off the request path when the data is large: the whole overview's
PDF/CSV/XLSX, and other add-ons' large documents (governance: the yearly report of all groups).

A download of one of these kinds (``register``ed: a name and a function that builds its bytes) answers, in this
order (``stored_export``):

1. a stored file made from today's data: served at once (``FileResponse``, the same file name and content
   type as a file built in the request);
2. no such file and small data (the caller says: for the overview, at most ``conf.export_inline_max_seats()``
   active seats): built in the request as before, stored, served;
3. no such file and large data: the task ``build_export`` is queued (once: a refresh finds the queued or running
   task and waits for it) and the reader gets the page "Filen lages nå", which asks every few seconds and then
   gets the file. A failed build says so and offers "Prøv igjen" (``?igjen=1``), which queues it again.

A file is stored in Django's default storage (media: S3-compatible storage when several app servers share
it) as ``eksport/<kind>/<date>-<data version>-<language>-<scope>.<format>`` (the overview's scope is the
organisation filter or ``alle``; the yearly report's the year), so a change to any data a reader page could show
(``data_version()``), another day or another language gives another file. A marker ``<name>.ok`` is written
after the file: a file is served only once it is complete. Storing a file removes the files of its kind made on
other days or from other data versions.

The files hold reader data, the same for every logged-in employee (as the pages: neither the overview nor the
yearly report depends on who asks), so one file serves everyone. ``manage.py db_worker`` runs the tasks
(docs/deploy.md). ``data_version()`` is faggruppe_pages/caching.py's, which ignores the task table's writes
(``django_tasks_``): queuing or finishing a task is no data change.
"""

import ctypes
import ctypes.util
import functools
import gc
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskResultStatus

from faggruppe_pages import conf
from faggruppe_pages.caching import data_version
from faggruppe_pages.models import Membership
from faggruppe_pages.reader.exports import FORMATS, content_disposition, download, overview_content
from faggruppe_pages.reader.exports.titles import file_slug, overview_filename, overview_scope
from faggruppe_pages.reader.overview import build_overview

logger = logging.getLogger(__name__)

#: The folder of the stored files in the default storage: one folder per kind below it.
EXPORT_ROOT = "eksport"
#: The whole overview's folder.
EXPORT_DIR = f"{EXPORT_ROOT}/medlemsoversikt"
#: Written after a file, so a file still being written is never served.
READY_SUFFIX = ".ok"
#: ``?igjen=1`` queues a failed build again.
RETRY_PARAMETER = "igjen"
#: Seconds between two reloads of the "Filen lages nå" page.
REFRESH_SECONDS = 3
#: After this many seconds in the queue the page says that it takes longer than usual.
SLOW_AFTER_SECONDS = 120


# -- the kinds of stored downloads -------------------------------------------------------------------------

#: kind -> the function that builds a file of that kind: ``build(**params)`` returns its bytes. It runs in the
#: task worker, in the language of the request that queued it. Other add-ons register theirs in their
#: AppConfig.ready() (the worker never loads URL configurations, so registering in a views module is too late).
_builders = {}


def register(kind, build_function):
    """Makes ``kind`` (a folder name: letters, digits and hyphens) a stored download built by ``build_function``."""
    if not re.fullmatch(r"[a-z0-9-]+", kind):
        raise ValueError(f"Not a folder name: {kind!r}")
    _builders[kind] = build_function


# -- names and storage ------------------------------------------------------------------------------------


def _token(value):
    """A data version or language as a file name part: letters and digits only."""
    return re.sub(r"[^A-Za-z0-9]+", "", str(value)) or "0"


def _prefix(day, version):
    return f"{day.isoformat()}-{_token(version)}-"


def export_name(kind, version, day, language, scope, fmt):
    """``eksport/<kind>/2026-11-30-<version>-nb-<scope>.pdf``: ``scope`` tells one file of the kind from another
    made from the same data (the overview's organisation filter, the yearly report's year)."""
    return f"{EXPORT_ROOT}/{kind}/{_prefix(day, version)}{_token(language)}-{file_slug(str(scope))}.{fmt}"


def store(name, content, storage=None):
    """Stores ``content`` as ``name``, then its ready marker, then removes other days' and versions' files."""
    storage = storage or default_storage
    if not storage.exists(name + READY_SUFFIX):
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            # Another request or worker stored the same file at the same moment: keep theirs.
            storage.delete(saved)
        if not storage.exists(name + READY_SUFFIX):
            storage.save(name + READY_SUFFIX, ContentFile(b""))
    remove_old_files(name, storage)


def remove_old_files(current_name, storage=None):
    """Deletes the stored files (and markers) in ``current_name``'s folder of other days and data versions."""
    storage = storage or default_storage
    folder, _sep, file_name = current_name.rpartition("/")
    keep = _day_and_version(file_name)
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for other in files:
        if _day_and_version(other) != keep:
            try:
                storage.delete(f"{folder}/{other}")
            except OSError:  # removed by another process meanwhile
                pass


def _day_and_version(file_name):
    """The day and data version a stored file is of: 2026-11-30-abc123-nb-alle.pdf -> 2026-11-30-abc123."""
    return "-".join(file_name.split("-")[:4])


def serve_stored(name, content_type, filename, storage=None):
    """The stored file as the download, or None when it is not (completely) there."""
    storage = storage or default_storage
    if not storage.exists(name + READY_SUFFIX):
        return None
    try:
        handle = storage.open(name, "rb")
    except OSError:  # removed by a newer version's cleanup after the check
        return None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    # Member lists are personal data: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


# -- building ---------------------------------------------------------------------------------------------

#: The django-tasks backend (settings.TASKS) of the export task; its worker: `manage.py db_worker --backend background`.
BACKEND = "background"


@task(backend=BACKEND)
def build_export(*, kind, params, language, name):
    """The background task: builds a file of ``kind`` (``register``) from ``params`` in ``language`` and stores it
    as ``name``. Returns ``name``."""
    if default_storage.exists(name + READY_SUFFIX):
        return name  # a request or another worker made it meanwhile
    with translation.override(language):
        content = _builders[kind](**params)
    store(name, content)
    del content
    release_memory()
    return name


def release_memory():
    """Gives a large document's freed memory back to the system, so the worker does not keep its peak."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library)."""
    for name in ("libc.so.6", ctypes.util.find_library("c")):
        try:
            return ctypes.CDLL(name).malloc_trim
        except (OSError, AttributeError, TypeError):
            continue
    return None


def latest_job(name):
    """The newest task queued for the file ``name`` (the database backend's row), or None."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=build_export.module_path, args_kwargs__kwargs__name=name)
        .order_by("-enqueued_at")
        .first()
    )


# -- the view ---------------------------------------------------------------------------------------------


def stored_export(request, *, kind, params, scope, fmt, content_type, filename, is_large, build_now, pending):
    """A download of ``kind``: stored, built now or being built (see the module's text).

    ``params`` (JSON: the task's arguments) and ``scope`` name the file; ``build_now()`` gives its bytes in the
    request; ``is_large()`` true (asked only when no file is stored) sends a missing file to the task worker.
    ``pending`` is what the page "Filen lages nå" says: ``document`` (the sentence's subject, e.g. "the member
    overview"), ``breadcrumbs`` (``[(url, label)]``), ``back_url`` and ``back_label``."""
    language = translation.get_language()
    today = timezone.localdate()
    version = data_version()
    if version is None:
        # No version row (a database just emptied): no file can be known to be current, so build it now.
        return download(build_now(), content_type, filename)
    name = export_name(kind, version, today, language, scope, fmt)
    response = serve_stored(name, content_type, filename)
    if response is not None:
        return response
    if not is_large():
        content = build_now()
        store(name, content)
        return download(content, content_type, filename)

    retry = RETRY_PARAMETER in request.GET
    job = latest_job(name)
    if job is None or job.status == TaskResultStatus.SUCCESSFUL or (job.status == TaskResultStatus.FAILED and retry):
        # None queued yet, or one that finished while its file is gone (a newer version's cleanup), or a retry.
        build_export.enqueue(kind=kind, params=params, language=language, name=name)
        response = serve_stored(name, content_type, filename)  # a backend that runs tasks at once
        if response is not None:
            return response
        job = latest_job(name)
    url = _own_url(request)
    if retry:
        return HttpResponseRedirect(url)
    failed = job is not None and job.status == TaskResultStatus.FAILED
    waited = (timezone.now() - job.enqueued_at).total_seconds() if job is not None else 0
    context = {
        **pending,
        "format_label": FORMATS.get(fmt, (None, fmt.upper()))[1],
        "filename": filename,
        "failed": failed,
        "slow": not failed and waited > SLOW_AFTER_SECONDS,
        "refresh_seconds": REFRESH_SECONDS,
        "url": url,
        "retry_url": _own_url(request, retry=True),
    }
    # Rendered here, not as a TemplateResponse: the reader-page cache (reader/cache.py) keeps those by data version,
    # and this answer changes without any data changing (when the file is ready). 202: accepted, not done yet.
    response = HttpResponse(
        render_to_string("faggruppe_pages/reader/export_pending.html", context, request),
        status=200 if failed else 202,
    )
    # Never kept, by any cache.
    response["Cache-Control"] = "private, no-store"
    # For the page's script (static/faggruppe_pages/export_pending.js): no such header means the file itself.
    response["X-Export-State"] = "failed" if failed else "pending"
    return response


def _own_url(request, retry=False):
    """The request's address without ``?igjen``, or with it."""
    query = [(key, value) for key, value in request.GET.items() if key != RETRY_PARAMETER]
    if retry:
        query.append((RETRY_PARAMETER, "1"))
    return request.path + (f"?{urlencode(query)}" if query else "")


# -- the whole overview -------------------------------------------------------------------------------------

#: The whole overview's kind (and folder).
OVERVIEW = "medlemsoversikt"


def seat_count(index, organisation=None):
    """Today's seats below ``index`` (of ``organisation``): what decides whether a request may build the file."""
    seats = Membership.objects.filter(group__live=True, group__path__startswith=index.path).active_on()
    if organisation is not None:
        seats = seats.filter(represents=organisation)
    return seats.count()


def build(index, organisation, fmt, request=None):
    return overview_content(build_overview(root=index, organisation=organisation), fmt, request)


def _build_overview_file(*, index_id, fmt, organisation):
    """The task's side: the whole overview below the index ``index_id`` (filtered by the organisation slug
    ``organisation``) in ``fmt``."""
    from faggruppe_pages.models import FaggruppeIndexPage, Organisation

    index = FaggruppeIndexPage.objects.get(pk=index_id)
    scope = Organisation.objects.get(slug=organisation) if organisation else None
    return build(index, scope, fmt)


register(OVERVIEW, _build_overview_file)


def overview_export(index, request, fmt, organisation=None):
    """The whole overview's download in ``fmt``: stored, built now, or being built (see the module's text)."""
    overview_url = index.get_url(request) + index.reverse_subpage("member_overview")
    return stored_export(
        request,
        kind=OVERVIEW,
        params={"index_id": index.pk, "fmt": fmt, "organisation": organisation.slug if organisation else None},
        scope=overview_scope(organisation),
        fmt=fmt,
        content_type=FORMATS[fmt][0],
        filename=overview_filename(organisation, timezone.localdate(), fmt),
        is_large=lambda: seat_count(index, organisation) > conf.export_inline_max_seats(),
        build_now=lambda: build(index, organisation, fmt, request),
        pending={
            "document": _("the member overview"),
            "breadcrumbs": [(index.get_url(request), index.title), (overview_url, _("Member overview"))],
            "back_url": overview_url,
            "back_label": _("Back to the member overview"),
        },
    )


def run_queued_exports(worker_id="batch"):
    """Run every queued background task, then return: what ``manage.py db_worker --backend background --batch``
    does, in this process (the tests, the benchmarks)."""
    from django.db import connection
    from django_tasks_db.management.commands import db_worker

    # The worker closes "old" connections between tasks, housekeeping for its own process. Run inside the
    # caller's transaction (a test), that would close the caller's connection (PostgreSQL: "the connection is
    # closed"), so it is left out then.
    housekeeping = db_worker.close_old_connections
    if connection.in_atomic_block:
        db_worker.close_old_connections = lambda **kwargs: None
    try:
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="background",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
    finally:
        db_worker.close_old_connections = housekeeping
