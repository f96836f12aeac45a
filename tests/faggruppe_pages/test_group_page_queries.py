"""Query counts of the group pages and the person page, uncached: constant as the data grows (members, meetings,
agenda items, measures, status reports, benefits, proposals, levels of the reporting chain), and how many for a
plain reader, a representative and staff. The routing in one query (faggruppe_pages/routing.py) keeps Wagtail's
answers: live pages only, sub-routes, 404s."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppePage, Organisation
from governance.models import GoverningBody, Mandate, ReportingLine
from governance.models.measures import MeasureStatus, Realisation
from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, PersonFactory
from tests.governance.test_meetings_reader import make_meeting
from tests.governance.test_work_reader import approved_benefit, published, report, sent_proposal

pytestmark = pytest.mark.django_db

#: What the pages cost for a plain reader with the page cache switched off (FAGGRUPPE_READER_CACHE_SECONDS = 0):
#: the site, the organisations and the reporting lines are then read by every request too (see below for 12).
GROUP_PAGE_READER_QUERIES = 15
PERSON_PAGE_READER_QUERIES = 7


@pytest.fixture
def demo(db, settings):
    # The work a page does: with the reader-page cache off (test_reader_cache.py counts a cache hit: 3 queries).
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0
    load_demo()


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def count(client, url):
    client.get(url)  # warm: first-use caches (content types, site root paths) are not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def top_of_chain(group):
    """The governing body at the top of the group's reporting chain today (for growing the chain)."""
    mandate = Mandate.objects.in_force_for(group, timezone.localdate())
    assert mandate is not None, "the demo group needs a mandate"
    if not mandate.reports_to_id:  # the arbeidsgruppe's mandate names no body: give it one
        Mandate.objects.filter(pk=mandate.pk).update(reports_to=GoverningBody.objects.create(name="Faggruppen"))
        mandate.refresh_from_db()
    return mandate.reports_to.chain_on(timezone.localdate())[-1]


def grow(group, n):
    """``n`` more of everything the group page shows, and ``n`` more levels above the reporting chain."""
    today = timezone.localdate()
    molde = Organisation.objects.get(slug="molde")
    for i in range(n):
        MembershipFactory(group=group, represents=molde, person=PersonFactory(employer=molde))
        MembershipFactory(
            group=group,
            represents=molde,
            person=PersonFactory(employer=molde),
            start_date=today - datetime.timedelta(days=400),
            end_date=today - datetime.timedelta(days=10 + i),
        )
        make_meeting(group, today + datetime.timedelta(days=5 + i), items=[f"Sak {i}", f"Sak {i}b"])
        make_meeting(group, today - datetime.timedelta(days=20 + i))
        measure = published(group, f"Vekst {group.pk}-{i}", owner=PersonFactory(employer=molde))
        report(measure, today - datetime.timedelta(days=30), MeasureStatus.ONGOING)
        report(measure, today - datetime.timedelta(days=3), MeasureStatus.DELAYED)
        benefit = approved_benefit(measure)
        Realisation.objects.create(benefit=benefit, date=today - datetime.timedelta(days=2), value=80)
        sent_proposal(group, f"Forslag {group.pk}-{i}")
        top = top_of_chain(group)
        above = GoverningBody.objects.create(name=f"Nivå over {top.name} {i}")
        ReportingLine.objects.create(body=top, reports_to=above, valid_from=today - datetime.timedelta(days=1))


def pages():
    faggruppe = FaggruppePage.objects.live().get(slug="lonn-og-personal")
    arbeidsgruppe = (
        ArbeidsgruppePage.objects.live()
        .filter(
            pk__in=[
                g.pk for g in ArbeidsgruppePage.objects.live() if Mandate.objects.in_force_for(g, timezone.localdate())
            ]
        )
        .first()
    )
    return faggruppe, arbeidsgruppe


def test_group_pages_run_the_same_queries_with_three_times_the_data(demo):
    faggruppe, arbeidsgruppe = pages()
    groups = [g for g in (faggruppe, arbeidsgruppe) if g is not None]
    clients = {name: client_for(name) for name in ("leser", "rep-molde", "redaksjon")}
    for group in groups:
        grow(group, 1)
    before = {(name, g.pk): count(c, g.url) for name, c in clients.items() for g in groups}
    for group in groups:
        grow(group, 2)
    after = {(name, g.pk): count(c, g.url) for name, c in clients.items() for g in groups}
    assert after == before
    for group in groups:
        assert before[("leser", group.pk)] <= GROUP_PAGE_READER_QUERIES
        # A representative and staff are asked for their rights (permissions, page permissions, the organisations
        # represented), and Wagtail's user bar asks for its own (profile, workflow states): more, also constant.
        assert before[("rep-molde", group.pk)] <= GROUP_PAGE_READER_QUERIES + 10
        assert before[("redaksjon", group.pk)] <= GROUP_PAGE_READER_QUERIES + 10


