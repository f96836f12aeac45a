"""Queries compiled once (faggruppe_pages/prepared.py) give exactly what Django gives for the same queryset.

Every prepared query in the registry runs on the demo's data with real arguments and is compared, row by row,
with its builder's queryset evaluated by Django: the same rows in the same order, the same field values and
annotations, the same related objects from ``select_related`` and the same prefetched ones. A new prepared query
fails ``test_every_prepared_query_has_examples`` until it is given arguments below.
"""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from faggruppe_pages import prepared as prepared_module
from faggruppe_pages.models import GroupPage, Membership, Person
from faggruppe_pages.prepared import REGISTRY, PreparedQueryError, prepared
from faggruppe_pages.routing import site_for_hostname
from governance.compliance import meeting_window
from governance.models.mandates import group_kind
from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, PersonFactory

DAYS = (datetime.date(2020, 12, 31), datetime.date(2024, 6, 1))


def today():
    return timezone.localdate()


def groups():
    return list(GroupPage.objects.order_by("path"))


def route_arguments(page):
    """What ``chain_for`` asks for a request to ``page`` below the default site's root."""
    root = Site.objects.get(is_default_site=True).root_page
    chain = [p for p in page.get_ancestors(inclusive=True) if p.depth >= root.depth]
    return (
        tuple(p.url_path for p in chain),
        tuple(root.path[:n] for n in range(Page.steplen, len(root.path), Page.steplen)),
    )


#: For each prepared query: its arguments to try on the demo's data.
EXAMPLES = {
    "faggruppe_pages.reader.pages.group_seats": lambda: [(g.pk, day) for g in groups() for day in (today(), *DAYS)],
    "faggruppe_pages.routing.route_rows": lambda: [
        *(route_arguments(p) for p in Page.objects.filter(depth__gte=2)),
        (("/nowhere/",), ()),
    ],
    "faggruppe_pages.routing.site_rows": lambda: [
        *((s.hostname, s.port) for s in Site.objects.all()),
        ("unknown.example", 80),
    ],
    "governance.models.mandates._in_force_candidates": lambda: [
        (g.pk, group_kind(g), day) for g in groups() for day in (today(), *DAYS)
    ],
    "governance.reader.meetings._page_meeting_rows": lambda: [
        (g.pk, meeting_window(day)[0]) for g in groups() for day in (today(), *DAYS)
    ],
    "governance.reader.meetings._reader_meeting_ids": lambda: [(g.pk,) for g in groups()],
    "governance.reader.work._page_measure_rows": lambda: [(g.pk,) for g in groups()],
    "governance.reader.work._page_proposal_rows": lambda: [(g.pk,) for g in groups()],
    "governance.models.bodies._lines_on": lambda: [(day,) for day in (today(), *DAYS, datetime.date(2001, 1, 1))],
    "governance.compliance._organisation_rows": lambda: [()],
    "faggruppe_pages.permissions.user_with_grants": lambda: [
        *((user.pk,) for user in get_user_model().objects.all()),
        (0,),
    ],
}


def described(obj, seen=None):
    """Everything a row loaded: its fields and annotations, its related objects (select_related) and its
    prefetched lists, recursively."""
    if isinstance(obj, dict):
        return obj
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return ("seen", type(obj), obj.pk)
    seen.add(id(obj))
    values = {k: v for k, v in obj.__dict__.items() if k not in ("_state", "_prefetched_objects_cache")}
    related = {
        name: None if value is None else described(value, seen) for name, value in obj._state.fields_cache.items()
    }
    prefetched = {
        name: [described(item, seen) for item in items]
        for name, items in getattr(obj, "_prefetched_objects_cache", {}).items()
    }
    return (type(obj), obj._state.db, obj._state.adding, values, related, prefetched)


@pytest.fixture
def demo(db):
    load_demo()


def test_every_prepared_query_has_examples():
    assert set(REGISTRY) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_prepared_query_gives_what_django_gives(demo, name):
    query = REGISTRY[name]
    found_rows = False
    for args in EXAMPLES[name]():
        expected = list(query.build(*args))
        got = query(*args)
        assert [described(row) for row in got] == [described(row) for row in expected], (name, args)
        found_rows = found_rows or bool(got)
        assert query(*args) is not got  # a new list of new rows each time
    assert found_rows, f"{name}: no example found a row in the demo; the comparison would prove nothing"


@pytest.mark.parametrize(
    "sites",
    [
        [("intranett.ror-ikt.no", 80, True)],
        [("intranett.ror-ikt.no", 80, True), ("faggrupper.example", 80, False)],
        [("intranett.ror-ikt.no", 80, True), ("faggrupper.example", 80, False), ("faggrupper.example", 8080, False)],
        [("faggrupper.example", 443, False), ("andre.example", 80, False)],
        [("localhost", 8000, True), ("faggrupper.example", 8080, False)],
    ],
)
def test_the_site_is_chosen_as_wagtail_chooses_it(db, sites):
    root = Page.objects.get(depth=1)
    Site.objects.all().delete()
    for hostname, port, default in sites:
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=root)
    for hostname in ("intranett.ror-ikt.no", "faggrupper.example", "andre.example", "localhost", "unknown.example"):
        for port in (80, 443, 8000, 8080, "80"):
            try:
                expected = get_site_for_hostname(hostname, port).pk
            except Site.DoesNotExist:
                expected = None
            try:
                got = site_for_hostname(hostname, port).pk
            except Site.DoesNotExist:
                got = None
            assert got == expected, (hostname, port)


