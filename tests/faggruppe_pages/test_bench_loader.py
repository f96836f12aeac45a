"""The benchmarks' fast scale-up (tests/perf/bench.py ``load_scale``) makes the same data as ``load_demo --scale``."""

import pytest
from django.db import transaction
from intranet.demo.loader import DemoLoader

from faggruppe_pages.models import FaggruppePage, Membership, Person
from tests.perf.bench import load_scale

pytestmark = pytest.mark.django_db


def snapshot():
    """What a reader of the overview sees of the groups, people and seats (not the moment they were made)."""
    groups = {
        (g.slug, g.title, g.purpose, g.area, g.contact_email, g.live, g.depth, g.url_path)
        for g in FaggruppePage.objects.all()
    }
    people = set(Person.objects.values_list("email", "name", "job_title", "employer__slug", "phone", "show_phone"))
    seats = {
        (
            m.group.slug,
            m.person.email,
            m.role,
            m.represents.slug,
            m.start_date,
            m.end_date,
            m.appointed_by,
            m.last_verified_at.date() if m.last_verified_at else None,
        )
        for m in Membership.objects.select_related("group", "person", "represents")
    }
    return groups, people, seats


def test_fast_scale_up_makes_what_the_demo_loader_makes():
    with transaction.atomic():
        DemoLoader(scale=3).run()
        real = snapshot()
        transaction.set_rollback(True)
    assert not FaggruppePage.objects.exists()

    load_scale(3)
    fast = snapshot()
    assert sum(1 for group in fast[0] if group[0].endswith("-3")) == 9  # the nine faggrupper's third copy
    assert FaggruppePage.objects.filter(slug="teknisk-3", live=True).exists()
    assert fast == real

    # Idempotent, like the loader: a second run (or a smaller scale) adds nothing.
    load_scale(3)
    load_scale(2)
    assert snapshot() == real
    assert Membership.objects.count() == len(real[2])
