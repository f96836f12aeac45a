"""An access sweep generated from Django's URL resolver: every URL × every role × real objects.

Every pattern of ``get_resolver()`` (and every route of every RoutablePageMixin page type) must
match a rule in ``sweep_rules.py``; a new view without a rule turns this module red. Each rule
fills the pattern's kwargs with real ids of the demo and says what each role gets (allow,
refuse, either). On top of the status, every body of every response is scanned for private
markers the role may not see:

* ``PRIVAT-NOTAT-<pk>``: every membership's note (owner: the organisation it represents);
* ``+47 98 <pk:06d>``: the phone of every person who hides it (owner: the employer);
* ``LOGG-MARKOR-M<pk>`` / ``LOGG-MARKOR-P<pk>``: audit-log labels of sample rows (same owners);
* the title of a draft mandate and the name of a workflow submitter (staff only).

Then representatives of other organisations POST (empty and with plausible keys) to every
per-object URL of Molde's rows, and the database must be unchanged.

Run ``pytest tests/security/test_access_sweep.py -s`` for the counts.
"""

import io
import re
import time
import zipfile
from collections import Counter
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib import messages as django_messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Collection, ModelLogEntry, Page, Revision, Site, Workflow, get_page_models

from faggruppe_pages.models import FaggruppeIndexPage, GroupPage, Membership, Organisation, Person
from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME
from governance.models import GoverningBody, Mandate

from . import sweep_rules as R

pytestmark = pytest.mark.django_db

STATS = Counter()
FAILURE_COUNTS = {}

DRAFT_MANDATE_TITLE = "UTKAST-HEMMELIG-MANDAT-SVEIP"
SUBMITTER = ("sweep-innsender", "Sigurd", "Sendemannsen")
NOTE_RE = re.compile(r"PRIVAT-NOTAT-(\d+)")
PHONE_RE = re.compile(r"(?:\+|%2B|&#43;|&#x2B;)46\s?98\s?(\d{6})")
LOG_RE = re.compile(r"LOGG-MARKOR-([MP])(\d+)")
STAFF_RE = re.compile(re.escape(DRAFT_MANDATE_TITLE) + "|" + re.escape(SUBMITTER[0]) + "|" + SUBMITTER[2])
REP_ORG = {R.MOLDE: "molde", R.RAUMA: "rauma", R.UNION: "fagforbundet"}


def hidden_phone(pk):
    """A foreign number: stored and shown exactly as written (Norwegian ones are normalised and formatted)."""
    return f"+4698{pk:06d}"


# -- the URL patterns ------------------------------------------------------------------------------------
class Pattern(SimpleNamespace):
    """route (full), name (qualified, or None), kwargs (names), source (module of the view)."""

    @property
    def key(self):
        return self.name or f"route:{self.route}"


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield Pattern(
                route=prefix + str(p.pattern),
                name=name,
                kwargs=tuple(p.pattern.regex.groupindex),
                source=getattr(p.callback, "__module__", ""),
            )


def collect_patterns():
    """Every resolver pattern, then every page route (``page:<DefiningClass>:<name>``), once each."""
    found = list(_walk(get_resolver().url_patterns))
    seen = set()
    for cls in get_page_models():
        if not issubclass(cls, RoutablePageMixin):
            continue
        for klass in cls.__mro__:
            for val in list(klass.__dict__.values()):
                for route, _counter in getattr(val, "_routablepage_routes", ()):
                    if id(route) in seen:
                        continue
                    seen.add(id(route))
                    found.append(
                        Pattern(
                            route=f"<{klass.__name__}>/{route.pattern}",
                            name=f"page:{klass.__name__}:{route.name}",
                            kwargs=tuple(route.pattern.regex.groupindex),
                            source=klass.__module__,
                        )
                    )
    return found


PATTERNS = None


def patterns():
    global PATTERNS
    if PATTERNS is None:
        PATTERNS = collect_patterns()
    return PATTERNS


# -- the world: ids of the demo, plus markers ----------------------------------------------------------------
def _first(qs, what):
    obj = qs.first()
    assert obj is not None, f"demo has no {what}"
    return obj


