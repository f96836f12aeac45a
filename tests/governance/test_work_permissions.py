"""The group work's permission matrix, generated: every action of each policy × every role × rows of two groups.

The expectations are written here from the rights in issue 14 (governance/permissions.py's docstring), not read
from the code: ``LEVEL`` says which role an action needs; every action the policy knows must be in it. Then the
same roles go through the real admin URLs of the viewsets (collected from the URL resolver): a user outside the
group is refused on every per-object URL, by GET and POST, and the row and its children are unchanged.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from faggruppe_pages.models import Membership, Role
from faggruppe_pages.upkeep.setup import STAFF_GROUP_NAME, setup_portal
from governance.models import (
    AgendaItem,
    Benefit,
    BenefitTarget,
    GoverningBody,
    Mandate,
    MandateScope,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
    Realisation,
    StatusReport,
)
from tests.factories import (
    ArbeidsgruppePageFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db

MODELS = (Meeting, Measure, Benefit, Proposal)
STAFF, LEADER, SECRETARY, MEMBER, OTHER, REP, LESER = (
    "staff",
    "leader",
    "secretary",
    "member",
    "other",
    "rep",
    "leser",
)
ROLES = [STAFF, LEADER, SECRETARY, MEMBER, OTHER, REP, LESER]

# What each action needs (issue 14): "member" < "officer" (leder, nestleder, sekretaer) < "leader"; "staff" only.
LEVEL = {
    Meeting: {
        "view": "member",
        "add": "officer",
        "change": "officer",
        "delete": "staff",
        "send_notice": "officer",
        "send_minutes": "officer",
        "approve_minutes": "leader",
        "publish_minutes": "leader",
    },
    Measure: {"view": "member", "add": "member", "change": "member", "delete": "staff", "publish": "leader"},
    Benefit: {"view": "member", "add": "member", "change": "member", "delete": "staff", "approve": "leader"},
    Proposal: {
        "view": "member",
        "add": "member",
        "change": "member",
        "delete": "staff",
        "send": "leader",
        "record_decision": "staff",
    },
}
#: The levels each role holds in its own group.
HOLDS = {LEADER: {"member", "officer", "leader"}, SECRETARY: {"member", "officer"}, MEMBER: {"member"}}


def make_world():
    setup_portal()
    index = make_index()
    g = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    # H is an arbeidsgruppe under G: its members are not G's members, nor the other way round.
    h = ArbeidsgruppePageFactory(parent=g, title="Veg og vann", slug="veg-og-vann")
    molde = OrganisationFactory(name="Molde kommune", slug="molde", municipality_number="1506")
    rauma = OrganisationFactory(name="Rauma kommune", slug="rauma", municipality_number="1539")
    users = {}
    people = {}

    def seat(username, group, role, employer=molde):
        user = UserFactory(username=username, first_name=username.capitalize(), last_name="Testesen")
        person = PersonFactory(name=f"{username.capitalize()} Testesen", employer=employer, user=user)
        MembershipFactory(person=person, group=group, role=role)
        users[username], people[username] = user, person
        return person

    seat(LEADER, g, Role.LEADER)
    seat(SECRETARY, g, Role.SECRETARY, rauma)
    seat(MEMBER, g, Role.MEMBER)
    seat(OTHER, h, Role.LEADER)
    # A member of G without an account, and one whose seat ended.
    people["plain"] = MembershipFactory(group=g, person=PersonFactory(employer=rauma)).person
    people["former"] = MembershipFactory(
        group=g, person=PersonFactory(employer=molde), end_date=datetime.date(2023, 1, 1)
    ).person
    people["h_plain"] = MembershipFactory(group=h, person=PersonFactory(employer=rauma)).person
    staff = UserFactory(username=STAFF)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    users[STAFF] = staff
    rep = UserFactory(username=REP)
    rep.groups.add(molde.representatives_group)
    users[REP] = rep
    users[LESER] = UserFactory(username=LESER)

    body = GoverningBody.objects.create(name="Strategisk IKT-styre", short_name="Styret", case_prefix="ST")
    Mandate.objects.create(
        title="Mandat",
        version="2019",
        scope=MandateScope.FAGGRUPPER,
        valid_from=datetime.date(2019, 1, 1),
        reports_to=body,
        live=True,
    )
    objects = {}
    past = timezone.now() - datetime.timedelta(days=2)
    for key, group in (("g", g), ("h", h)):
        meeting = Meeting.objects.create(group=group, starts_at=past, place="Rådhuset")
        AgendaItem.objects.create(meeting=meeting, title="Sak en")
        sent = Meeting.objects.create(group=group, starts_at=past, notice_sent_at=past, place="Rådhuset")
        AgendaItem.objects.create(meeting=sent, title="Budsjett")
        measure = Measure.objects.create(group=group, title=f"Tiltak {key}")
        StatusReport.objects.create(measure=measure, date=datetime.date(2026, 1, 1), status="ongoing")
        published = Measure.objects.create(group=group, title=f"Publisert {key}", published_at=past)
        benefit = Benefit.objects.create(measure=measure, description=f"Gevinst {key}")
        BenefitTarget.objects.create(benefit=benefit, organisation=molde)
        Realisation.objects.create(benefit=benefit, date=datetime.date(2026, 1, 1), value=3)
        approved = Benefit.objects.create(measure=published, description=f"Godkjent {key}", approved_at=past)
        proposal = Proposal.objects.create(group=group, title=f"Forslag {key}", text="Tekst")
        sent_proposal = Proposal.objects.create(
            group=group,
            title=f"Sendt {key}",
            text="Tekst",
            status=ProposalStatus.SENT,
            to_body=body,
            submitted_on=datetime.date(2026, 1, 2),
        )
        objects[key] = {
            "meeting": meeting,
            "meeting_sent": sent,
            "measure": measure,
            "measure_published": published,
            "benefit": benefit,
            "benefit_approved": approved,
            "proposal": proposal,
            "proposal_sent": sent_proposal,
        }
    return {"g": g, "h": h, "users": users, "people": people, "objects": objects, "body": body, "molde": molde}


@pytest.fixture
def world(db):
    return make_world()


def level_of(role, group_key):
    """The levels ``role`` holds in group ``g`` or ``h``."""
    if role == OTHER:
        return HOLDS[LEADER] if group_key == "h" else set()
    if role in HOLDS:
        return HOLDS[role] if group_key == "g" else set()
    return set()


def expected(role, model, action, key, group_key):
    """The answer issue 14 gives for ``role`` doing ``action`` on the row ``key`` of group ``group_key``."""
    never_left = key in ("meeting", "measure", "benefit", "proposal")  # notice not sent, not published/sent
    if action == "delete":
        return role == STAFF and never_left
    if role == STAFF:
        return True
    need = LEVEL[model][action]
    if need == "staff" or need not in level_of(role, group_key):
        return False
    if model is Proposal and action in ("add", "change") and key == "proposal_sent":
        return False  # members change proposals only while in draft
    return True


def test_the_matrix_covers_every_action_of_every_policy():
    for model in MODELS:
        assert set(policy_registry.get_by_type(model).actions) == set(LEVEL[model]), model


def test_permission_matrix(world):
    wrong, checked = [], 0
    for role in ROLES:
        user = world["users"][role]
        for group_key in ("g", "h"):
            for key, obj in world["objects"][group_key].items():
                model = type(obj)
                policy = policy_registry.get_by_type(model)
                listed = set(policy.instances_user_has_any_permission_for(user, ["view"]).values_list("pk", flat=True))
                for action in LEVEL[model]:
                    want = expected(role, model, action, key, group_key)
                    got = policy.user_has_permission_for_instance(user, action, obj)
                    checked += 1
                    if got != want:
                        wrong.append(f"{role} {action} {key}@{group_key}: policy {got}, expected {want}")
                    in_list = obj.pk in set(
                        policy.instances_user_has_any_permission_for(user, [action]).values_list("pk", flat=True)
                    )
                    if in_list != want:
                        wrong.append(f"{role} {action} {key}@{group_key}: listing {in_list}, expected {want}")
                if (obj.pk in listed) != expected(role, model, "view", key, group_key):
                    wrong.append(f"{role} sees {key}@{group_key} in the listing")
    assert checked > 300
    assert not wrong, "\n".join(wrong)


def test_model_level_answers(world):
    """The menu and the add button: staff, and members of some group (officers for meetings); nobody else."""
    for role in ROLES:
        user = world["users"][role]
        for model in MODELS:
            policy = policy_registry.get_by_type(model)
            for action in ("add", "change", "view"):
                holds = level_of(role, "g") | level_of(role, "h")
                want = role == STAFF or LEVEL[model][action] in holds
                assert policy.user_has_permission(user, action) == want, (role, model, action)
            assert policy.user_has_permission(user, "delete") == (role == STAFF)


def test_an_ended_seat_or_an_inactive_account_gives_no_right(world):
    meeting = world["objects"]["g"]["meeting"]
    policy = policy_registry.get_by_type(Meeting)
    leader = world["users"][LEADER]
    leader.is_active = False
    leader.save()
    assert not policy.user_has_permission_for_instance(leader, "view", meeting)
    secretary = world["users"][SECRETARY]
    Membership.objects.filter(person=world["people"][SECRETARY]).update(end_date=datetime.date(2024, 1, 1))
    secretary = type(secretary).objects.get(pk=secretary.pk)
    assert not policy.user_has_permission_for_instance(secretary, "change", meeting)


# -- the admin URLs, from the resolver ------------------------------------------------------------------------------
NAMESPACES = {
    Meeting: "gruppearbeid_meeting",
    Measure: "gruppearbeid_measure",
    Benefit: "gruppearbeid_benefit",
    Proposal: "gruppearbeid_proposal",
}


def _walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, ns)
        elif p.name and namespace:
            yield f"{namespace}:{p.name}", tuple(p.pattern.regex.groupindex)


def per_object_urls(model):
    """(name, kwargs names) of every URL of the model's viewset that names a row."""
    prefix = NAMESPACES[model] + ":"
    found = [(n, k) for n, k in _walk(get_resolver().url_patterns) if n.startswith(prefix) and "pk" in k]
    assert found, model
    return found