def miss(client, url):
    """Queries of a request the page cache cannot serve (the cache on, as deployed; the page's entry gone, as
    for a page nobody has opened since the last change, or in another language), after one request warmed what a
    process keeps under the data version (faggruppe_pages/versioned.py)."""
    client.get(url)
    caches["reader_pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert "Sak 0" in response.content.decode()  # rendered, not an empty page
    return len(ctx)


def test_group_page_within_twelve_queries_for_a_reader_when_the_cache_misses(demo, settings):
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 300
    faggruppe, _ = pages()
    grow(faggruppe, 1)
    leser = client_for("leser")
    before = miss(leser, faggruppe.url)
    grow(faggruppe, 2)
    assert miss(leser, faggruppe.url) == before <= 12


def test_the_page_still_shows_what_it_showed(demo):
    faggruppe, _ = pages()
    grow(faggruppe, 1)
    text = client_for("leser").get(faggruppe.url).content.decode()
    assert "Sak 0" in text  # the next meeting's agenda
    assert "Vekst" in text  # the measures
    assert "Nivå over" in text  # the grown reporting chain


def test_person_page_runs_the_same_queries_with_more_seats(demo):
    faggruppe, _ = pages()
    person = PersonFactory(employer=Organisation.objects.get(slug="molde"))
    MembershipFactory(group=faggruppe, person=person, represents=person.employer)
    url = f"{faggruppe.get_parent().url}personer/{person.pk}/"
    leser = client_for("leser")
    before = count(leser, url)
    for group in FaggruppePage.objects.live().exclude(pk=faggruppe.pk)[:3]:
        MembershipFactory(group=group, person=person, represents=person.employer)
    assert count(leser, url) == before <= PERSON_PAGE_READER_QUERIES


#: Per request: the CSP nonce, the CSRF token, and the matrix's "generated at hh:mm" (the two passes below may
#: straddle a minute).
PER_REQUEST = re.compile(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|kl\. \d\d:\d\d')


def answers(client, urls):
    """{url: (status, Location, page text without what differs per request)}."""
    out = {}
    for url in urls:
        response = client.get(url)
        out[url] = (
            response.status_code,
            response.get("Location", ""),
            PER_REQUEST.sub("", response.content.decode()) if response.status_code == 200 else "",
        )
    return out


def test_routing_in_one_query_answers_as_wagtail_does(demo, settings):
    """Every kind of address answered the same with and without the one-query route: pages, sub-routes,
    unknown slugs, an unpublished page, a page restricted to a group (and its child), a password-protected
    page, an alias, the person page."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    faggruppe, arbeidsgruppe = pages()
    index = faggruppe.get_parent().specific
    others = list(FaggruppePage.objects.live().exclude(pk=faggruppe.pk).order_by("path")[:3])
    restricted, protected, unpublished = others
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.GROUPS).groups.add(
        Group.objects.create(name="Bare noen")
    )
    PageViewRestriction.objects.create(page=protected, restriction_type=PageViewRestriction.PASSWORD, password="x")
    unpublished.unpublish()
    FaggruppePage.objects.filter(pk=faggruppe.pk).update(editors_group=None)  # one-to-one: the alias copies it
    faggruppe.refresh_from_db()
    alias = faggruppe.create_alias(parent=index, update_slug="alias-av-lonn")
    person = faggruppe.memberships.first().person
    urls = [
        "/faggrupper/",
        "/faggrupper/medlemsoversikt/",
        faggruppe.url,
        faggruppe.url + "vcard/",
        faggruppe.url + "medlemmer/csv/",
        faggruppe.url + "finnes-ikke/",
        "/faggrupper/finnes-ikke/side/",
        f"{index.url}personer/{person.pk}/",
        restricted.url,
        restricted.url + "vcard/",
        protected.url,
        f"/faggrupper/{unpublished.slug}/",
        f"/faggrupper/{unpublished.slug}/vcard/",
        alias.url,
        "/",
        "/finnes-ikke/",
    ]
    if arbeidsgruppe is not None:
        urls.append(arbeidsgruppe.url)
    leser = client_for("leser")
    ours = answers(leser, urls)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("RouteInOneQueryMiddleware")]
    wagtails = answers(client_for("leser"), urls)  # a new client loads the middleware anew
    assert ours == wagtails
    assert ours[restricted.url][0] == 302 and ours[protected.url][0] == 200 and ours[alias.url][0] == 200


def test_routing_keeps_wagtails_answers(demo):
    faggruppe, _ = pages()
    leser = client_for("leser")
    assert leser.get(faggruppe.url).status_code == 200
    assert leser.get(faggruppe.url + "vcard/").status_code == 200  # a sub-route
    assert leser.get(faggruppe.url + "finnes-ikke/").status_code == 404  # no such child
    assert leser.get("/faggrupper/finnes-ikke/side/").status_code == 404
    faggruppe.unpublish()
    assert leser.get(faggruppe.url or "/faggrupper/lonn-og-personal/").status_code == 404  # live pages only