def build_world():
    User = get_user_model()
    w = SimpleNamespace()
    w.orgs = {o.slug: o for o in Organisation.objects.all()}
    w.users = {u.username: u for u in User.objects.all()}
    staff = w.users["redaksjon"]
    w.staff_group = Group.objects.get(name=STAFF_GROUP_NAME)
    w.site = Site.objects.get(is_default_site=True)
    w.collection = Collection.get_first_root_node()

    index = FaggruppeIndexPage.objects.get(slug="faggrupper")
    pages = {
        "index": index,
        "root": index.get_parent(),
        "page_molde": GroupPage.objects.get(slug="oppvekst-og-utdanning"),
        "page_teknisk": GroupPage.objects.get(slug="teknisk"),
        "arbeidsgruppe": GroupPage.objects.get(slug="skoleadministrativt-system"),
    }
    w.pages = {k: SimpleNamespace(pk=p.pk, url=p.url) for k, p in pages.items()}

    # -- sample rows -------------------------------------------------------------------------------------
    active = Membership.objects.filter(end_date__isnull=True, person__user__isnull=True)
    org = w.orgs
    w.obj = {
        "m_molde": _first(active.filter(represents=org["molde"], group_id=pages["page_teknisk"].pk), "Molde seat"),
        "m_rauma": _first(active.filter(represents=org["rauma"], group_id=pages["page_molde"].pk), "Rauma seat"),
        "m_union": _first(active.filter(represents=org["fagforbundet"], person__employer=org["rauma"]), "union seat"),
        "m_ror": _first(active.filter(represents=org["ror-ikt"]), "ROR-IKT seat"),
    }
    w.obj.update(
        p_molde=w.obj["m_molde"].person,
        p_rauma=w.obj["m_rauma"].person,
        p_tillitsvalgt=w.obj["m_union"].person,
        p_ror=w.obj["m_ror"].person,
    )
    assert w.obj["p_molde"].employer_id == org["molde"].pk
    assert w.obj["p_tillitsvalgt"].employer_id == org["rauma"].pk

    # -- markers ------------------------------------------------------------------------------------------
    memberships = list(Membership.objects.all())
    for m in memberships:
        m.note = f"PRIVAT-NOTAT-{m.pk}"
    Membership.objects.bulk_update(memberships, ["note"])
    sample_people = {w.obj[k].pk for k in ("p_molde", "p_rauma", "p_tillitsvalgt", "p_ror")}
    people = list(Person.objects.filter(show_phone=False)) + list(Person.objects.filter(pk__in=sample_people))
    for p in people:
        p.phone, p.show_phone = hidden_phone(p.pk), False
    Person.objects.bulk_update(people, ["phone", "show_phone"])
    for obj in w.obj.values():
        obj.refresh_from_db()
    w.membership_owner = dict(Membership.objects.values_list("pk", "represents__slug"))
    w.person_owner = dict(Person.objects.values_list("pk", "employer__slug"))

    # -- revisions and audit log of the sample rows ---------------------------------------------------------
    w.revisions = {}
    for key in ("m_molde", "m_rauma", "m_union", "m_ror", "p_molde", "p_rauma", "p_tillitsvalgt", "p_ror"):
        obj = w.obj[key]
        first = obj.save_revision(user=staff)
        second = obj.save_revision(user=staff)
        w.revisions[key] = [first.pk, second.pk]
        ModelLogEntry.objects.log_action(
            obj, "wagtail.edit", user=staff, title=f"LOGG-MARKOR-{key[0].upper()}{obj.pk}", data={}
        )

    # -- mandates: an approved one and a draft with a staff-only title, in the workflow -------------------------
    submitter = User.objects.create_user(
        SUBMITTER[0], first_name=SUBMITTER[1], last_name=SUBMITTER[2], email="innsender@example.invalid"
    )
    submitter.groups.add(w.staff_group)
    live = _first(Mandate.objects.filter(live=True, group__isnull=True), "approved mandate")
    draft = _first(Mandate.objects.filter(live=False), "draft mandate")
    Mandate.objects.filter(pk=draft.pk).update(title=DRAFT_MANDATE_TITLE)
    draft.refresh_from_db()
    draft.save_revision(user=submitter)
    mandate_wf = draft.get_workflow()
    assert mandate_wf is not None, "mandates have no workflow"
    mandate_state = mandate_wf.start(draft, submitter)
    w.obj.update(mandate_live=live, mandate_draft=draft, body=_first(GoverningBody.objects.all(), "body"))
    w.revisions["mandate_live"] = list(live.revisions.order_by("pk").values_list("pk", flat=True))
    w.revisions["mandate_draft"] = list(draft.revisions.order_by("pk").values_list("pk", flat=True))
    w.mandate_workflow_state_id = mandate_state.pk
    w.mandate_task_state_id = mandate_state.current_task_state.pk

    # -- pages: a second revision of rep-molde's page; Teknisk in moderation by the submitter -------------------
    page_molde = pages["page_molde"].specific
    page_molde.save_revision(user=staff)
    teknisk = pages["page_teknisk"].specific
    teknisk.save_revision(user=submitter)
    workflow = teknisk.get_workflow()
    page_state = workflow.start(teknisk, submitter)
    w.workflow_id = workflow.pk
    w.task_id = page_state.current_task_state.task_id
    w.page_task_state_ids = {"page_teknisk": page_state.current_task_state.pk}
    w.page_workflow_state_ids = {"page_teknisk": page_state.pk}
    w.page_revisions = {
        k: list(Revision.page_revisions.filter(object_id=str(pages[k].pk)).order_by("pk").values_list("pk", flat=True))
        for k in ("page_molde", "page_teknisk", "index")
    }
    assert Workflow.objects.filter(pk=w.workflow_id).exists()
    return w