def test_values_given_once_and_used_twice_and_tuples_of_any_length(db, group, molde, rauma):
    anne = PersonFactory(name="Anne", employer=molde)
    bjørn = PersonFactory(name="Bjørn", employer=rauma)
    MembershipFactory(person=anne, group=group, represents=molde, start_date=datetime.date(2024, 1, 1))
    MembershipFactory(
        person=bjørn,
        group=group,
        represents=rauma,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )

    @prepared
    def seated(group_id, day, names):
        return Membership.objects.filter(
            group_id=group_id, start_date__lte=day, person__name__in=names, group__memberships__start_date__lte=day
        ).order_by("person__name")

    try:
        assert [m.person.name for m in seated(group.pk, datetime.date(2024, 6, 1), ("Anne", "Bjørn"))] == [
            "Anne",
            "Anne",
            "Bjørn",
            "Bjørn",
        ]
        assert [m.person.name for m in seated(group.pk, datetime.date(2023, 6, 1), ("Bjørn",))] == ["Bjørn"]
        assert seated(group.pk, datetime.date(2023, 6, 1), ()) == []  # an empty IN: no query, no rows
        assert seated(group.pk + 1, datetime.date(2024, 6, 1), ("Anne",)) == []
        assert len(seated._plans) == 3  # one per length of the names
    finally:
        del REGISTRY[seated.name]


def test_a_values_query_and_a_prefetch(db, group, molde):
    MembershipFactory(person=PersonFactory(name="Kari", employer=molde), group=group, represents=molde)

    @prepared
    def names(group_id):
        return Membership.objects.filter(group_id=group_id).values("person__name", "represents__name")

    @prepared
    def people(name):
        return Person.objects.filter(name=name).prefetch_related("memberships")

    try:
        assert names(group.pk) == [{"person__name": "Kari", "represents__name": molde.name}]
        (kari,) = people("Kari")
        assert [m.group_id for m in kari.memberships.all()] == [group.pk]
    finally:
        del REGISTRY[names.name], REGISTRY[people.name]


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda group_id, day: Membership.objects.filter(start_date__lte=day - datetime.timedelta(days=1)), "computed"),
        (lambda group_id, day: Membership.objects.filter(group_id=group_id)[: group_id % 7], "SQL depends"),
        (lambda group_id, day: Membership.objects.filter(person__name__startswith=str(group_id)), "computed"),
    ],
)
def test_a_builder_that_breaks_the_rules_is_refused(db, build, message):
    query = prepared_module.PreparedQuery(build)
    with pytest.raises(PreparedQueryError, match=message):
        query(1, datetime.date(2024, 1, 1))


@pytest.mark.parametrize("bad", [True, 1.5, None, datetime.datetime(2024, 1, 1), ["a"], (1, None)])
def test_arguments_of_other_kinds_are_refused(db, bad):
    query = prepared_module.PreparedQuery(lambda value: Membership.objects.filter(pk=value))
    with pytest.raises(TypeError):
        query(bad)


def test_a_changed_setting_forgets_the_plans(db, group):
    query = REGISTRY["faggruppe_pages.reader.pages.group_seats"]
    query(group.pk, today())
    assert query._plans
    with override_settings(FAGGRUPPE_READER_CACHE_SECONDS=5):
        assert not query._plans


def test_another_thread_runs_the_plan_on_its_own_connection(db):
    """A plan made in one thread runs in another on that thread's connection (Django's connections are per
    thread), never on the one the plan was made on. (The other thread cannot see this test's uncommitted rows:
    it compares with what Django finds there.)"""
    query = REGISTRY["governance.compliance._organisation_rows"]
    query.forget()
    query()  # the plan, made here
    used = []

    def other():
        its_connection = connections["default"]
        try:
            with CaptureQueriesContext(its_connection) as queries:
                rows = query()
            expected = list(query.build())
            used.append((rows == expected, its_connection is not main_connection, len(queries), len(query._plans)))
        finally:
            its_connection.close()

    main_connection = connections["default"]
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert used == [(True, True, 1, 1)]  # its own connection ran the one query, with the plan made here


def test_past_max_plans_django_compiles_and_nothing_more_is_kept(db, group, molde, monkeypatch):
    """A crawler asking for ever deeper addresses makes a new shape each time (the route's tuple of path
    segments): past ``MAX_PLANS`` the query is compiled by Django and no plan is kept."""
    MembershipFactory(group=group, represents=molde, person=PersonFactory(name="Kari", employer=molde))
    monkeypatch.setattr(prepared_module, "MAX_PLANS", 2)

    @prepared
    def named(names):
        return Person.objects.filter(name__in=names).order_by("name")

    try:
        for n in range(1, 6):
            assert [p.name for p in named(("Kari",) * n)] == ["Kari"]
        assert len(named._plans) == 2
    finally:
        del REGISTRY[named.name]
