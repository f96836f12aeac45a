"""Reference data read once per data version (faggruppe_pages/caching.py says what the data version is).

A reader request that the page cache could not serve still reads things that change a few times a year (the
site, Wagtail's route to the page, the organisations, the reporting lines, the mandate in force). Under the data
version the request has already read (the page cache's key, ``page_key``), they are exact: any write to any
watched table is a new version, so a value kept under the version a request read can never be older than that
request's own data. Kept in this process only (small, and a new version empties it); values must be immutable
or copied by the caller (``copy_instance``).
"""

import contextvars
import copy
import threading

#: Inside a request (between ``begin_request`` and ``end_request``: the page cache's middleware) a dict holding the
#: data version the request read, if it read one; None outside every request (a command, a task, a test calling a
#: view directly), where nothing is kept: code that writes and reads again must never see values of an old version.
_request = contextvars.ContextVar("faggruppe_request_data_version", default=None)
_versioned_lock = threading.Lock()
_versioned = {"version": None, "values": {}}
#: At most this many values per version (a crawler asking for many unknown addresses must not grow it for ever).
MAX_KEPT = 5000


def begin_request():
    """A request starts (ReaderCacheMiddleware): returns the token for ``end_request``."""
    return _request.set({"version": None})


def end_request(token):
    _request.reset(token)


def note_request_version(version):
    """The page cache read ``version`` for this request's key: what the request reads may be kept under it. Does
    nothing outside a request."""
    scope = _request.get()
    if scope is not None:
        scope["version"] = version


def keeps_values():
    """Whether ``versioned`` keeps what it loads in this request (then values are shared and must be copied)."""
    scope = _request.get()
    return scope is not None and scope["version"] is not None


def versioned(key, load):
    """``load()``, kept under this request's data version when it has read one; else ``load()`` every time."""
    scope = _request.get()
    version = scope["version"] if scope is not None else None
    if version is None:
        return load()
    with _versioned_lock:
        if _versioned["version"] != version:
            _versioned["version"], _versioned["values"] = version, {}
        values = _versioned["values"]
        if key in values:
            return values[key]
    value = load()
    with _versioned_lock:
        if _versioned["version"] == version and len(_versioned["values"]) < MAX_KEPT:
            _versioned["values"][key] = value
    return value


def forget():
    """Drop every kept value (tests: a database put back by a rollback or a snapshot may reuse a token)."""
    with _versioned_lock:
        _versioned["version"], _versioned["values"] = None, {}


def copy_instance(obj):
    """A shallow copy of a kept model instance for one request, with its own state (so what the request sets on
    it stays its own; the related objects loaded with it are shared)."""
    new = copy.copy(obj)
    new._state = copy.copy(obj._state)
    new._state.fields_cache = dict(obj._state.fields_cache)
    return new