@pytest.fixture(scope="module")
def world(demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        return build_world()


FAKE_PDF = b"%PDF-1.4 sweep-fake (the HTML weasyprint would have rendered follows)\n"


class FakeHTML:
    """weasyprint takes seconds per PDF and subsets fonts (no text to scan); the sweep keeps the HTML."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return FAKE_PDF + self.string.encode()


@pytest.fixture(scope="module", autouse=True)
def _fast_templates(uninstrumented_templates):
    """The sweep reads status, headers and bodies, never ``response.context``."""
    yield


@pytest.fixture(scope="module", autouse=True)
def fast_pdf():
    import weasyprint

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(weasyprint, "HTML", FakeHTML)
        yield


# -- requests, outcomes and leaks ---------------------------------------------------------------------------------
def build_url(pattern, case):
    """The URL of a case, or raise ValueError saying why the rule cannot fill the pattern."""
    if case.path is not None:
        url = case.path
    else:
        if pattern.name is None or pattern.name.startswith("page:"):
            raise ValueError("unnamed pattern needs a literal path in its rule")
        missing = set(pattern.kwargs) - set(case.kwargs)
        if missing:
            raise ValueError(f"rule gives no value for {sorted(missing)}")
        url = reverse(pattern.name, kwargs={k: case.kwargs[k] for k in pattern.kwargs})
    return url + (("&" if "?" in url else "?") + case.query if case.query else "")


def classify(response):
    """allow / refuse / method (405) / bad (400) / error (5xx), with a short description."""
    status = response.status_code
    if status in (403, 404):
        return R.REFUSE, str(status)
    if status == 405:
        return "method", "405"
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path
        text = f"{status}->{location}"
        if location.startswith(("/admin/login/", "/logg-inn/")):
            return R.REFUSE, text
        storage = getattr(response.wsgi_request, "_messages", None)
        queued = getattr(storage, "_queued_messages", [])
        if location == "/admin/" and any(m.level == django_messages.ERROR for m in queued):
            return R.REFUSE, text + " (error message)"
        return R.ALLOW, text
    if 200 <= status < 300:
        return R.ALLOW, str(status)
    if status == 400:
        return "bad", "400"
    return "error", str(status)


def is_login_redirect(response):
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path in ("/admin/login/", "/logg-inn/") and "next=" in location.query


def body_text(response):
    """The body as text; XLSX unzipped; PDF (weasyprint, subset fonts) cannot be searched: None."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(FAKE_PDF):
        return content[len(FAKE_PDF) :].decode("utf-8", "ignore")
    if "pdf" in response.get("Content-Type", ""):
        return None
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", "ignore")


def leaks(role, text, w):
    """Private markers in ``text`` that ``role`` may not see."""
    if role == R.STAFF or not text:
        return []
    own = REP_ORG.get(role)
    found = set()
    for pk in NOTE_RE.findall(text):
        if w.membership_owner.get(int(pk)) != own or own is None:
            found.add(f"note of membership {pk} ({w.membership_owner.get(int(pk))})")
    for pk in PHONE_RE.findall(text):
        if w.person_owner.get(int(pk)) != own or own is None:
            found.add(f"hidden phone of person {int(pk)} ({w.person_owner.get(int(pk))})")
    for kind, pk in LOG_RE.findall(text):
        owner = (w.membership_owner if kind == "M" else w.person_owner).get(int(pk))
        if owner != own or own is None:
            found.add(f"audit-log label of {'membership' if kind == 'M' else 'person'} {pk} ({owner})")
    for marker in set(STAFF_RE.findall(text)):
        found.add(f"staff-only: {marker!r}")
    return sorted(found)


def judge(role, expected, got, response):
    """None if the outcome satisfies the expectation, else a reason."""
    outcome, _text = got
    if outcome == "error":
        return "server error"
    if expected == R.EITHER:
        return None
    if expected == R.ALLOW:
        return None if outcome == R.ALLOW else "not allowed"
    # REFUSE
    if role == R.ANON:
        return None if is_login_redirect(response) else "anonymous not sent to login"
    return None if outcome in (R.REFUSE, "method") else "not refused"


def client_for(role):
    client = Client(raise_request_exception=False)
    if role != R.ANON:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def iter_cases(w):
    """(pattern, rule, case) for every pattern; unmatched patterns are reported by their own test."""
    for pattern in patterns():
        rule = R.find_rule(pattern.name, pattern.route)
        if rule is None:
            continue
        for case in rule.cases(w):
            yield pattern, rule, case


def expected_for(rule, case, role):
    return case.expect.get(role, rule.expect[role]) if case.expect else rule.expect[role]


def fmt_failures(failures, limit=400):
    lines = [f"{len(failures)} failing case(s):"]
    for f in failures[:limit]:
        lines.append("  " + " | ".join(str(x) for x in f))
    return "\n".join(lines)


# -- tests ------------------------------------------------------------------------------------------------------------
def test_every_url_pattern_has_a_rule():
    unmatched = [p for p in patterns() if R.find_rule(p.name, p.route) is None]
    STATS["patterns"] = len(patterns())
    assert not unmatched, "URL patterns without a rule in tests/security/sweep_rules.py:\n" + "\n".join(
        f"  {p.key}  ({p.route}; kwargs {list(p.kwargs)}; {p.source})" for p in unmatched
    )


def test_every_rule_is_used():
    """A rule that matches nothing is stale (a renamed view would silently fall through to a glob)."""
    used = {id(R.find_rule(p.name, p.route)) for p in patterns()}
    stale = [rule.match for rule in R.RULES if id(rule) not in used and not rule.catch_all]
    assert not stale, f"rules that match no URL pattern: {stale}"


def test_markers_are_found_where_they_belong(world):
    """Positive control: the leak scan is not blind. Owners and staff do get each kind of marker, and
    the same bodies would count as a leak for a reader."""
    m, p, draft = world.obj["m_molde"], world.obj["p_molde"], world.obj["mandate_draft"]
    checks = [
        (R.MOLDE, reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[m.pk]), f"PRIVAT-NOTAT-{m.pk}"),
        (R.MOLDE, reverse("wagtailsnippets_faggruppe_pages_person:edit", args=[p.pk]), hidden_phone(p.pk)),
        (R.STAFF, reverse("wagtailadmin_reports:site_history"), f"LOGG-MARKOR-M{m.pk}"),
        (R.STAFF, reverse("wagtailsnippets_governance_mandate:edit", args=[draft.pk]), DRAFT_MANDATE_TITLE),
        (R.STAFF, reverse("wagtailadmin_reports:workflow"), SUBMITTER[2]),
        (R.STAFF, reverse("wagtailsnippets_faggruppe_pages_person:list") + "?export=xlsx", hidden_phone(p.pk)),
    ]
    problems = []
    for role, url, marker in checks:
        response = client_for(role).get(url)
        text = body_text(response) or ""
        if response.status_code != 200 or marker not in text:
            problems.append(f"{role} {url}: {response.status_code}, marker {marker!r} not found")
        elif not leaks(R.LESER, text, world):
            problems.append(f"{url}: marker {marker!r} present but the leak scan does not flag it")
    response = client_for(R.LESER).get(world.pages["index"].url + "medlemsoversikt/pdf/")
    if not (response.status_code == 200 and body_text(response) and "<html" in body_text(response).lower()):
        problems.append("the PDF download is not scanned (no HTML behind the fake PDF)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", R.ROLES)
