"""The rule table of the access sweep (tests/security/test_access_sweep.py).

Every URL pattern of the project (Django's resolver, plus the routes of every RoutablePageMixin
page type) must match a rule here, or the sweep fails and names it. A rule says how to fill
the pattern's kwargs with real ids of the demo (``cases(w)``, ``w`` being the world built by
the sweep's fixture) and what each role must get: ALLOW (200, or a redirect that is not a
refusal), REFUSE (a redirect to the dashboard with the refusal message, to a login page, 403,
404), or EITHER (Wagtail core views whose answer we do not control; they must not leak).

Rules are matched in order, first match wins: list specific rules before globs. ``match`` is a
tuple of fnmatch globs over the qualified name (``wagtailsnippets_faggruppe_pages_membership:edit``)
or, prefixed ``route:``, over the full route (only for patterns without a name). Routes of
RoutablePageMixin page types are named ``page:<PageClass>:<route name>``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALLOW, REFUSE, EITHER = "allow", "refuse", "either"

ANON, LESER, MOLDE, RAUMA, UNION, STAFF = (
    "anonymous",
    "leser",
    "rep-molde",
    "rep-rauma",
    "rep-fagforbundet",
    "redaksjon",
)
ROLES = [ANON, LESER, MOLDE, RAUMA, UNION, STAFF]
REPS = [MOLDE, RAUMA, UNION]


def expect(default=REFUSE, *, anonymous=None, leser=None, reps=None, staff=None, users=None, **per_rep):
    """Expectation per role. ``users`` = every logged-in role; ``reps`` = every representative;
    per representative: ``rep_molde=…``, ``rep_rauma=…``, ``rep_fagforbundet=…``."""
    out = {role: default for role in ROLES}
    if users is not None:
        for role in ROLES[1:]:
            out[role] = users
    if anonymous is not None:
        out[ANON] = anonymous
    if leser is not None:
        out[LESER] = leser
    if reps is not None:
        for role in REPS:
            out[role] = reps
    if staff is not None:
        out[STAFF] = staff
    for key, value in per_rep.items():
        role = key.replace("_", "-")
        assert role in REPS, key
        out[role] = value
    return out


# -- profiles ------------------------------------------------------------------------------------
PUBLIC = expect(ALLOW)
#: Reader pages: every logged-in employee, never anonymous.
READERS = expect(REFUSE, users=ALLOW)
#: Wagtail admin for everyone with admin access (representatives and staff).
ADMIN = expect(REFUSE, reps=ALLOW, staff=ALLOW)
#: Wagtail core admin helpers (choosers, autocomplete, API): answer not ours, must not leak.
ADMIN_EITHER = expect(REFUSE, reps=EITHER, staff=EITHER)
#: Ours, staff only (organisations, governance, compliance, workflow reports).
STAFF_ONLY = expect(REFUSE, staff=ALLOW)
#: Staff only, but the staff group may lack the Wagtail core permission (users, images, …).
STAFF_ONLY_EITHER = expect(REFUSE, staff=EITHER)


@dataclass
class Case:
    """One filled URL: ``kwargs`` for reverse(), or a literal ``path`` (unnamed patterns, page routes)."""

    label: str
    kwargs: dict = field(default_factory=dict)
    path: str | None = None
    query: str = ""
    #: Overrides of the rule's expectation for this object (owner-dependent outcomes).
    expect: dict = field(default_factory=dict)
    #: A per-object URL of one of our models aimed at Molde's rows: the POST sweep uses it.
    post_target: bool = False
    #: Texts (the object's name) that the roles in ``private_from`` must not find in the body.
    private: tuple = ()
    private_from: tuple = ()


@dataclass
class Rule:
    match: tuple
    expect: dict
    cases: Callable = lambda w: [Case("-")]
    note: str = ""
    #: Never POST here (logout etc.).
    no_post: bool = False
    #: A catch-all kept for views added later; may match nothing today.
    catch_all: bool = False


# -- owner-dependent expectations -------------------------------------------------------------------
def owned(owners, kind="change"):
    """Staff and the owning representatives; delete is staff only. "withdraw" (a membership's delete view)
    is the owners' too while the entry is under 14 days old, as every demo entry is when the sweep runs."""
    out = expect(REFUSE, staff=ALLOW)
    if kind != "delete":
        for role in owners:
            out[role] = ALLOW
    return out


def membership_cases(w, kind="change", with_revision=False, compare=False):
    out = []
    for key, owners in (("m_molde", [MOLDE]), ("m_rauma", [RAUMA]), ("m_union", [UNION]), ("m_ror", [])):
        obj = w.obj[key]
        kw = {"pk": obj.pk}
        if with_revision:
            kw["revision_id"] = w.revisions[key][0]
        if compare:
            kw.update(revision_id_a=str(w.revisions[key][0]), revision_id_b=str(w.revisions[key][1]))
        out.append(Case(key, kw, expect=owned(owners, kind), post_target=key == "m_molde"))
    return out


def person_cases(w, kind="change", with_revision=False, compare=False):
    out = []
    # The owner of a person is the employer only: the union does not own its tillitsvalgte (Rauma does).
    for key, owners in (("p_molde", [MOLDE]), ("p_rauma", [RAUMA]), ("p_tillitsvalgt", [RAUMA]), ("p_ror", [])):
        obj = w.obj[key]
        kw = {"pk": obj.pk}
        if with_revision:
            kw["revision_id"] = w.revisions[key][0]
        if compare:
            kw.update(revision_id_a=str(w.revisions[key][0]), revision_id_b=str(w.revisions[key][1]))
        out.append(Case(key, kw, expect=owned(owners, kind), post_target=key == "p_molde"))
    return out


def chosen_cases(model):
    def cases(w):
        keys = (
            ("m_molde", "m_rauma", "m_union", "m_ror")
            if model == "membership"
            else ("p_molde", "p_rauma", "p_tillitsvalgt", "p_ror")
        )
        owners = {
            "m_molde": [MOLDE],
            "m_rauma": [RAUMA],
            "m_union": [UNION],
            "m_ror": [],
            "p_molde": [MOLDE],
            "p_rauma": [RAUMA],
            "p_tillitsvalgt": [RAUMA],
            "p_ror": [],
        }
        out = []
        for k in keys:
            exp = owned(owners[k], "view")
            if model == "person" and k != "p_ror":
                exp[UNION] = EITHER  # choosable as tillitsvalgt (boundary.choosable_people); not editable
            out.append(Case(k, {"pk": str(w.obj[k].pk)}, expect=exp))
        return out

    return cases


def chosen_multiple_cases(w, model):
    if model == "membership":
        rows = (("m_molde", [MOLDE]), ("m_rauma", [RAUMA]))
    else:
        rows = (("p_molde", [MOLDE]), ("p_tillitsvalgt", [RAUMA]), ("p_ror", []))
    out = []
    for key, owners in rows:
        obj = w.obj[key]
        exp = owned(owners, "view")
        others = [r for r in REPS if r not in owners]
        if model == "person":
            # A union's representatives may *choose* any municipality's employee as tillitsvalgt (admin/boundary.py).
            others = [r for r in others if not (r == UNION and key != "p_ror")]
            if key != "p_ror":
                exp[UNION] = EITHER
        for role in others:
            exp[role] = EITHER
        name = obj.person.name if model == "membership" else obj.name
        out.append(Case(key, query=f"id={obj.pk}", expect=exp, private=(f'"{name}',), private_from=tuple(others)))
    return out


def group_chosen_cases(w):
    """Every published group is any representative's to choose (boundary.choosable_groups); a page that is
    no group (the overview) is nobody's."""
    groups = [Case(k, {"pk": str(w.pages[k].pk)}) for k in ("page_molde", "page_teknisk", "arbeidsgruppe")]
    return [*groups, Case("index", {"pk": str(w.pages["index"].pk)}, expect=expect(REFUSE))]


def sweep_lockout():
    """A login lockout for the unlock view to show (django-axes' AccessAttempt)."""
    from axes.models import AccessAttempt

    attempt, _ = AccessAttempt.objects.get_or_create(
        username="sweep-sperret",
        ip_address="10.9.9.9",
        user_agent="sweep",
        defaults={"failures_since_start": 5, "get_data": "", "post_data": "", "http_accept": "", "path_info": "/"},
    )
    return attempt


def sweep_mapping():
    """A directory-group mapping for the single sign-on admin's per-row views (intranet.oidc)."""
    from intranet.oidc.models import DirectoryGroupMapping

    from faggruppe_pages.models import Organisation

    mapping, _ = DirectoryGroupMapping.objects.get_or_create(
        directory_group_id="sweep-molde-representanter",
        target="representatives",
        organisation=Organisation.objects.get(slug="molde"),
    )
    return mapping


def org_cases(w, **extra):
    return [
        Case(f"org_{slug}", {"pk": w.orgs[slug].pk, **extra}, post_target=slug == "molde")
        for slug in ("molde", "fagforbundet")
    ]


def mandate_cases(w, revision=False, compare=False, task_state=False, action=False):
    out = []
    for key in ("mandate_live", "mandate_draft"):
        kw = {"pk": w.obj[key].pk}
        if revision:
            kw["revision_id"] = w.revisions[key][-1]
        if compare:
            kw.update(revision_id_a=str(w.revisions[key][0]), revision_id_b="latest")
        if action:
            kw["action_name"] = "approve"
        if task_state:
            kw["task_state_id"] = w.mandate_task_state_id
        out.append(Case(key, kw, post_target=True))
    return out


def mandate_reader_cases(w):
    """The reader page of a mandate version: an approved one is open to every employee; a draft is 404 to all."""
    return [
        Case("mandate_live", {"pk": w.obj["mandate_live"].pk}),
        Case("mandate_draft", {"pk": w.obj["mandate_draft"].pk}, expect=expect(REFUSE)),
        Case("unknown", {"pk": 999999}, expect=expect(REFUSE)),
    ]


def body_cases(w, key="pk"):
    return [Case("body_styret", {key: str(w.obj["body"].pk)}, post_target=True)]


# -- pages -------------------------------------------------------------------------------------------
#: page key -> representatives who are its editors (GroupPagePermission add + change through the
#: page's "Redaktører" group). rep-molde sits in Oppvekst og utdanning; nobody's representative in Teknisk.
PAGE_EDITORS = {"page_molde": [MOLDE], "page_teknisk": [], "index": []}


def page_expect(key, editor_outcome, staff_outcome=ALLOW):
    out = expect(REFUSE, staff=staff_outcome)
    for role in PAGE_EDITORS[key]:
        out[role] = editor_outcome
    return out


def page_cases(editor=ALLOW, staff=ALLOW, kw="page_id", revision=None, pages=("page_molde", "page_teknisk"), **extra):
    def cases(w):
        out = []
        for key in pages:
            kwargs = {kw: w.pages[key].pk, **extra}
            if revision == "one":
                kwargs["revision_id"] = w.page_revisions[key][0]
            elif revision == "compare":
                kwargs.update(revision_id_a=str(w.page_revisions[key][0]), revision_id_b=str(w.page_revisions[key][-1]))
            elif revision == "task_state":
                kwargs["task_state_id"] = w.page_task_state_ids.get(key, w.page_task_state_ids["page_teknisk"])
            elif revision == "workflow_state":
                kwargs["workflow_state_id"] = w.page_workflow_state_ids.get(
                    key, w.page_workflow_state_ids["page_teknisk"]
                )
            elif revision == "task":
                kwargs["task_id"] = w.task_id
            out.append(Case(key, kwargs, expect=page_expect(key, editor, staff), post_target=key == "page_molde"))
        return out

    return cases


def explore_cases(w):
    # A representative's explorable root is the page they edit; Wagtail redirects every other explorer
    # address there (a redirect, no data), so non-editors are EITHER; the editor must get their page.
    def exp(key):
        out = expect(REFUSE, reps=EITHER, staff=ALLOW)
        for role in PAGE_EDITORS[key]:
            out[role] = ALLOW
        return out

    return [Case(k, {"parent_page_id": w.pages[k].pk}, expect=exp(k)) for k in ("index", "page_molde", "page_teknisk")]


def add_page_cases(w):
    return [
        Case(
            "arbeidsgruppe_under_molde",
            {
                "content_type_app_name": "faggruppe_pages",
                "content_type_model_name": "arbeidsgruppepage",
                "parent_page_id": w.pages["page_molde"].pk,
            },
            expect=page_expect("page_molde", ALLOW),
        ),
        Case(
            "arbeidsgruppe_under_teknisk",
            {
                "content_type_app_name": "faggruppe_pages",
                "content_type_model_name": "arbeidsgruppepage",
                "parent_page_id": w.pages["page_teknisk"].pk,
            },
            expect=page_expect("page_teknisk", ALLOW),
        ),
        Case(
            "faggruppe_under_index",
            {
                "content_type_app_name": "faggruppe_pages",
                "content_type_model_name": "faggruppepage",
                "parent_page_id": w.pages["index"].pk,
            },
            expect=STAFF_ONLY,
        ),
    ]


#: Wagtail's page bulk actions answer GET with a confirmation page that lists the pages the user may
#: not act on (no data beyond titles); whether a POST changes anything is checked by the POST sweep.
PAGE_BULK = expect(REFUSE, reps=EITHER, staff=EITHER)


def bulk_cases(w):
    m, p = w.obj["m_molde"].pk, w.obj["p_molde"].pk
    page = w.pages["page_molde"].pk
    return [
        Case(
            "membership_delete",
            {"app_label": "faggruppe_pages", "model_name": "membership", "action": "delete"},
            query=f"id={m}&id={w.obj['m_rauma'].pk}",
            expect=STAFF_ONLY,
            post_target=True,
        ),
        Case(
            "person_delete",
            {"app_label": "faggruppe_pages", "model_name": "person", "action": "delete"},
            query=f"id={p}",
            expect=STAFF_ONLY,
            post_target=True,
        ),
        Case(
            "mandate_delete",
            {"app_label": "governance", "model_name": "mandate", "action": "delete"},
            query=f"id={w.obj['mandate_draft'].pk}",
            expect=STAFF_ONLY,
            post_target=True,
        ),
        Case(
            "page_delete",
            {"app_label": "wagtailcore", "model_name": "page", "action": "delete"},
            query=f"id={page}",
            expect=PAGE_BULK,
            post_target=True,
        ),
        Case(
            "page_publish",
            {"app_label": "wagtailcore", "model_name": "page", "action": "publish"},
            query=f"id={page}",
            expect=PAGE_BULK,
            post_target=True,
        ),
        Case(
            "page_unpublish",
            {"app_label": "wagtailcore", "model_name": "page", "action": "unpublish"},
            query=f"id={page}",
            expect=PAGE_BULK,
            post_target=True,
        ),
        Case(
            "page_move",
            {"app_label": "wagtailcore", "model_name": "page", "action": "move"},
            query=f"id={page}",
            expect=PAGE_BULK,
            post_target=True,
        ),
    ]


def our_entries_cases(w):
    molde, union, rauma = w.orgs["molde"].pk, w.orgs["fagforbundet"].pk, w.orgs["rauma"].pk
    return [
        Case("default", expect=ADMIN),
        # POSTed by other representatives: "Alt stemmer" for Molde must stamp nothing.
        Case(
            "org_molde",
            query=f"organisation={molde}",
            expect=expect(REFUSE, rep_molde=ALLOW, staff=ALLOW),
            post_target=True,
        ),
        Case(
            "org_molde_ended",
            query=f"organisation={molde}&ended=1",
            expect=expect(REFUSE, rep_molde=ALLOW, staff=ALLOW),
        ),
        Case("org_rauma", query=f"organisation={rauma}", expect=expect(REFUSE, rep_rauma=ALLOW, staff=ALLOW)),
        Case("org_union", query=f"organisation={union}", expect=expect(REFUSE, rep_fagforbundet=ALLOW, staff=ALLOW)),
    ]


def bulk_org_cases(w):
    """The spreadsheet update's upload form and download (admin/bulk.py): like "Våre oppføringer"."""
    molde, union, rauma = w.orgs["molde"].pk, w.orgs["fagforbundet"].pk, w.orgs["rauma"].pk
    return [
        Case("default", expect=ADMIN),
        # POSTed by other representatives: an upload for Molde must be refused and store nothing.
        Case(
            "org_molde",
            query=f"organisation={molde}",
            expect=expect(REFUSE, rep_molde=ALLOW, staff=ALLOW),
            post_target=True,
        ),
        Case("org_rauma", query=f"organisation={rauma}", expect=expect(REFUSE, rep_rauma=ALLOW, staff=ALLOW)),
        Case("org_union", query=f"organisation={union}", expect=expect(REFUSE, rep_fagforbundet=ALLOW, staff=ALLOW)),
    ]


def bulk_upload_of_molde(w):
    """rep-molde's pending spreadsheet upload: Molde's current entries, and a row naming Rauma's entry by its
    ID (refused, naming nothing of it). Only its uploader may open, confirm or cancel it, not even staff."""
    from django.contrib.auth import get_user_model

    from faggruppe_pages.admin.bulk import pointable
    from faggruppe_pages.models import BulkUpload
    from faggruppe_pages.upkeep import bulk
    from faggruppe_pages.upkeep.bulk_files import COLUMN_BY_FIELD, Table, cell_text, entry_values

    user, molde = get_user_model().objects.get(username=MOLDE), w.orgs["molde"]
    found = BulkUpload.objects.filter(user=user, organisation=molde).first()
    if found:
        return found
    rows = [
        {"row": number, "values": {k: cell_text(v) for k, v in entry_values(m).items()}}
        for number, m in enumerate(bulk.current_entries(molde), start=2)
    ]
    rows.append({"row": len(rows) + 2, "values": {"id": str(w.obj["m_rauma"].pk)}})
    table = Table(rows=rows, present=list(COLUMN_BY_FIELD))
    return bulk.new_upload(user, molde, "sveip.xlsx", table, **pointable(user))[0]


# -- reader routes (RoutablePageMixin) and pages ----------------------------------------------------
def index_route(sub, query=""):
    return lambda w: [Case("index", path=w.pages["index"].url + sub, query=query)]


def group_route(sub):
    return lambda w: [Case(key, path=w.pages[key].url + sub) for key in ("page_molde", "page_teknisk", "arbeidsgruppe")]


def vcard_cases(base):
    def cases(w):
        page = w.pages[base]
        # p_rauma sits in rep-molde's group (Oppvekst og utdanning); p_molde in Teknisk.
        people = ("p_molde", "p_tillitsvalgt") if base == "index" else ("p_rauma",)
        return [Case(f"{base}/{k}", path=f"{page.url}person/{w.obj[k].pk}/vcard/") for k in people]

    return cases


def person_page_cases(w):
    """Every reader sees the page of anyone on a published group's member list (faggruppe_pages/reader/views.py);
    an id that is no such person is 404 for everyone."""
    base = w.pages["index"].url + "personer/"
    return [Case(k, path=f"{base}{w.obj[k].pk}/") for k in ("p_molde", "p_rauma", "p_tillitsvalgt")] + [
        Case("nobody", path=f"{base}99999999/", expect=expect(REFUSE)),
    ]


def serve_cases(w):
    return [Case(k, path=w.pages[k].url) for k in ("index", "page_molde", "page_teknisk", "arbeidsgruppe")] + [
        Case("root", path=w.pages["root"].url, expect=expect(REFUSE, users=EITHER)),
        Case("missing", path="/faggrupper/finnes-ikke/", expect=expect(REFUSE, users=EITHER)),
    ]


# -- governance: the group's work (governance/permissions.py; rights decided in issue 14) ---------------------------
WORK_MODELS = ("meeting", "measure", "benefit", "proposal")
#: The level each action needs: "member" of the row's group, "officer" (leder, nestleder, sekretaer), "leader", staff.
WORK_LEVEL = {
    "meeting": {
        "view": "member",
        "change": "officer",
        "send_notice": "officer",
        "send_minutes": "officer",
        "approve_minutes": "leader",
        "publish_minutes": "leader",
    },
    "measure": {"view": "member", "change": "member", "publish": "leader"},
    "benefit": {"view": "member", "change": "member", "approve": "leader"},
    "proposal": {"view": "member", "change": "member", "send": "leader", "record_decision": "staff"},
}
#: Listings and add views: everybody with admin access reaches them (a non-member sees an empty list, and
#: the add form offers no group); Wagtail refuses those without any right by redirecting to the dashboard.
WORK_LISTS = expect(REFUSE, reps=EITHER, staff=ALLOW)


def work_levels(username, page_pk):
    """The levels a demo user holds in a group, from their memberships (independently of the code under test)."""
    from faggruppe_pages.models import Membership

    roles = set(
        Membership.objects.active_on()
        .filter(person__user__username=username, group_id=page_pk, person__user__is_active=True)
        .values_list("role", flat=True)
    )
    levels = {"member"} if roles else set()
    if roles & {"leder", "nestleder", "sekretaer"}:
        levels.add("officer")
    if "leder" in roles:
        levels.add("leader")
    return levels


def work_rows(w):
    """A meeting, measure, benefit and proposal (drafts, with two revisions each) in rep-molde's group and in
    Teknisk; made once per test (every test is rolled back)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from governance.models import Benefit, Measure, Meeting, Proposal

    staff = get_user_model().objects.get(username=STAFF)
    rows = {}
    for key in ("page_molde", "page_teknisk"):
        page = w.pages[key].pk
        meeting = Meeting.objects.filter(group_id=page, place="SVEIP-MOTE").first() or Meeting.objects.create(
            group_id=page, place="SVEIP-MOTE", starts_at=timezone.now() - timezone.timedelta(days=1)
        )
        measure = Measure.objects.get_or_create(group_id=page, title="SVEIP-TILTAK")[0]
        benefit = Benefit.objects.get_or_create(measure=measure, description="SVEIP-GEVINST")[0]
        proposal = Proposal.objects.get_or_create(group_id=page, title="SVEIP-FORSLAG", defaults={"text": "x"})[0]
        for model, obj in (("meeting", meeting), ("measure", measure), ("benefit", benefit), ("proposal", proposal)):
            while obj.revisions.count() < 2:
                obj.save_revision(user=staff)
            rows[(key, model)] = obj
    return rows


def work_action(view):
    if view in ("edit", "revisions_revert"):
        return "change"
    if view == "delete":
        return "delete"
    if view in ("inspect", "history", "history_results", "usage", "revisions_compare"):
        return "view"
    return view


WORK_VIEWS = (
    "edit",
    "delete",
    "usage",
    "history",
    "history_results",
    "inspect",
    "revisions_revert",
    "revisions_compare",
)
WORK_TRANSITIONS = {
    "meeting": ("send_notice", "send_minutes", "approve_minutes", "publish_minutes"),
    "measure": ("publish",),
    "benefit": ("approve",),
    "proposal": ("send", "record_decision"),
}


def work_cases(model, view):
    """The rows of ``model`` in rep-molde's group and in Teknisk, with each role's outcome for ``view`` from
    WORK_LEVEL and the role's memberships; delete is staff's (the rows are drafts)."""

    def cases(w):
        need = WORK_LEVEL[model].get(work_action(view), "staff")
        out = []
        for (key, m), obj in work_rows(w).items():
            if m != model:
                continue
            revisions = list(obj.revisions.order_by("pk").values_list("pk", flat=True))
            kwargs = {"pk": obj.pk, "revision_id": revisions[0]}
            if view == "revisions_compare":
                kwargs.update(revision_id_a=str(revisions[0]), revision_id_b=str(revisions[-1]))
            exp = expect(REFUSE, staff=ALLOW)
            for role in REPS:
                if need != "staff" and need in work_levels(role, w.pages[key].pk):
                    exp[role] = ALLOW
            out.append(Case(f"{key}/{model}", kwargs, expect=exp, post_target=key == "page_molde"))
        return out

    return cases


def work_rules():
    return [
        Rule((f"gruppearbeid_{model}:{view}",), ADMIN, cases=work_cases(model, view))
        for model in WORK_MODELS
        for view in (*WORK_VIEWS, *WORK_TRANSITIONS[model])
    ]


def work_chosen(model):
    def cases(w):
        rows = work_rows(w)
        return [Case(f"{k}/{m}", {"pk": str(obj.pk)}) for (k, m), obj in rows.items() if m == model]

    return cases


# -- governance: meetings and calendars for readers (governance/reader/meetings.py, calendar.py) -------------------
#: A key of the right form that no token has: the feeds answer 404 to everyone (anonymous too, not the login).
UNKNOWN_CALENDAR_KEY = "sveip-ukjent-nokkel-0123456789abcdefghijk"
#: The feeds need no login: the key is the credential. Everyone holding a valid key gets the feed.
KEY_HOLDERS = expect(ALLOW)
#: An unknown key: 404 to every role; anonymous gets the 404 too, not the login page (a calendar client
#: cannot log in), which the sweep's REFUSE for anonymous (a login redirect) does not describe.
UNKNOWN_KEY = expect(REFUSE, anonymous=EITHER)


def reader_meetings(w):
    """Meetings of Teknisk made for the sweep (once per test; every test is rolled back): one with its notice
    sent and published minutes, one with the notice sent and minutes in draft, one whose notice is unsent."""
    from django.utils import timezone

    from governance.models import AgendaItem, Meeting, MinutesStatus

    page = w.pages["page_teknisk"].pk
    start = timezone.now() - timezone.timedelta(days=30)
    out = {}
    for key, sent, status in (
        ("published", True, MinutesStatus.PUBLISHED),
        ("draft", True, MinutesStatus.DRAFT),
        ("unsent", False, MinutesStatus.DRAFT),
    ):
        place = f"SVEIP-LESERMOTE-{key}"
        meeting = Meeting.objects.filter(group_id=page, place=place).first()
        if meeting is None:
            meeting = Meeting.objects.create(
                group_id=page,
                place=place,
                starts_at=start,
                notice_sent_at=start if sent else None,
                minutes_status=status,
            )
            AgendaItem.objects.create(meeting=meeting, title="Sveipesak", decision="Vedtatt")
        out[key] = meeting
    return out


def meeting_cases(minutes=False):
    """Readers get a meeting whose notice is sent (its minutes PDF only once published); nobody gets the others."""

    def cases(w):
        found = reader_meetings(w)
        return [
            Case("unsent", {"pk": found["unsent"].pk}, expect=expect(REFUSE)),
            Case("unknown", {"pk": 999999}, expect=expect(REFUSE)),
            Case("published", {"pk": found["published"].pk}),
            Case("draft", {"pk": found["draft"].pk}, expect=expect(REFUSE) if minutes else {}),
        ]

    return cases


def archive_cases(with_year=False):
    def cases(w):
        extra = {"year": timezone_year()} if with_year else {}
        out = [Case(k, {"group": w.pages[k].pk, **extra}) for k in ("page_molde", "page_teknisk", "arbeidsgruppe")]
        out.append(Case("not_a_group", {"group": w.pages["index"].pk, **extra}, expect=expect(REFUSE)))
        if with_year:
            out.append(Case("year_1800", {"group": w.pages["page_teknisk"].pk, "year": 1800}, expect=expect(REFUSE)))
        return out

    return cases


def timezone_year():
    from django.utils import timezone

    return timezone.localdate().year


def calendar_key(w):
    from django.contrib.auth import get_user_model

    from governance.models import CalendarToken

    return CalendarToken.for_user(get_user_model().objects.get(username=LESER)).key


def calendar_cases(group=False):
    def cases(w):
        reader_meetings(w)
        extra = {"group": w.pages["page_teknisk"].pk} if group else {}
        out = [
            Case("leser_key", {"key": calendar_key(w), **extra}, expect=KEY_HOLDERS),
            Case("unknown_key", {"key": UNKNOWN_CALENDAR_KEY, **extra}, expect=UNKNOWN_KEY),
        ]
        if group:
            out.append(Case("not_a_group", {"key": calendar_key(w), "group": w.pages["index"].pk}, expect=UNKNOWN_KEY))
        return out

    return cases


# -- governance: measures, benefits, proposals and the yearly report for readers (reader/work.py, yearly_report.py) ---
#: Titles no reader may ever see (drafts); the sweep scans the lists for them.
DRAFT_MEASURE_TITLE, DRAFT_PROPOSAL_TITLE = "SVEIP-UPUBLISERT-TILTAK", "SVEIP-FORSLAGSUTKAST"


def reader_work(w):
    """Teknisk's published and unpublished measure (each with an approved benefit), a sent and a draft proposal, each
    with an attachment (its file written again in every test's own MEDIA_ROOT). Made once per test, rolled back."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from governance.models import Benefit, GoverningBody, Measure, Proposal, ProposalAttachment, ProposalStatus

    page = w.pages["page_teknisk"].pk
    now = timezone.now()
    out = {}
    for key, title, published in (("measure", "SVEIP-LESERTILTAK", now), ("measure_draft", DRAFT_MEASURE_TITLE, None)):
        measure, _ = Measure.objects.get_or_create(group_id=page, title=title, defaults={"published_at": published})
        Benefit.objects.get_or_create(
            measure=measure,
            description=f"{title}-GEVINST",
            defaults={"approved_at": now, "baseline_value": 10, "baseline_date": now.date(), "target_value": 5},
        )
        out[key] = measure
    body = GoverningBody.objects.order_by("pk").first()
    for key, title, status in (
        ("proposal", "SVEIP-LESERFORSLAG", ProposalStatus.SENT),
        ("proposal_draft", DRAFT_PROPOSAL_TITLE, ProposalStatus.DRAFT),
    ):
        proposal, _ = Proposal.objects.get_or_create(
            group_id=page,
            title=title,
            defaults={"text": "x", "status": status, "to_body": body if status != ProposalStatus.DRAFT else None},
        )
        attachment = proposal.attachments.first() or ProposalAttachment.objects.create(
            proposal=proposal, title=f"{title}-VEDLEGG", file=f"forslag/sveip-{key}.pdf"
        )
        if not attachment.file.storage.exists(attachment.file.name):
            attachment.file.storage.save(attachment.file.name, ContentFile(b"%PDF-1.4 sveip"))
        out[key], out[f"{key}_attachment"] = proposal, attachment
    return out


def measure_cases(w):
    found = reader_work(w)
    return [
        Case("published", {"pk": found["measure"].pk}),
        Case("unpublished", {"pk": found["measure_draft"].pk}, expect=expect(REFUSE)),
        Case("unknown", {"pk": 999999}, expect=expect(REFUSE)),
    ]


def proposal_cases(w):
    found = reader_work(w)
    return [
        Case("sent", {"pk": found["proposal"].pk}),
        Case("draft", {"pk": found["proposal_draft"].pk}, expect=expect(REFUSE)),
        Case("unknown", {"pk": 999999}, expect=expect(REFUSE)),
    ]


def attachment_cases(w):
    found = reader_work(w)
    sent, draft = found["proposal"], found["proposal_draft"]
    return [
        Case("sent", {"pk": sent.pk, "attachment": found["proposal_attachment"].pk}),
        Case("draft", {"pk": draft.pk, "attachment": found["proposal_draft_attachment"].pk}, expect=expect(REFUSE)),
        Case(
            "draft_through_sent",
            {"pk": sent.pk, "attachment": found["proposal_draft_attachment"].pk},
            expect=expect(REFUSE),
        ),
    ]


def work_list_cases(query=""):
    def cases(w):
        reader_work(w)
        secret = (DRAFT_MEASURE_TITLE, DRAFT_PROPOSAL_TITLE)
        return [Case("-", query=query, private=secret, private_from=tuple(ROLES))]

    return cases


def group_cases(w):
    reader_work(w)
    out = [Case(k, {"group": w.pages[k].pk}) for k in ("page_molde", "page_teknisk", "arbeidsgruppe")]
    out.append(Case("not_a_group", {"group": w.pages["index"].pk}, expect=expect(REFUSE)))
    return out


def yearly_cases(group=False):
    def cases(w):
        reader_work(w)
        year = timezone_year()
        extra = {"group": w.pages["page_teknisk"].pk} if group else {}
        out = [
            Case(
                "this_year",
                {"year": year, **extra},
                private=(DRAFT_MEASURE_TITLE, DRAFT_PROPOSAL_TITLE),
                private_from=tuple(ROLES),
            ),
            Case("last_year", {"year": year - 1, **extra}),
            Case("1999", {"year": 1999, **extra}, expect=expect(REFUSE)),
        ]
        if group:
            out.append(Case("not_a_group", {"year": year, "group": w.pages["index"].pk}, expect=expect(REFUSE)))
        return out

    return cases


U = "wagtailsnippets_faggruppe_pages_"
C = "wagtailsnippetchoosers_faggruppe_pages_"
G = "faggruppe_pages_group_chooser:"
MANDATE = "wagtailsnippets_governance_mandate:"

RULES = [
    # -- explicitly excluded (no resolver pattern here for static/media: DEBUG is off in tests) -------------
    # -- public ---------------------------------------------------------------------------------------------
    Rule(("login",), expect(ALLOW), note="login page"),
    Rule(("wagtailcore_login",), expect(ALLOW), note="Wagtail's frontend login redirect"),
    Rule(
        ("wagtailadmin_login",),
        expect(REFUSE, users=ALLOW),
        note="one login page: a GET goes to /logg-inn/ (keeping next), logged in on to the admin",
    ),
    # Single sign-on (issue 17): off in the sweep, so both send everyone to the login page with a message; they
    # are tested against a real OpenID Connect provider in tests/sso/.
    Rule(
        ("oidc_authentication_init", "oidc_authentication_callback"),
        expect(EITHER),
        note="single sign-on start and callback: open before login (GET only); refusals go to /logg-inn/",
    ),
    # The accessibility statement is published openly (issue 15): no login.
    Rule(("accessibility_statement",), PUBLIC, note="the accessibility statement, open without login"),
    Rule(("health",), PUBLIC, note="the load balancer's health check: open, says only ok (issue 16)"),
    Rule(
        ("wagtailadmin_password_reset", "wagtailadmin_password_reset_done", "wagtailadmin_password_reset_complete"),
        expect(EITHER),
    ),
    Rule(
        ("wagtailadmin_password_reset_confirm",),
        expect(EITHER),
        cases=lambda w: [Case("bad-token", {"uidb64": "MQ", "token": "bad-token"})],
    ),
    Rule(
        ("logout",),
        expect(EITHER, users=ALLOW),
        no_post=True,
        note="GET asks to confirm; anonymous to the login page without next (not back to logging out); never POSTed",
    ),
    Rule(("wagtailadmin_logout",), expect(EITHER), no_post=True, note="GET is 405; never POSTed"),
    Rule(("set_language",), expect(EITHER, users=ALLOW), note="language switcher also on the login page"),
    Rule(
        ("wagtailadmin_javascript_catalog", "wagtailadmin_sprite"),
        expect(EITHER),
        note="static-like admin assets",
    ),
    Rule(
        ("wagtailcore_authenticate_with_password",),
        expect(EITHER),
        cases=lambda w: [Case("none", {"page_view_restriction_id": 999999, "page_id": w.pages["index"].pk})],
        note="no page view restrictions exist: 404 / login",
    ),
    Rule(
        ("wagtaildocs_authenticate_with_password",),
        expect(EITHER),
        cases=lambda w: [Case("none", {"restriction_id": 999999})],
    ),
    # -- reader site -------------------------------------------------------------------------------------
    Rule(("home",), READERS),
    Rule(("wagtail_serve",), READERS, cases=serve_cases),
    Rule(
        ("page:RoutablePageMixin:index_route", "page:FaggruppeIndexPage:index_route", "page:GroupPage:index_route"),
        READERS,
        cases=serve_cases,
        note="a routable page's own address (same URLs as wagtail_serve); ours dispatch to reader/pages.py",
    ),
    Rule(
        ("page:FaggruppeIndexPage:member_overview",),
        READERS,
        cases=lambda w: (
            index_route("medlemsoversikt/")(w)
            + index_route("medlemsoversikt/", "organisasjon=molde")(w)
            # Paged from many groups on (?side=<n>); a page that does not exist is the first or the last, never a 500.
            + index_route("medlemsoversikt/", "side=2")(w)
            + index_route("medlemsoversikt/", "organisasjon=molde&side=abc")(w)
            + index_route("medlemsoversikt/", "side=999999999999")(w)
        ),
    ),
    Rule(
        ("page:FaggruppeIndexPage:member_overview_export",),
        READERS,
        cases=lambda w: [
            Case(f"index/{fmt}", path=w.pages["index"].url + f"medlemsoversikt/{fmt}/")
            for fmt in ("csv", "xlsx", "pdf")
        ],
    ),
    Rule(("page:FaggruppeIndexPage:representation_index",), READERS, cases=index_route("representert/")),
    Rule(
        ("page:FaggruppeIndexPage:representation",),
        READERS,
        cases=lambda w: [
            Case(s, path=w.pages["index"].url + f"representert/{s}/")
            for s in ("molde", "rauma", "fagforbundet", "ror-ikt")
        ],
    ),
    Rule(("page:FaggruppeIndexPage:my_groups",), READERS, cases=index_route("mine-grupper/")),
    Rule(("page:FaggruppeIndexPage:person_vcard",), READERS, cases=vcard_cases("index")),
    Rule(("page:FaggruppeIndexPage:person_page",), READERS, cases=person_page_cases),
    Rule(
        ("page:*Page:member_export",),
        READERS,
        cases=lambda w: [
            Case(f"{k}/{fmt}", path=w.pages[k].url + f"medlemmer/{fmt}/")
            for k in ("page_molde", "page_teknisk")
            for fmt in ("csv", "xlsx", "pdf")
        ],
    ),
    Rule(("page:*Page:group_vcard",), READERS, cases=group_route("vcard/")),
    Rule(("page:*Page:person_vcard",), READERS, cases=vcard_cases("page_molde")),
    # -- governance: meetings and calendars for readers --------------------------------------------------------
    Rule(
        ("governance_meeting", "governance_meeting_notice_pdf", "governance_meeting_ics"),
        READERS,
        cases=meeting_cases(),
        note="meetings with the notice sent, in a published group; others are 404",
    ),
    Rule(("governance_meeting_minutes_pdf",), READERS, cases=meeting_cases(minutes=True)),
    Rule(("governance_meeting_archive",), READERS, cases=archive_cases()),
    Rule(("governance_meeting_archive_year",), READERS, cases=archive_cases(with_year=True)),
    Rule(
        ("governance_calendar_personal",),
        KEY_HOLDERS,
        cases=calendar_cases(),
        note="no login (a calendar client cannot log in): the secret key is the credential; unknown key 404",
    ),
    Rule(("governance_calendar_group",), KEY_HOLDERS, cases=calendar_cases(group=True)),
    Rule(
        ("governance_calendar_renew",),
        READERS,
        note="POST renews the user's own key (CSRF-protected); GET changes nothing and leads to Mine grupper",
    ),
    # -- governance: measures, benefits, proposals and the yearly report for readers -------------------------------
    Rule(
        ("governance_measures",),
        READERS,
        cases=lambda w: work_list_cases()(w) + work_list_cases("status=delayed")(w),
        note="published measures only; drafts never listed",
    ),
    Rule(("governance_group_measures",), READERS, cases=group_cases),
    Rule(("governance_measure",), READERS, cases=measure_cases, note="unpublished measures are 404 to everyone"),
    Rule(("governance_proposals",), READERS, cases=work_list_cases(), note="sent proposals only; drafts never listed"),
    Rule(("governance_proposal",), READERS, cases=proposal_cases),
    Rule(("governance_mandate",), READERS, cases=mandate_reader_cases, note="approved versions only; drafts are 404"),
    Rule(
        ("governance_proposal_attachment",),
        READERS,
        cases=attachment_cases,
        note="only an attachment of the proposal in the address, and only when readers see the proposal",
    ),
    Rule(("governance_yearly_reports",), READERS, cases=work_list_cases()),
    # -- search (faggruppe_pages/reader/search.py, governance/reader/search.py) --------------------------------------
    Rule(
        ("faggruppe_pages_search",),
        READERS,
        cases=lambda w: work_list_cases("q=sveip")(w) + [Case("empty")],
        note="finds only what readers may read: the unpublished measure and the draft proposal never",
    ),
    Rule(("faggruppe_pages_search_redirect",), READERS, note="/search/ redirects to /sok/ with the query string"),
    Rule(("governance_yearly_report", "governance_yearly_report_pdf"), READERS, cases=yearly_cases()),
    Rule(
        ("governance_group_yearly_report", "governance_group_yearly_report_pdf"),
        READERS,
        cases=yearly_cases(group=True),
    ),
    Rule(
        ("wagtaildocs_serve",),
        expect(REFUSE, users=EITHER),
        cases=lambda w: [Case("none", path="/documents/1/x.pdf")],
        note="no documents in the demo",
    ),
    # -- our admin: memberships ---------------------------------------------------------------------------
    Rule(
        (U + "membership:list", U + "membership:list_results"),
        ADMIN,
        cases=lambda w: [
            Case("-"),
            Case("csv", query="export=csv"),
            Case("xlsx", query="export=xlsx"),
            Case("search", query="q=PRIVAT"),
        ],
    ),
    Rule(
        (U + "membership:add",),
        ADMIN,
        cases=lambda w: [
            Case("-"),
            Case("prefill_rauma", query=f"represents={w.orgs['rauma'].pk}&person={w.obj['p_rauma'].pk}"),
        ],
    ),
    Rule(
        (
            U + "membership:edit",
            U + "membership:usage",
            U + "membership:history",
            U + "membership:history_results",
            U + "membership:inspect",
        ),
        ADMIN,
        cases=lambda w: membership_cases(w),
    ),
    Rule((U + "membership:delete",), ADMIN, cases=lambda w: membership_cases(w, "withdraw")),
    Rule(("faggruppe_pages_withdrawn_memberships",), STAFF_ONLY),
    Rule(
        ("faggruppe_pages_restore_membership",),
        expect(REFUSE, staff=EITHER),
        cases=lambda w: [Case("m_molde", {"pk": w.obj["m_molde"].pk}, post_target=True)],
        note="POST only (GET is 405); restoring is staff's",
    ),
    Rule((U + "membership:revisions_revert",), ADMIN, cases=lambda w: membership_cases(w, with_revision=True)),
    Rule((U + "membership:revisions_compare",), ADMIN, cases=lambda w: membership_cases(w, compare=True)),
    Rule((C + "membership:chosen",), ADMIN, cases=chosen_cases("membership")),
    Rule((C + "person:chosen",), ADMIN, cases=chosen_cases("person")),
    Rule(
        (C + "membership:choose", C + "membership:choose_results", C + "person:choose", C + "person:choose_results"),
        ADMIN,
    ),
    Rule(
        (C + "membership:chosen_multiple",),
        ADMIN,
        cases=lambda w: chosen_multiple_cases(w, "membership"),
        note="non-owners get an empty result (200): EITHER, but the row must not be in it",
    ),
    Rule((C + "person:chosen_multiple",), ADMIN, cases=lambda w: chosen_multiple_cases(w, "person")),
    # -- the membership form's group chooser (admin/choosers.py): any group the user may choose ---------------
    Rule(
        (G + "choose", G + "choose_results"),
        ADMIN,
        cases=lambda w: [Case("-"), Case("search", query="q=teknisk"), Case("closed", query="include_closed=on")],
    ),
    Rule((G + "chosen",), ADMIN, cases=group_chosen_cases),
    Rule(
        (G + "chosen_multiple",),
        ADMIN,
        cases=lambda w: [Case("groups", query=f"id={w.pages['page_molde'].pk}&id={w.pages['arbeidsgruppe'].pk}")],
    ),
    Rule((G + "create",), expect(REFUSE), note="the group chooser has no create step: 404 for staff too"),
    Rule(
        (C + "membership:create", C + "person:create"),
        ADMIN_EITHER,
        note="chooser creation form (Wagtail core view, unguarded): must not leak; POSTed in the sweep",
    ),
    # -- our admin: people -------------------------------------------------------------------------------
    Rule(
        (U + "person:list", U + "person:list_results"),
        ADMIN,
        cases=lambda w: [
            Case("-"),
            Case("csv", query="export=csv"),
            Case("xlsx", query="export=xlsx"),
            Case("search", query="q=98"),
        ],
    ),
    Rule((U + "person:add",), ADMIN),
    Rule(
        (
            U + "person:edit",
            U + "person:usage",
            U + "person:history",
            U + "person:history_results",
            U + "person:inspect",
        ),
        ADMIN,
        cases=lambda w: person_cases(w),
    ),
    Rule((U + "person:delete",), ADMIN, cases=lambda w: person_cases(w, "delete")),
    Rule((U + "person:revisions_revert",), ADMIN, cases=lambda w: person_cases(w, with_revision=True)),
    Rule((U + "person:revisions_compare",), ADMIN, cases=lambda w: person_cases(w, compare=True)),
    # -- our admin: organisations (staff) -----------------------------------------------------------------
    Rule(
        (
            U + "organisation:list",
            U + "organisation:list_results",
            U + "organisation:add",
            "wagtailsnippetchoosers_faggruppe_pages_organisation:choose",
            "wagtailsnippetchoosers_faggruppe_pages_organisation:choose_results",
        ),
        STAFF_ONLY,
    ),
    Rule(
        ("wagtailsnippetchoosers_faggruppe_pages_organisation:create",),
        STAFF_ONLY_EITHER,
        note="the chooser has no create tab: 404 for staff too",
    ),
    Rule(
        ("wagtailsnippetchoosers_faggruppe_pages_organisation:chosen_multiple",),
        STAFF_ONLY,
        cases=lambda w: [Case("molde", query=f"id={w.orgs['molde'].pk}")],
    ),
    Rule(
        ("wagtailsnippetchoosers_faggruppe_pages_organisation:chosen",),
        STAFF_ONLY,
        cases=lambda w: [Case("molde", {"pk": str(w.orgs["molde"].pk)})],
    ),
    Rule((U + "organisation:*",), STAFF_ONLY, cases=org_cases),
    # -- "Våre oppføringer" -------------------------------------------------------------------------------
    Rule(("faggruppe_pages_our_entries",), ADMIN, cases=our_entries_cases),
    Rule(("faggruppe_pages_bulk_upload", "faggruppe_pages_bulk_download"), ADMIN, cases=bulk_org_cases),
    Rule(
        ("faggruppe_pages_bulk_review",),
        expect(REFUSE, rep_molde=ALLOW),
        cases=lambda w: [Case("upload_molde", {"pk": bulk_upload_of_molde(w).pk})],
        note="an upload is its uploader's alone: anyone else, staff too, gets a 404",
    ),
    Rule(
        ("faggruppe_pages_bulk_confirm", "faggruppe_pages_bulk_cancel"),
        expect(REFUSE, rep_molde=EITHER),
        cases=lambda w: [Case("upload_molde", {"pk": bulk_upload_of_molde(w).pk}, post_target=True)],
        note="POST only (GET is 405 for the uploader); anyone else gets a 404 and changes nothing",
    ),
    # -- governance: mandates (snippet), governing bodies (ModelViewSet), compliance -------------------------
    Rule((MANDATE + "list", MANDATE + "list_results", MANDATE + "add"), STAFF_ONLY),
    Rule((MANDATE + "revisions_revert",), STAFF_ONLY, cases=lambda w: mandate_cases(w, revision=True)),
    Rule(
        (MANDATE + "revisions_unschedule",),
        STAFF_ONLY_EITHER,
        cases=lambda w: mandate_cases(w, revision=True),
        note="no scheduled revision: staff may get 404",
    ),
    Rule((MANDATE + "revisions_compare",), STAFF_ONLY, cases=lambda w: mandate_cases(w, compare=True)),
    Rule(
        (MANDATE + "workflow_action", MANDATE + "collect_workflow_action_data"),
        STAFF_ONLY_EITHER,
        cases=lambda w: mandate_cases(w, task_state=True, action=True),
    ),
    Rule(
        (MANDATE + "workflow_history_detail",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [
            Case(k, {"pk": w.obj[k].pk, "workflow_state_id": w.mandate_workflow_state_id}, post_target=True)
            for k in ("mandate_live", "mandate_draft")
        ],
    ),
    Rule(
        (MANDATE + "lock", MANDATE + "unlock", MANDATE + "confirm_workflow_cancellation"),
        STAFF_ONLY_EITHER,
        cases=lambda w: mandate_cases(w),
        note="POST-only or state-dependent for staff",
    ),
    Rule((MANDATE + "*",), STAFF_ONLY, cases=lambda w: mandate_cases(w)),
    Rule(
        ("wagtailsnippetchoosers_governance_mandate:chosen",),
        STAFF_ONLY,
        cases=lambda w: [Case(k, {"pk": str(w.obj[k].pk)}) for k in ("mandate_live", "mandate_draft")],
    ),
    Rule(
        ("wagtailsnippetchoosers_governance_mandate:chosen_multiple",),
        STAFF_ONLY,
        cases=lambda w: [Case("draft", query=f"id={w.obj['mandate_draft'].pk}")],
    ),
    Rule(("wagtailsnippetchoosers_governance_mandate:*",), STAFF_ONLY),
    # -- governance: the group's work (gruppearbeid_*: meetings, measures, benefits, proposals) ----------------
    Rule(tuple(f"gruppearbeid_{m}:{v}" for m in WORK_MODELS for v in ("list", "list_results", "add")), WORK_LISTS),
    *work_rules(),
    *(Rule((f"wagtailsnippetchoosers_governance_{m}:chosen",), STAFF_ONLY, cases=work_chosen(m)) for m in WORK_MODELS),
    Rule(
        tuple(f"wagtailsnippetchoosers_governance_{m}:create" for m in WORK_MODELS),
        expect(REFUSE),
        note="the choosers have no create step: 404 for staff too",
    ),
    Rule(
        tuple(f"wagtailsnippetchoosers_governance_{m}:*" for m in WORK_MODELS),
        STAFF_ONLY,
        note="the group work's choosers are unused by its forms (selects): staff only by name (governance access)",
    ),
    Rule(
        ("governance_governingbody:index", "governance_governingbody:index_results", "governance_governingbody:add"),
        STAFF_ONLY,
    ),
    Rule(("governance_governingbody:*",), STAFF_ONLY, cases=body_cases),
    Rule(
        ("governance_compliance_report", "governance_compliance_report_results"),
        STAFF_ONLY,
        cases=lambda w: [Case("-"), Case("csv", query="export=csv")],
    ),
    # -- The host site: login lockouts (intranet.login_throttle), staff only -----------------------------------
    Rule(("innloggingssperrer:index", "innloggingssperrer:index_results"), STAFF_ONLY),
    Rule(("innloggingssperrer:delete",), STAFF_ONLY, cases=lambda w: [Case("lockout", {"pk": sweep_lockout().pk})]),
    # -- The host site: single sign-on's directory groups (intranet.oidc), staff only: they grant rights ---------
    Rule(("kataloggrupper:index", "kataloggrupper:index_results", "kataloggrupper:add"), STAFF_ONLY),
    Rule(
        (
            "kataloggrupper:edit",
            "kataloggrupper:delete",
            "kataloggrupper:history",
            "kataloggrupper:history_results",
            "kataloggrupper:usage",
        ),
        STAFF_ONLY,
        cases=lambda w: [Case("mapping", {"pk": sweep_mapping().pk})],
    ),
    # -- Wagtail: dashboard, account, snippets index ----------------------------------------------------------
    Rule(("wagtailadmin_home", "wagtailadmin_account"), ADMIN),
    Rule(("wagtailsnippets:index",), ADMIN_EITHER),
    Rule(("wagtailadmin_error_test",), STAFF_ONLY_EITHER, note="failwhale: never for representatives"),
    Rule(("route:admin/test404/",), ADMIN_EITHER, cases=lambda w: [Case("-", path="/admin/test404/")]),
    Rule(
        ("route:admin/^.*/$",),
        ADMIN_EITHER,
        cases=lambda w: [Case("unknown", path="/admin/finnes-ikke/")],
        note="admin catch-all 404",
    ),
    # -- Wagtail: reports --------------------------------------------------------------------------------------
    Rule(("wagtailadmin_reports:workflow*",), STAFF_ONLY, note="workflow reports: staff only"),
    Rule(
        ("wagtailadmin_reports:site_history", "wagtailadmin_reports:site_history_results"),
        ADMIN_EITHER,
        note="reps may only see their own rows' entries (markers)",
    ),
    Rule(
        (
            "wagtailadmin_reports:locked_pages*",
            "wagtailadmin_reports:aging_pages*",
            "wagtailadmin_reports:page_types_usage*",
        ),
        ADMIN_EITHER,
    ),
    Rule(("wagtailadmin_reports:*",), STAFF_ONLY_EITHER, catch_all=True, note="any report added later: staff only"),
    # -- Wagtail: pages ------------------------------------------------------------------------------------------
    Rule(
        ("wagtailadmin_explore_root",),
        expect(REFUSE, rep_molde=ALLOW, rep_rauma=ALLOW, rep_fagforbundet=EITHER, staff=ALLOW),
        note="rep-fagforbundet edits no page",
    ),
    Rule(("wagtailadmin_explore", "wagtailadmin_explore_results"), ADMIN_EITHER, cases=explore_cases),
    Rule(("wagtailadmin_pages:add",), ADMIN, cases=add_page_cases),
    Rule(
        ("wagtailadmin_pages:preview_on_add",),
        ADMIN_EITHER,
        cases=lambda w: [
            Case(c.label, c.kwargs, expect={k: (EITHER if v == ALLOW else v) for k, v in c.expect.items()})
            for c in add_page_cases(w)
        ],
    ),
    Rule(
        (
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:view_draft",
            "wagtailadmin_pages:history",
            "wagtailadmin_pages:history_results",
        ),
        ADMIN,
        cases=page_cases(),
    ),
    Rule(
        ("wagtailadmin_pages:revisions_index",),
        ADMIN_EITHER,
        cases=lambda w: [Case(k, {"page_id": w.pages[k].pk}) for k in ("page_molde", "page_teknisk")],
        note="Wagtail redirects it to the history view, which is checked itself",
    ),
    Rule(("wagtailadmin_pages:add_subpage",), ADMIN, cases=page_cases(kw="parent_page_id")),
    Rule(
        ("wagtailadmin_pages:usage", "wagtailadmin_pages:workflow_history", "wagtailadmin_pages:preview_on_edit"),
        ADMIN,
        cases=page_cases(editor=EITHER, staff=EITHER),
    ),
    Rule(
        ("wagtailadmin_pages:revisions_view", "wagtailadmin_pages:revisions_revert"),
        ADMIN,
        cases=page_cases(revision="one"),
    ),
    Rule(
        ("wagtailadmin_pages:revisions_unschedule",),
        ADMIN,
        cases=page_cases(editor=REFUSE, staff=EITHER, revision="one"),
    ),
    Rule(("wagtailadmin_pages:revisions_compare",), ADMIN, cases=page_cases(kw="pk", revision="compare")),
    Rule(
        ("wagtailadmin_pages:workflow_history_detail",),
        ADMIN,
        cases=page_cases(editor=EITHER, staff=EITHER, revision="workflow_state"),
    ),
    Rule(
        ("wagtailadmin_pages:workflow_action", "wagtailadmin_pages:collect_workflow_action_data"),
        ADMIN,
        cases=page_cases(
            editor=REFUSE, staff=EITHER, revision="task_state", action_name="approve", pages=("page_teknisk",)
        ),
        note="Teknisk is in moderation (submitted by the sweep)",
    ),
    Rule(
        ("wagtailadmin_pages:workflow_preview",), ADMIN, cases=page_cases(editor=EITHER, staff=EITHER, revision="task")
    ),
    Rule(
        ("wagtailadmin_pages:confirm_workflow_cancellation",),
        ADMIN_EITHER,
        cases=lambda w: [Case(k, {"page_id": w.pages[k].pk}) for k in ("page_molde", "page_teknisk")],
        note="Wagtail core modal fragment, no permission check of its own: must not leak",
    ),
    Rule(
        ("wagtailadmin_pages:move", "wagtailadmin_pages:set_page_position"),
        ADMIN,
        cases=page_cases(editor=REFUSE, staff=EITHER, kw="page_to_move_id"),
    ),
    Rule(
        ("wagtailadmin_pages:move_confirm",),
        ADMIN,
        cases=page_cases(editor=REFUSE, staff=EITHER, kw="page_to_move_id", destination_id=0),
    ),
    Rule(
        (
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:unpublish",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:set_privacy",
            "wagtailadmin_pages:lock",
            "wagtailadmin_pages:unlock",
            "wagtailadmin_pages:convert_alias",
        ),
        ADMIN,
        cases=page_cases(editor=REFUSE, staff=EITHER),
    ),
    Rule(
        ("wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results"),
        ADMIN_EITHER,
        cases=lambda w: [
            Case(
                "faggruppepage",
                {"content_type_app_name": "faggruppe_pages", "content_type_model_name": "faggruppepage"},
            )
        ],
    ),
    Rule(
        ("wagtailadmin_pages:choose_parent",),
        ADMIN_EITHER,
        cases=lambda w: [
            Case("arbeidsgruppepage", {"app_label": "faggruppe_pages", "model_name": "arbeidsgruppepage"})
        ],
    ),
    Rule(
        ("wagtailadmin_pages:search", "wagtailadmin_pages:search_results"),
        ADMIN_EITHER,
        cases=lambda w: [Case("-"), Case("q", query="q=teknisk")],
    ),
    Rule(("wagtail_bulk_action",), ADMIN, cases=bulk_cases),
    Rule(
        ("fixed_choose_page_external_link",),
        ADMIN_EITHER,
        note="the host site's stand-in for Wagtail's external-link chooser (site/intranet/urls.py)",
    ),
    Rule(
        ("wagtailadmin_choose_page*",),
        ADMIN_EITHER,
        cases=lambda w: [Case(k, {"parent_page_id": w.pages[k].pk}) for k in ("index", "page_teknisk")],
    ),
    Rule(
        ("wagtailadmin_api:pages:detail",),
        ADMIN_EITHER,
        cases=lambda w: [Case(k, {"pk": w.pages[k].pk}) for k in ("page_molde", "page_teknisk")],
    ),
    Rule(
        ("wagtailadmin_api:pages:action",),
        ADMIN_EITHER,
        cases=lambda w: [Case("copy", {"pk": w.pages["page_teknisk"].pk, "action_name": "copy"})],
    ),
    Rule(("wagtailadmin_api:*:detail",), ADMIN_EITHER, cases=lambda w: [Case("1", {"pk": 1})]),
    Rule(("wagtailadmin_api:*",), ADMIN_EITHER),
    Rule(
        ("wagtailadmin_editing_sessions:ping",),
        ADMIN_EITHER,
        cases=lambda w: [
            Case(
                "membership",
                {
                    "app_label": "faggruppe_pages",
                    "model_name": "membership",
                    "object_id": str(w.obj["m_molde"].pk),
                    "session_id": 1,
                },
            )
        ],
    ),
    Rule(("wagtailadmin_editing_sessions:release",), ADMIN_EITHER, cases=lambda w: [Case("1", {"session_id": 1})]),
    Rule(
        ("wagtailadmin_tag_model_autocomplete",),
        ADMIN_EITHER,
        cases=lambda w: [Case("page", {"app_name": "wagtailcore", "model_name": "page"})],
    ),
    Rule(("wagtailadmin_tag_autocomplete", "wagtailadmin_dismissibles", "wagtailadmin_block_preview"), ADMIN_EITHER),
    # -- Wagtail: staff settings and core models --------------------------------------------------------------
    Rule(
        ("wagtailusers_users:*",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [Case(k, {"pk": w.users[k].pk}) for k in ("rep-molde", "leser")],
    ),
    Rule(("wagtailusers_groups:*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("redaksjon", {"pk": w.staff_group.pk})]),
    Rule(
        ("wagtailsettings:edit",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [
            Case("sitesettings", {"app_name": "wagtailcore", "model_name": "site", "pk": w.site.pk}),
            # The accessibility statement (a site setting of ours): staff edit it, nobody else.
            Case(
                "accessibilitystatement",
                {"app_name": "faggruppe_pages", "model_name": "accessibilitystatement", "pk": w.site.pk},
                expect=STAFF_ONLY,
            ),
        ],
    ),
    Rule(
        ("wagtailsettings:*",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [Case("sitesettings", {"app_name": "wagtailcore", "model_name": "site", "pk": w.site.pk})],
    ),
    Rule(("wagtailsites:*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("default", {"pk": w.site.pk})]),
    Rule(
        ("wagtailadmin_collections:set_privacy",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [Case("root", {"collection_id": w.collection.pk})],
    ),
    Rule(("wagtailadmin_collections:*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("root", {"pk": w.collection.pk})]),
    Rule(
        ("wagtailadmin_workflows:remove",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [Case("index", {"page_pk": w.pages["index"].pk, "workflow_pk": w.workflow_id})],
    ),
    Rule(
        ("wagtailadmin_workflows:add_task",),
        STAFF_ONLY_EITHER,
        cases=lambda w: [Case("group", {"app_label": "wagtailcore", "model_name": "groupapprovaltask"})],
    ),
    Rule(
        ("wagtailadmin_workflows:task_chosen",), STAFF_ONLY_EITHER, cases=lambda w: [Case("t", {"task_id": w.task_id})]
    ),
    Rule(("wagtailadmin_workflows:*task*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("t", {"pk": w.task_id})]),
    Rule(("wagtailadmin_workflows:*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("wf", {"pk": w.workflow_id})]),
    Rule(("wagtailredirects:*",), STAFF_ONLY_EITHER, cases=lambda w: [Case("none", {"redirect_id": 999999})]),
    Rule(
        ("wagtailforms:*",),
        ADMIN_EITHER,
        cases=lambda w: [Case("page_molde", {"page_id": w.pages["page_molde"].pk})],
        note="no form pages in this project",
    ),
    # -- Wagtail: documents, images, embeds (no such content in this project) -----------------------------------
    Rule(
        ("wagtaildocs_chooser:*", "wagtailimages_chooser:*", "wagtailembeds:*"),
        ADMIN_EITHER,
        cases=lambda w: [Case("1", {"pk": "1", "image_id": 1})],
    ),
    Rule(
        ("wagtaildocs:*",),
        ADMIN_EITHER,
        cases=lambda w: [Case("1", {"document_id": 1, "doc_id": 1, "uploaded_file_id": 1})],
    ),
    Rule(
        ("wagtailimages:*",),
        ADMIN_EITHER,
        cases=lambda w: [Case("1", {"image_id": 1, "uploaded_file_id": 1, "filter_spec": "original"})],
    ),
]


def find_rule(name, route):
    """The first rule whose glob matches the name (route globs only for patterns without a name)."""
    from fnmatch import fnmatchcase

    for rule in RULES:
        for glob in rule.match:
            if glob.startswith("route:"):
                if name is None and fnmatchcase("route:" + route, glob):
                    return rule
            elif name and fnmatchcase(name, glob):
                return rule
    return None