def fill(name, kwargs, obj):
    values = {"pk": obj.pk}
    revisions = list(obj.revisions.order_by("pk").values_list("pk", flat=True))
    if "revision_id" in kwargs:
        values["revision_id"] = revisions[0]
    if "revision_id_a" in kwargs:
        values.update(revision_id_a=revisions[0], revision_id_b=revisions[-1])
    return reverse(name, kwargs={k: values[k] for k in kwargs})


def row_state(obj):
    """The row and its children, for "nothing changed"."""
    model = type(obj)
    state = {"row": model.objects.filter(pk=obj.pk).values().first()}
    for relation in ("agenda_items", "attendance", "status_reports", "targets", "realisations", "attachments"):
        if hasattr(obj, relation):
            state[relation] = list(getattr(model.objects.get(pk=obj.pk), relation).order_by("pk").values())
    state["revisions"] = obj.revisions.count()
    return state


def is_refusal(response):
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/logg-inn/")
    return False


@pytest.mark.parametrize("role", [OTHER, REP, LESER, MEMBER])
def test_outsiders_are_refused_on_every_per_object_url_and_nothing_changes(world, client, role):
    """OTHER (H's leader), a representative, a reader: refused everywhere on G's rows. An ordinary member of G:
    refused where the action needs an officer, the leader or staff (meetings' edit, every transition but none)."""
    client.force_login(world["users"][role])
    failures, count = [], 0
    for key, obj in world["objects"]["g"].items():
        obj.save_revision(user=world["users"][STAFF])
        obj.save_revision(user=world["users"][STAFF])
        model = type(obj)
        for name, kwargs in per_object_urls(model):
            action = url_action(name)
            if role == MEMBER and expected(MEMBER, model, action, key, "g"):
                continue
            url = fill(name, kwargs, obj)
            before = row_state(obj)
            for method in ("get", "post"):
                data = {"title": "ENDRET", "approval_deadline": "2099-01-01", "status": "adopted"}
                response = getattr(client, method)(url, data if method == "post" else None)
                count += 1
                if not is_refusal(response):
                    failures.append(f"{role} {method.upper()} {url}: {response.status_code}")
            if row_state(obj) != before:
                failures.append(f"{role} changed {key} through {url}")
    assert count > 40
    assert not failures, "\n".join(failures)