def test_access_sweep(world, role):
    client = client_for(role)
    failures, done = [], set()
    started = time.monotonic()
    slow = []
    for pattern, rule, case in iter_cases(world):
        try:
            url = build_url(pattern, case)
        except Exception as exc:  # noqa: BLE001 - a rule that cannot fill its pattern is a failure too
            failures.append((pattern.key, case.label, role, "rule error", repr(exc)))
            continue
        if url in done:
            continue
        done.add(url)
        expected = expected_for(rule, case, role)
        t0 = time.monotonic()
        response = client.get(url)
        elapsed = time.monotonic() - t0
        if elapsed > 1.0:
            slow.append((round(elapsed, 1), url))
        STATS["requests"] += 1
        STATS[f"requests[{role}]"] += 1
        got = classify(response)
        if expected == R.REFUSE:
            STATS["refusals checked"] += 1
        reason = judge(role, expected, got, response)
        if reason:
            failures.append((url, role, f"expected {expected}", f"got {got[1]}", reason, pattern.key))
        text = body_text(response)
        if text is None:
            STATS["bodies not scanned (pdf)"] += 1
        leaked = leaks(role, text, world)
        if role in case.private_from and text:
            leaked += [f"object shown to a non-owner: {t!r}" for t in case.private if t in text]
        if leaked:
            failures.append(
                (
                    url,
                    role,
                    f"expected {expected}",
                    f"got {got[1]}",
                    "LEAK: " + "; ".join(leaked[:6]) + (f" (+{len(leaked) - 6} more)" if len(leaked) > 6 else ""),
                    pattern.key,
                )
            )
        if role != R.ANON and "_auth_user_id" not in client.session:
            client = client_for(role)  # a view logged the client out; log in again
    STATS[f"seconds[{role}]"] = round(time.monotonic() - started, 1)
    if slow:
        print(f"\n[{role}] slow requests: {sorted(slow, reverse=True)[:8]}")
    FAILURE_COUNTS[role] = len(failures)
    assert not failures, fmt_failures(failures)


