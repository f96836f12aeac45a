"""Hot reader queries compiled to SQL once per process, then run with each request's values.

Django builds and compiles a queryset's SQL anew every time it is evaluated. On a group page with the reader
cache off that was about 40 % of the request (``make bench``): 12 queries whose SQL is the same on every request,
with only the values (the group's id, today's date) different. ``prepared`` keeps the compiled SQL of such a
query and runs it with new values, giving the same model instances Django's own iteration gives (the compiled
``select``, related objects from ``select_related``, annotations, converters, ``prefetch_related``)::

    @prepared
    def group_seats(group_id, day):
        return Membership.objects.filter(group_id=group_id, start_date__lte=day).select_related("person")

    rows = group_seats(group.pk, today)  # a list

Rules for a prepared query's builder (checked where they can be):

- Its arguments are ints, strings, dates, aware datetimes, or tuples of them; it uses them only as values in the
  query (never to choose the query's shape, never to compute another value: ``day - timedelta(...)`` must be an
  argument of its own). When the plan is made, the builder runs twice with two sets of made-up values; the SQL
  must be the same and every parameter that differs must be one argument, as is or as the database adapts it.
  Anything else raises ``PreparedQueryError``: a programming error, found by the tests
  (tests/faggruppe_pages/test_prepared.py runs every prepared query against the queryset it replaces).
- The query's shape must not depend on settings or the language. Plans are made per database and per shape of
  the arguments (a tuple's length), and forgotten when a setting changes (tests).
- Only iteration is prepared: the result is a list. ``count()`` or ``exists()`` are not.
"""

import copy
import datetime
import functools
import threading
import weakref

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import ColPairs

#: Every prepared query, by name (the tests run each).
REGISTRY = {}
#: Plans kept per query at most: a shape is a number of tuple items (the route's: the number of path segments), and
#: a crawler asking for ever deeper addresses must not grow them for ever. Past it Django compiles as usual.
MAX_PLANS = 64


class PreparedQueryError(Exception):
    """A builder that does not follow the rules above."""


def _flatten(args):
    flat = []
    for arg in args:
        flat.extend(arg if isinstance(arg, tuple) else (arg,))
    return flat


def _kind(value):
    """The argument's kind (subclasses included: a ``TextChoices`` member is a string)."""
    if isinstance(value, bool):
        raise TypeError("A prepared query's arguments are ints, strings, dates or datetimes, not bools.")
    for kind in (int, str, datetime.datetime, datetime.date):
        if isinstance(value, kind):
            if kind is datetime.datetime and value.tzinfo is None:
                raise TypeError("A prepared query's datetime arguments are aware.")
            return kind
    raise TypeError(f"A prepared query's arguments are ints, strings, dates or datetimes, not {type(value)}.")


def _shape(args):
    """The arguments' kinds and tuple lengths: one plan per shape."""
    return tuple((tuple, tuple(_kind(item) for item in arg)) if isinstance(arg, tuple) else _kind(arg) for arg in args)


def _made_up(kind, n, variant):
    """A value of type ``kind`` that no real row has (the n-th argument; two variants)."""
    if kind is int:
        return 1_900_000_000 + 1_000 * variant + n
    if kind is str:
        return f"\x1fprepared-{variant}-{n}\x1f"
    if kind is datetime.datetime:
        return datetime.datetime(1903 + 4 * variant, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=n)
    return datetime.date(1903 + 4 * variant, 1, 1) + datetime.timedelta(days=n)


def _made_up_args(shape, variant):
    args, n = [], 0
    for kind in shape:
        if isinstance(kind, tuple):
            args.append(tuple(_made_up(item, n + i, variant) for i, item in enumerate(kind[1])))
            n += len(kind[1])
        else:
            args.append(_made_up(kind, n, variant))
            n += 1
    return args


#: How a database may pass an argument's value on as a parameter: as is, or adapted by one of its
#: ``DatabaseOperations`` methods (SQLite passes dates and datetimes as text), or as text.
ADAPTERS = ("as_is", "adapt_datefield_value", "adapt_datetimefield_value", "str")


def _adapter(connection, name):
    if name == "as_is":
        return lambda value: value
    if name == "str":
        return str
    return getattr(connection.ops, name)