def url_action(name):
    """The policy action a URL of the viewsets needs."""
    view = name.split(":")[-1]
    if view in ("edit", "revisions_revert"):
        return "change"
    if view == "delete":
        return "delete"
    if view in ("inspect", "history", "history_results", "usage", "revisions_compare", "revisions_view"):
        return "view"
    return view  # a transition: its own action


def test_every_url_of_the_viewsets_maps_to_an_action(world):
    for model in MODELS:
        for name, _kwargs in per_object_urls(model):
            assert url_action(name) in LEVEL[model], name


def test_insiders_reach_what_they_may(world, client):
    g = world["objects"]["g"]
    client.force_login(world["users"][MEMBER])
    assert client.get(reverse("gruppearbeid_measure:edit", args=[g["measure"].pk])).status_code == 200
    assert client.get(reverse("gruppearbeid_meeting:inspect", args=[g["meeting"].pk])).status_code == 200
    listing = client.get(reverse("gruppearbeid_meeting:list")).content.decode()
    assert "Teknisk" in listing and "Veg og vann" not in listing
    client.force_login(world["users"][SECRETARY])
    assert client.get(reverse("gruppearbeid_meeting:edit", args=[g["meeting"].pk])).status_code == 200
    assert MinutesStatus.DRAFT == g["meeting"].minutes_status