def snapshot():
    return {
        "membership": list(Membership.objects.order_by("pk").values()),
        "person": list(Person.objects.order_by("pk").values()),
        "organisation": list(Organisation.objects.order_by("pk").values()),
        "page": list(
            Page.objects.order_by("pk").values("pk", "title", "slug", "live", "latest_revision_id", "locked", "path")
        ),
        "mandate": list(Mandate.objects.order_by("pk").values()),
        "governingbody": list(GoverningBody.objects.order_by("pk").values()),
        "revisions": Revision.objects.count(),
    }


def diff(before, after):
    changed = []
    for key in before:
        if before[key] != after[key]:
            if isinstance(before[key], list):
                b = {r["pk"] if "pk" in r else r["id"]: r for r in before[key]}
                a = {r["pk"] if "pk" in r else r["id"]: r for r in after[key]}
                rows = [pk for pk in set(a) | set(b) if a.get(pk) != b.get(pk)]
                fields = sorted({f for pk in rows if pk in a and pk in b for f in a[pk] if a[pk][f] != b[pk].get(f)})
                changed.append(f"{key}: rows {sorted(rows)[:5]} fields {fields}")
            else:
                changed.append(f"{key}: {before[key]} -> {after[key]}")
    return changed


def plausible_payload(w, role, add=False):
    """Keys a forged form would carry. For add views: entries for Molde (forged). For Molde's rows:
    a takeover (move the person to the attacker's organisation, let the seat represent it)."""
    org, obj = w.orgs, w.obj
    own = org[REP_ORG[role]].pk
    return {
        "title": "ENDRET-AV-SVEIP",
        "slug": "endret-av-sveip",
        "name": "ENDRET-AV-SVEIP",
        "short_name": "ENDRET",
        "note": "ENDRET-AV-SVEIP",
        "phone": "+47 11 11 11 11",
        "show_phone": "on",
        "email": "endret@example.invalid",
        "employer": org["molde"].pk if add else own,
        "represents": org["molde"].pk if add else own,
        "person": obj["p_molde"].pk,
        "group": w.pages["page_molde"].pk,
        "role": "medlem",
        "start_date": "2024-01-01",
        "end_date": "2020-01-01",
        "organisation": org["molde"].pk,
        "kind": "municipality",
        "is_owner": "on",
        "municipality_number": "1506",
        "action-publish": "action-publish",
        "action-submit": "action-submit",
        "id": [obj["m_molde"].pk, obj["p_molde"].pk],
    }


