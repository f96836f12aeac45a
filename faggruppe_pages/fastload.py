"""Model instances loaded from the database without ``Model.__init__``'s work per field.

Django builds the instance of each row it reads through ``Model.from_db`` and so ``Model.__init__``: a
``pre_init`` and a ``post_init`` signal, then a ``setattr`` per field through the field's descriptor, and for
Wagtail's pages and modelcluster's models a list of child relations made anew for every instance. A group page
reads a Membership, its Person and its Organisation per seat; building those was a third of reading its member
list, and the largest single cost of the page with the reader cache off (``make bench``; docs/caching.md).

``FastLoadMixin.from_db`` (``from_db`` is Django's documented hook for this) leaves the same instance Django's
does: the loaded values in the instance's ``__dict__`` under their attnames (a deferred field stays absent, so
it loads on access as before), a field whose descriptor converts what is set (a StreamField's) set through it,
and ``_state`` as Django leaves it (not adding, the database it came from). It hands the row to Django's own
``from_db`` whenever the result could differ:

- something listens to ``pre_init`` or ``post_init`` for the model (asked per row: a receiver connected later,
  e.g. by a test, is honoured at once);
- a class in the model's MRO has an ``__init__`` not in ``KNOWN_INITS``, which do nothing to a row loaded with
  its id (modelcluster's takes child lists from keyword arguments only; Wagtail's page and menu mixins set
  defaults for a new page, one without an id);
- the row was read without its id, or with an empty one.

tests/faggruppe_pages/test_fastload.py holds every model using it to Django's result, field by field.
"""

import threading
from contextlib import contextmanager

from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.dispatch.dispatcher import NO_RECEIVERS
from modelcluster.models import ClusterableModel
from wagtail.models import AbstractPage
from wagtail.models.pages import ShowInMenusMixin

#: ``__init__`` methods that do nothing more than ``Model.__init__`` for a row loaded from the database with its
#: id and no keyword arguments (what ``from_db`` passes).
KNOWN_INITS = frozenset(
    {
        Model.__init__,
        ClusterableModel.__init__,  # only child lists passed as keyword arguments
        AbstractPage.__init__,  # only for a page without an id: its content type
        ShowInMenusMixin.__init__,  # only for a page without an id: show_in_menus' default
        object.__init__,
    }
)

#: Of those, the ones that read ``self.id``.
ID_READING_INITS = frozenset({AbstractPage.__init__, ShowInMenusMixin.__init__})

#: A receiver of either for the model sends the row through Django's path.
INIT_SIGNALS = (signals.pre_init, signals.post_init)

_plans = {}
_plans_lock = threading.Lock()
#: Off inside ``django_loading()`` (tests compare with Django's own instances).
_local = threading.local()


class _Plan:
    __slots__ = ("fast", "setters", "required")


def _descriptor_sets_plainly(descriptor):
    """Setting the attribute on a new instance only stores the value in its ``__dict__``."""
    if descriptor is None or type(descriptor) is DeferredAttribute:
        return True  # no descriptor, or Django's plain one (no __set__: the instance's __dict__ wins)
    # Its __set__ forgets a cached related object (a new instance has none) and stores the id.
    return type(descriptor) is ForeignKeyDeferredAttribute


def _plan(cls):
    plan = _Plan()
    inits = {klass.__dict__["__init__"] for klass in cls.__mro__ if "__init__" in klass.__dict__}
    plan.fast = inits <= KNOWN_INITS
    plan.setters = frozenset(
        field.attname
        for field in cls._meta.concrete_fields
        if not _descriptor_sets_plainly(_static_attribute(cls, field.attname))
    )
    # Wagtail's page mixins read ``self.id`` in ``__init__``: Django's path leaves it in the instance's __dict__
    # even when the query did not select it (taken from the parent link), so such a row needs it selected.
    reads_id = bool(inits & ID_READING_INITS)
    plan.required = (cls._meta.pk.attname, "id") if reads_id else (cls._meta.pk.attname,)
    return plan


def _static_attribute(cls, name):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def plan_for(cls):
    plan = _plans.get(cls)
    if plan is None:
        with _plans_lock:
            plan = _plans.setdefault(cls, _plan(cls))
    return plan


def _init_receivers(cls):
    """Someone listens to ``pre_init`` or ``post_init`` for ``cls``. The signal's own cache of "no receivers for
    this sender" answers first (a connect or disconnect empties it); else the signal is asked."""
    for signal in INIT_SIGNALS:
        if signal.sender_receivers_cache.get(cls) is not NO_RECEIVERS and signal.has_listeners(cls):
            return True
    return False


@contextmanager
def django_loading():
    """Load with Django's own ``from_db`` inside the block (in this thread): the tests' reference."""
    previous = getattr(_local, "off", False)
    _local.off = True
    try:
        yield
    finally:
        _local.off = previous


class FastLoadMixin:
    """Put before ``models.Model`` (or the page class) in a model's bases: ``from_db`` as described above."""

    @classmethod
    def from_db(cls, db, field_names, values):
        plan = plan_for(cls)
        if not plan.fast or getattr(_local, "off", False) or _init_receivers(cls):
            return super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        if not all(loaded.get(name) for name in plan.required):
            return super().from_db(db, field_names, values)  # no id: an __init__ above may act on the row
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        setters = plan.setters.intersection(loaded) if plan.setters else ()
        new.__dict__.update(loaded)
        for name in setters:
            setattr(new, name, loaded[name])  # e.g. a StreamField's raw JSON, converted as __init__ would
        return new