class _Plan:
    __slots__ = ("queryset", "compiler", "sql", "params", "slots", "empty", "converters")


class PreparedQuery:
    def __init__(self, build):
        self.build = build
        self.name = f"{build.__module__}.{build.__qualname__}"
        self._plans = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, build)

    def __call__(self, *args, using=DEFAULT_DB_ALIAS):
        shape = _shape(args)
        plan = self._plans.get((using, shape))
        if plan is None:
            with self._lock:
                plan = self._plans.get((using, shape))
                if plan is None and len(self._plans) < MAX_PLANS:
                    plan = self._plans[using, shape] = self._make_plan(using, shape)
            if plan is None:
                return list(self.build(*args).using(using))  # compiled by Django, as any other query
        if plan.empty:
            return []
        flat = _flatten(args)
        params = list(plan.params)
        connection = connections[using]
        for slot, index, adapter in plan.slots:
            params[slot] = _adapter(connection, adapter)(flat[index])
        compiler = copy.copy(plan.compiler)
        compiler.connection = connection  # this thread's connection, not the one the plan was made on
        sql, params = plan.sql, tuple(params)
        compiler.as_sql = lambda *a, **k: (sql, params)
        if plan.converters is not None:
            converters = plan.converters.get(connection)
            if converters is None:
                converters = plan.converters[connection] = compiler.get_converters(_selected(compiler))
            compiler.get_converters = lambda expressions: converters
        queryset = plan.queryset._chain()
        queryset._db = using
        queryset.query.get_compiler = lambda *a, **k: compiler
        return list(queryset)

    def forget(self):
        with self._lock:
            self._plans = {}

    def _make_plan(self, using, shape):
        connection = connections[using]
        runs = []
        for variant in (0, 1):
            args = _made_up_args(shape, variant)
            queryset = self.build(*args)
            compiler = queryset.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                sql, params = "", ()
            runs.append((args, queryset, compiler, sql, list(params)))
        (args_a, queryset, compiler, sql, params_a), (args_b, _qs, _c, sql_b, params_b) = runs
        if sql != sql_b or len(params_a) != len(params_b):
            raise PreparedQueryError(f"{self.name}: the query's SQL depends on its arguments' values.")
        plan = _Plan()
        plan.queryset, plan.compiler, plan.sql, plan.params, plan.slots = queryset, compiler, sql, params_a, []
        plan.empty = not sql
        # The columns' converters, found once per connection rather than on every run (a tenth of a group page's
        # time went into Django's get_converters); a composite key's columns would need Django's own recursion.
        composite = not sql or any(isinstance(column, ColPairs) for column in _selected(compiler))
        plan.converters = None if composite else weakref.WeakKeyDictionary()
        flat_a, flat_b = _flatten(args_a), _flatten(args_b)
        for slot, (param_a, param_b) in enumerate(zip(params_a, params_b, strict=True)):
            if param_a == param_b:
                continue  # a constant of the query
            plan.slots.append((slot, *self._argument_for(connection, param_a, param_b, flat_a, flat_b)))
        return plan

    def _argument_for(self, connection, param_a, param_b, flat_a, flat_b):
        for index, (value_a, value_b) in enumerate(zip(flat_a, flat_b, strict=True)):
            for name in ADAPTERS:
                adapt = _adapter(connection, name)
                try:
                    if adapt(value_a) == param_a and adapt(value_b) == param_b:
                        return index, name
                except (TypeError, ValueError, AttributeError):
                    continue
        raise PreparedQueryError(
            f"{self.name}: a parameter ({param_a!r}) is computed from an argument; pass it as an argument."
        )


def _selected(compiler):
    """The expressions whose values a row has, as ``SQLCompiler.results_iter`` asks converters for them."""
    return [column[0] for column in compiler.select[0 : compiler.col_count]]


def prepared(build):
    """Decorator: ``build(*args)`` returns a queryset; calling the result returns its rows (see above)."""
    query = PreparedQuery(build)
    REGISTRY[query.name] = query
    return query


def forget_plans(**kwargs):
    for query in REGISTRY.values():
        query.forget()


setting_changed.connect(forget_plans, dispatch_uid="faggruppe_prepared_forget_plans")