def test_post_sweep_changes_nothing(world):
    """Representatives of other organisations POST to every per-object URL of Molde's rows: nothing changes."""
    targets = []
    for pattern, rule, case in iter_cases(world):
        if rule.no_post:
            continue
        if case.post_target or pattern.key.endswith((":add", ":create")) and "faggruppe_pages" in pattern.key:
            targets.append((pattern, case))
    failures, done = [], set()
    started = time.monotonic()
    before = snapshot()  # every POST is rolled back, so one baseline serves them all
    for role in (R.RAUMA, R.UNION):
        client = client_for(role)
        for pattern, case in targets:
            url = build_url(pattern, case)
            if (role, url) in done:
                continue
            done.add((role, url))
            add = pattern.key.endswith((":add", ":create"))
            payloads = [("empty", {}), ("forged" if add else "takeover", plausible_payload(world, role, add))]
            for label, data in payloads:
                with transaction.atomic():
                    response = client.post(url, data)
                    after = snapshot()
                    transaction.set_rollback(True)
                STATS["posts"] += 1
                changed = diff(before, after)
                if changed:
                    failures.append(
                        (
                            url,
                            role,
                            f"POST {label}",
                            f"got {response.status_code}",
                            "DATA CHANGED: " + "; ".join(changed),
                            pattern.key,
                        )
                    )
                elif response.status_code >= 500:
                    failures.append(
                        (url, role, f"POST {label}", f"got {response.status_code}", "server error", pattern.key)
                    )
    STATS["seconds[post]"] = round(time.monotonic() - started, 1)
    FAILURE_COUNTS["post"] = len(failures)
    assert not failures, fmt_failures(failures)


def test_zz_report(record_property):
    """Counts of the sweep (print with -s; also attached to the junit report)."""
    report = {
        "url patterns": STATS["patterns"] or len(patterns()),
        "roles": len(R.ROLES),
        "GET requests": STATS["requests"],
        "refusals checked": STATS["refusals checked"],
        "POST requests": STATS["posts"],
        **{k: v for k, v in STATS.items() if k.startswith(("requests[", "seconds[", "bodies"))},
        "PDF downloads": "weasyprint replaced by a fake that returns the HTML it would render (scanned)",
        "failing cases": FAILURE_COUNTS,
    }
    for key, value in report.items():
        record_property(key, value)
    print("\nACCESS SWEEP:", "\n  ".join(f"{k}: {v}" for k, v in report.items()))
