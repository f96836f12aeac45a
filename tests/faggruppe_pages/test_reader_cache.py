"""The shared cache of reader pages (faggruppe_pages/reader/cache.py): never a stale page, never someone else's.

1. After each kind of change (a membership, a person, an organisation, "Alt stemmer", a page published,
   unpublished or moved, a meeting's notice, the language) the next request shows it, with the cache warm.
2. Generated over every cached page of the demo and every pair of viewers: what a viewer gets after another
   viewer filled the cache is exactly what they get with the cache off (CSRF tokens aside). A plain reader shares
   the entry with other plain readers (a hit: fewer queries).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppePage, GroupPage, Membership, Organisation, Person
from faggruppe_pages.reader.cache import CACHED_PAGE_VIEWS
from faggruppe_pages.upkeep.confirmation import verify_all
from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

cache = caches["reader_pages"]

GROUP = "/faggrupper/lonn-og-personal/"


@pytest.fixture
def demo(db):
    cache.clear()
    load_demo()
    yield
    cache.clear()


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def reader(demo):
    return client_for("leser")


def text(response):
    """The page without its CSRF tokens and the matrix's "generated at hh:mm" (a cached copy says when it was
    generated, truthfully)."""
    assert response.status_code == 200, response.status_code
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return re.sub(r"kl\. \d\d[:.]\d\d", "kl. –", page)


def queries(client, path):
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, len(captured)


def test_a_second_request_is_served_from_the_cache(reader):
    first, cold = queries(reader, GROUP)
    second, warm = queries(reader, GROUP)
    assert text(first) == text(second)
    assert warm < cold
    # Served before Wagtail's routing: the session, the user and the data version, nothing else.
    assert warm <= 3


def test_a_new_member_shows_at_once(reader):
    group = FaggruppePage.objects.get(url_path__endswith="/lonn-og-personal/")
    text(reader.get(GROUP))
    person = PersonFactory(name="Nyss Medlemsen", employer=Organisation.objects.get(slug="molde"))
    MembershipFactory(person=person, group=group, represents=person.employer, start_date=timezone.localdate())
    assert "Nyss Medlemsen" in text(reader.get(GROUP))
    assert "Nyss Medlemsen" in text(reader.get("/faggrupper/medlemsoversikt/"))


def test_an_ended_membership_leaves_the_current_list_at_once(reader):
    group = GroupPage.objects.get(url_path__endswith="/lonn-og-personal/")
    membership = Membership.objects.filter(group=group).active_on(timezone.localdate()).first()
    name = membership.person.name
    before = text(reader.get(GROUP))
    assert name in before
    Membership.objects.filter(pk=membership.pk).update(end_date=timezone.localdate() - timezone.timedelta(days=1))
    after = text(reader.get(GROUP))
    assert after != before
    current = after.split('id="members-heading"')[1].split("</table>")[0] if 'id="members-heading"' in after else ""
    assert name not in current


def test_a_renamed_person_and_organisation_show_at_once(reader):
    membership = Membership.objects.filter(group__url_path__endswith="/lonn-og-personal/").first()
    person_path = f"/faggrupper/personer/{membership.person_id}/"
    for path in (GROUP, "/faggrupper/medlemsoversikt/", person_path):
        text(reader.get(path))
    Person.objects.filter(pk=membership.person_id).update(name="Omdøpt Personsen")
    Organisation.objects.filter(pk=membership.represents_id).update(name="Omdøpt kommune")
    for path in (GROUP, person_path):
        assert "Omdøpt Personsen" in text(reader.get(path)), path
    assert "Omdøpt kommune" in text(reader.get("/faggrupper/medlemsoversikt/"))


def test_alt_stemmer_shows_at_once(reader):
    """ "Alt stemmer" confirms with QuerySet.update() (no signal): the list's "confirmed" date follows."""
    molde = Organisation.objects.get(slug="molde")
    group = GroupPage.objects.filter(memberships__represents=molde).distinct().first()
    path = group.get_url()
    long_ago = timezone.now() - timezone.timedelta(days=400)
    Membership.objects.filter(group=group).update(last_verified_at=long_ago)
    before = text(reader.get(path))
    verify_all(molde, get_user_model().objects.get(username="rep-molde"))
    after = text(reader.get(path))
    assert after != before
    assert timezone.localdate().strftime("%d.%m.%Y") in after


def test_publishing_unpublishing_and_moving_pages_show_at_once(reader):
    group = FaggruppePage.objects.get(url_path__endswith="/lonn-og-personal/")
    assert "Lønn og personal" in text(reader.get("/faggrupper/"))
    group.title = "Lønn, personal og HMS"
    group.save_revision().publish()
    assert "Lønn, personal og HMS" in text(reader.get("/faggrupper/"))
    assert "Lønn, personal og HMS" in text(reader.get(GROUP))
    group.unpublish()
    assert "Lønn, personal og HMS" not in text(reader.get("/faggrupper/"))
    assert reader.get(GROUP).status_code == 404
    sub = ArbeidsgruppePage.objects.live().first()
    old_parent = sub.get_parent()
    new_parent = FaggruppePage.objects.live().exclude(pk=old_parent.pk).first()
    old_parent_path = "/faggrupper/" + old_parent.slug + "/"
    assert sub.title in text(reader.get(old_parent_path))
    sub.move(new_parent, pos="last-child")
    assert sub.title not in text(reader.get(old_parent_path)).split('id="subgroups-heading"')[1].split("</section>")[0]


def test_a_meeting_notice_sent_shows_on_the_group_page_at_once(reader):
    from governance.models import Meeting

    meeting = Meeting.objects.filter(notice_sent_at__isnull=False, group__live=True).first()
    group = meeting.group
    path = "/faggrupper/" + "/".join(group.url_path.strip("/").split("/")[2:]) + "/"
    before = text(reader.get(path))
    Meeting.objects.filter(group=group).update(notice_sent_at=None)
    after = text(reader.get(path))
    assert after != before


def test_each_language_has_its_own_entry(reader):
    from django.conf import settings

    nb = text(reader.get(GROUP))
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    nn = text(reader.get(GROUP))
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = text(reader.get(GROUP))
    assert len({nb, nn, en}) == 3
    assert 'lang="en"' in en and "Members" in en


def test_a_new_day_is_a_new_entry(reader, monkeypatch):
    """The pages say "over fristen" and "current" by date: tomorrow's request is not served today's page."""
    from faggruppe_pages.reader import cache as reader_cache

    request_factory_key = []
    real = reader_cache.page_key

    def spy(request):
        key = real(request)
        request_factory_key.append(key)
        return key

    monkeypatch.setattr(reader_cache, "page_key", spy)
    reader.get(GROUP)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(reader_cache.timezone, "localdate", lambda *a, **k: tomorrow)
    reader.get(GROUP)
    assert request_factory_key[0] != request_factory_key[1]


# -- generated: every cached page, every pair of viewers --------------------------------------------------------


def cached_paths():
    """One address per cached view and page of the demo (all groups, all organisations, some people)."""
    paths = ["/faggrupper/", "/faggrupper/medlemsoversikt/", "/faggrupper/medlemsoversikt/?organisasjon=molde"]
    paths.append("/faggrupper/representert/")
    paths += [f"/faggrupper/representert/{slug}/" for slug in Organisation.objects.values_list("slug", flat=True)]
    for group in GroupPage.objects.live().specific():
        paths.append(group.get_url())
    people = Person.objects.filter(Q(memberships__represents__slug="molde") | Q(memberships__role="leader"))
    paths += [f"/faggrupper/personer/{pk}/" for pk in people.distinct().values_list("pk", flat=True)[:6]]
    # Other add-ons' reader pages (plain Django views with cached_view): governance's yearly reports.
    year = timezone.localdate().year
    paths += [f"/arsrapport/{year}/", f"/arsrapport/{year - 1}/"]
    paths += [f"/arsrapport/{year}/gruppe/{pk}/" for pk in GroupPage.objects.live().values_list("pk", flat=True)[:3]]
    return paths


def reader_cached_url_names():
    """Every URL pattern whose view is a ``cached_view`` (found in the URL configuration, not listed by hand)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "reader_cached", False):
                yield pattern.name

    return set(walk(get_resolver().url_patterns))


def test_the_generated_pages_cover_every_cached_view(demo):
    from django.urls import resolve

    from faggruppe_pages import wiring

    names = set()
    plain_views = set()
    for path in cached_paths():
        match = resolve(path.split("?")[0])
        if match.url_name != "wagtail_serve":
            plain_views.add(match.url_name)
    # Every plain view kept in the cache is reached by a generated path (a new one is covered, or this fails).
    assert reader_cached_url_names() == plain_views
    assert "governance_yearly_report" in plain_views
    # Each cached view name is one that the generated paths reach (the views register under these names).
    for name in CACHED_PAGE_VIEWS:
        assert getattr(wiring._page_views[name], "wrapped_by", None) is not None, name
        names.add(name)
    assert names == set(CACHED_PAGE_VIEWS)


def test_no_viewer_ever_gets_another_viewers_page(demo, settings):
    """For each page and each viewer B: after viewer A filled the cache, B gets exactly B's own page."""
    UserFactory(username="leser-to")  # a second plain reader: shares leser's entries
    users = ["leser", "leser-to", "rep-molde", "redaksjon"]
    clients = {u: client_for(u) for u in users}
    paths = cached_paths()
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0
    own = {(u, p): text(clients[u].get(p)) for u in users for p in paths}
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 300
    mismatches = []
    for path in paths:
        for first in users:
            cache.clear()
            text(clients[first].get(path))
            for second in users:
                got = text(clients[second].get(path))
                if got != own[(second, path)]:
                    import difflib

                    diff = difflib.unified_diff(own[(second, path)].splitlines(), got.splitlines(), lineterm="", n=0)
                    mismatches.append(f"{path}: {second} after {first}: " + " | ".join(list(diff)[2:8]))
    assert not mismatches, mismatches[:20]
    # Viewers with other rights see other pages somewhere (else this test could not fail).
    assert any(own[("leser", p)] != own[("rep-molde", p)] for p in paths)


def test_plain_readers_share_an_entry(demo):
    UserFactory(username="leser-to")
    cache.clear()
    first, cold = queries(client_for("leser"), GROUP)
    second, warm = queries(client_for("leser-to"), GROUP)
    assert warm < cold
    assert "leser-to" not in text(first)


def test_a_changed_setting_is_a_new_entry(reader, settings):
    """A setting the pages may read (e.g. the review interval, which can decide "over fristen") is in the key:
    under a changed setting the page is rendered again, not served from the entry made before."""
    from faggruppe_pages.reader import cache as reader_cache

    first = reader_cache.settings_fingerprint()
    queries(reader, GROUP)
    _response, warm = queries(reader, GROUP)
    settings.FAGGRUPPE_REVIEW_INTERVAL_DAYS = 1
    assert reader_cache.settings_fingerprint() != first
    _response, after_change = queries(reader, GROUP)
    assert after_change > warm


def test_reference_data_kept_per_data_version_follows_every_change(reader):
    """What a process keeps under the data version for requests the page cache cannot serve (the site, the
    organisations, the reporting chain, the mandate in force: faggruppe_pages/versioned.py) follows a change made
    behind every signal's back (QuerySet.update), on the next request."""
    from wagtail.models import Site

    from governance.models import GoverningBody, Mandate

    group = FaggruppePage.objects.get(url_path__endswith="/lonn-og-personal/")
    mandate = Mandate.objects.in_force_for(group, timezone.localdate())
    body = mandate.reports_to.chain_on(timezone.localdate())[-1]
    page = text(reader.get(GROUP))
    assert mandate.title in page and body.name in page
    cache.clear()  # the next request is a miss of the page cache, served from what the process kept
    assert text(reader.get(GROUP)) == page

    Mandate.objects.filter(pk=mandate.pk).update(title="Mandat med nytt navn")
    GoverningBody.objects.filter(pk=body.pk).update(name="Det øverste organet")
    page = text(reader.get(GROUP))
    assert "Mandat med nytt navn" in page and "Det øverste organet" in page
    assert mandate.title not in page and body.name not in page

    Site.objects.update(is_default_site=False, hostname="en-annen-vert.example")
    assert reader.get(GROUP).status_code == 404  # no site answers for this host any more


def test_the_yearly_report_is_kept_and_shows_a_new_meeting_at_once(reader):
    """governance's yearly report (a plain Django view with cached_view): the second request is served from the
    cache; a meeting held since shows on the next request."""
    from governance.models import Meeting, MeetingKind

    path = f"/arsrapport/{timezone.localdate().year}/"
    first, cold = queries(reader, path)
    second, warm = queries(reader, path)
    assert text(first) == text(second)
    assert warm <= 3 < cold  # the session, the user and the data version
    group = FaggruppePage.objects.get(url_path__endswith="/lonn-og-personal/")
    held = timezone.now() - timezone.timedelta(hours=1)
    Meeting.objects.create(
        group=group, kind=MeetingKind.ORDINARY, starts_at=held, place="Møterom Nyss", notice_sent_at=held
    )
    assert "Møterom Nyss" not in text(second)
    assert "Møterom Nyss" in text(reader.get(path))
