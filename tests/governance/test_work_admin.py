"""The group work's admin: transitions per role (states, e-mails, audit log), the forms' boundary (tampering with
every field that points at another row, inline rows included), minutes back to draft, attendance pre-filled,
who reported, deleting, listings' query counts."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.forms import ModelChoiceField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from faggruppe_pages.models import Membership, Organisation, OrganisationKind, Person
from governance.models import (
    Attendance,
    Benefit,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
    StatusReport,
)
from tests.factories import OrganisationFactory
from tests.security.forms import as_dict, form_fields, replaced

from .test_work_permissions import LEADER, MEMBER, OTHER, SECRETARY, STAFF, make_world, row_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://intranett.example.no"
    return make_world()


def login(client, world, role):
    client.force_login(world["users"][role])
    return client


def url(obj, view):
    model = type(obj).__name__.lower()
    return reverse(f"gruppearbeid_{model}:{view}", args=[obj.pk])


def refused(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# -- meetings: notice → minutes for approval → approved → published ------------------------------------------------
def test_the_secretary_sends_the_notice_and_members_get_it(world, client):
    meeting = world["objects"]["g"]["meeting"]
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 12, 12, 13, 0))
    meeting.save()
    login(client, world, SECRETARY)
    assert client.get(url(meeting, "send_notice")).status_code == 200
    response = client.post(url(meeting, "send_notice"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notice_sent_at is not None
    assert "Innkallingen ble sendt til" in " ".join(messages_of(response))
    members = {p.email for p in Person.objects.filter(memberships__group=world["g"], memberships__end_date=None)}
    assert {m.to[0] for m in mail.outbox} == members
    message = mail.outbox[0]
    assert message.subject == "Innkalling: Teknisk 12.12.2026 kl. 13.00"
    assert f"https://intranett.example.no/moter/{meeting.pk}/" in message.body
    assert f"https://intranett.example.no/moter/{meeting.pk}/mote.ics" in message.body
    assert meeting.agenda_items.first().case_number in message.body
    assert ModelLogEntry.objects.filter(action="governance.notice_sent", object_id=str(meeting.pk)).count() == 1
    mail.outbox.clear()
    client.post(url(meeting, "send_notice"))
    assert mail.outbox[0].subject.startswith("Oppdatert innkalling: Teknisk")


def test_minutes_go_through_approval_and_publishing(world, client):
    meeting = world["objects"]["g"]["meeting_sent"]
    login(client, world, SECRETARY)
    # The deadline is required and cannot be in the past.
    response = client.post(url(meeting, "send_minutes"), {"approval_deadline": "01.01.2020"})
    assert response.status_code == 200 and "approval_deadline" in response.context["form"].errors
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m-%d")
    response = client.post(url(meeting, "send_minutes"), {"approval_deadline": deadline})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.SENT and meeting.approval_deadline.isoformat() == deadline
    assert mail.outbox and mail.outbox[0].subject.startswith("Referat til godkjenning: Teknisk")
    assert meeting.approval_deadline.strftime("%d.%m.%Y") in mail.outbox[0].body
    # The secretary may not approve; the leader may.
    assert refused(client.post(url(meeting, "approve_minutes")))
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.SENT
    login(client, world, LEADER)
    client.post(url(meeting, "approve_minutes"))
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == world["users"][LEADER]
    mail.outbox.clear()
    response = client.post(url(meeting, "publish_minutes"))
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.minutes_published_at
    assert mail.outbox[0].subject.startswith("Godkjent referat: Teknisk")
    assert f"/moter/{meeting.pk}/referat.pdf" in mail.outbox[0].body
    actions = set(ModelLogEntry.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True))
    assert {"governance.minutes_sent", "governance.minutes_approved", "governance.minutes_published"} <= actions


def test_minutes_need_the_notice_and_a_started_meeting(world, client):
    meeting = world["objects"]["g"]["meeting"]  # notice not sent
    login(client, world, SECRETARY)
    response = client.post(url(meeting, "send_minutes"), {"approval_deadline": "2099-01-01"})
    assert "Send innkallingen før referatet." in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    future = world["objects"]["g"]["meeting_sent"]
    future.starts_at = timezone.now() + datetime.timedelta(days=3)
    future.save()
    client.post(url(future, "send_minutes"), {"approval_deadline": "2099-01-01"})
    future.refresh_from_db()
    assert future.minutes_status == MinutesStatus.DRAFT


def test_a_member_and_another_groups_leader_cannot_run_meeting_transitions(world, client):
    meeting = world["objects"]["g"]["meeting_sent"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.SENT)
    for role in (MEMBER, OTHER):
        login(client, world, role)
        before = row_state(meeting)
        for view in ("send_notice", "send_minutes", "approve_minutes", "publish_minutes"):
            assert refused(client.post(url(meeting, view), {"approval_deadline": "2099-01-01"})), (role, view)
        assert row_state(meeting) == before
    assert not mail.outbox


def test_editing_sent_minutes_puts_them_back_to_draft(world, client):
    meeting = world["objects"]["g"]["meeting_sent"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.SENT, minutes_sent_at=timezone.now())
    login(client, world, SECRETARY)
    edit = url(meeting, "edit")
    pairs = form_fields(client.get(edit).content.decode())
    pairs = replaced(pairs, "minutes_text", "Endret referat")
    response = client.post(edit, as_dict(pairs))
    assert response.status_code == 302, response.context and response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT and meeting.minutes_text == "Endret referat"
    assert any("utkast igjen" in m for m in messages_of(response))
    assert ModelLogEntry.objects.filter(action="governance.minutes_reset", object_id=str(meeting.pk)).exists()


def test_attendance_is_prefilled_with_the_members_after_the_meeting_started(world, client):
    meeting = world["objects"]["g"]["meeting_sent"]
    login(client, world, SECRETARY)
    response = client.get(url(meeting, "edit"))
    formset = response.context["form"].formsets["attendance"]
    prefilled = {form.initial.get("person") for form in formset.forms}
    members = set(
        Membership.objects.active_on(meeting.day).filter(group=world["g"]).values_list("person_id", flat=True)
    )
    assert prefilled == members and world["people"]["former"].pk not in prefilled
    pairs = form_fields(response.content.decode())
    assert client.post(url(meeting, "edit"), as_dict(pairs)).status_code == 302
    assert set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == members


# -- measures, benefits, proposals --------------------------------------------------------------------------------
def test_publish_measure_and_approve_benefit_are_the_leaders(world, client):
    g = world["objects"]["g"]
    login(client, world, MEMBER)
    assert refused(client.post(url(g["measure"], "publish")))
    assert refused(client.post(url(g["benefit"], "approve")))
    login(client, world, LEADER)
    response = client.post(url(g["measure"], "publish"))
    assert "Tiltaket ble publisert." in messages_of(response)
    client.post(url(g["benefit"], "approve"))
    assert Measure.objects.get(pk=g["measure"].pk).published_at
    assert Benefit.objects.get(pk=g["benefit"].pk).approved_by == world["users"][LEADER]
    # A published measure edited later stays published.
    login(client, world, MEMBER)
    edit = url(g["measure"], "edit")
    pairs = replaced(form_fields(client.get(edit).content.decode()), "title", "Nytt navn")
    assert client.post(edit, as_dict(pairs)).status_code == 302
    measure = Measure.objects.get(pk=g["measure"].pk)
    assert measure.title == "Nytt navn" and measure.published_at


def test_send_proposal_to_the_body_and_record_the_handling(world, client):
    proposal = world["objects"]["g"]["proposal"]
    login(client, world, LEADER)
    page = client.get(url(proposal, "edit")).content.decode()
    assert "Send til Strategisk IKT-styre" in page
    response = client.post(url(proposal, "send"))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT and proposal.to_body == world["body"]
    assert proposal.submitted_on == timezone.localdate()
    assert "Forslaget ble sendt til Strategisk IKT-styre." in messages_of(response)
    # Only staff record the body's handling; a decided status needs case number and date.
    assert refused(client.post(url(proposal, "record_decision"), {"status": "adopted"}))
    login(client, world, STAFF)
    response = client.post(url(proposal, "record_decision"), {"status": "adopted"})
    assert response.status_code == 200 and "decision_case_number" in response.context["form"].errors
    client.post(
        url(proposal, "record_decision"),
        {"status": "adopted", "decision_case_number": "ST 4/26", "decision_date": "2026-03-01"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED and proposal.decision_case_number == "ST 4/26"


def test_a_proposal_cannot_be_sent_without_a_body_to_report_to(world, client):
    from governance.models import Mandate

    Mandate.objects.update(reports_to=None)
    proposal = world["objects"]["g"]["proposal"]
    login(client, world, LEADER)
    response = client.post(url(proposal, "send"))
    assert any("kan ikke sendes" in m for m in messages_of(response))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT and proposal.to_body is None


def test_members_cannot_set_a_proposals_status(world, client):
    proposal = world["objects"]["g"]["proposal"]
    login(client, world, MEMBER)
    edit = url(proposal, "edit")
    pairs = form_fields(client.get(edit).content.decode())
    pairs = replaced(pairs, "status", "adopted")
    pairs = replaced(pairs, "decision_case_number", "ST 1/26")
    assert client.post(edit, as_dict(pairs)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT and proposal.decision_case_number == ""


def test_a_new_status_report_records_who_reported_it(world, client):
    measure = world["objects"]["g"]["measure"]
    login(client, world, MEMBER)
    edit = url(measure, "edit")
    pairs = form_fields(client.get(edit).content.decode())
    total = int(dict(pairs)["status_reports-TOTAL_FORMS"])
    pairs = replaced(pairs, "status_reports-TOTAL_FORMS", str(total + 1))
    prefix = f"status_reports-{total}-"
    pairs += [(prefix + "date", "2026-05-01"), (prefix + "status", "delayed"), (prefix + "progress", "Forsinket")]
    pairs += [(prefix + "id", ""), (prefix + "ORDER", str(total + 1)), (prefix + "DELETE", "")]
    response = client.post(edit, as_dict(pairs))
    assert response.status_code == 302, response.context and response.context["form"].errors
    report = StatusReport.objects.get(measure=measure, status="delayed")
    assert report.reported_by == world["users"][MEMBER] and report.reported_by_name == "Member Testesen"


# -- deleting ---------------------------------------------------------------------------------------------------------
def test_only_staff_delete_and_only_what_never_left_the_group(world, client):
    g = world["objects"]["g"]
    login(client, world, LEADER)
    assert refused(client.post(url(g["measure"], "delete")))
    login(client, world, STAFF)
    for key in ("meeting_sent", "measure_published", "benefit_approved", "proposal_sent"):
        obj = g[key]
        assert refused(client.post(url(obj, "delete"))), key
        assert type(obj).objects.filter(pk=obj.pk).exists()
    client.post(url(g["proposal"], "delete"))
    assert not Proposal.objects.filter(pk=g["proposal"].pk).exists()


# -- tampering: every field that points at another row, top level and inline ------------------------------------
def foreign_values(world, model_name, field):
    target = field.queryset.model
    if target is Person:
        # Not a current member of G: H's members, a former member, and an outsider.
        return [world["people"]["h_plain"], world["people"]["former"], world["people"][OTHER]]
    if target is Organisation:
        return [OrganisationFactory(name="Fagforbund", slug="fagforbund-x", kind=OrganisationKind.UNION)]
    if target.__name__ in ("GroupPage",):
        return [world["h"]]
    if target is Measure:
        return [world["objects"]["h"]["measure"]]
    raise AssertionError(f"{model_name}.{field} points at {target.__name__}: add its foreign values here")


FORMS = {
    Meeting: ("meeting_sent", SECRETARY),
    Measure: ("measure", MEMBER),
    Benefit: ("benefit", MEMBER),
    Proposal: ("proposal", MEMBER),
}


def inline_row(pairs, relation, fields):
    """The pairs with one more inline row of ``relation`` holding ``fields``."""
    total = int(dict(pairs)[f"{relation}-TOTAL_FORMS"])
    prefix = f"{relation}-{total}-"
    pairs = replaced(pairs, f"{relation}-TOTAL_FORMS", str(total + 1))
    return pairs + [(prefix + k, str(v)) for k, v in fields.items()] + [(prefix + "ORDER", str(total + 1))]


INLINE = {
    Meeting: {"attendance": {"person": "member", "status": "present"}},
    Benefit: {
        "targets": {"organisation": "molde", "sub_owner": "member"},
        "realisations": {"date": "2026-01-01", "value": "1", "organisation": "molde"},
    },
}


def test_every_foreign_value_is_refused_in_every_field(world, client):
    failures, attempts = [], 0
    for model, (key, role) in FORMS.items():
        obj = world["objects"]["g"][key]
        login(client, world, role)
        edit = url(obj, "edit")
        response = client.get(edit)
        base = form_fields(response.content.decode())
        form = response.context["form"]
        targets = [(None, name, f) for name, f in form.fields.items() if isinstance(f, ModelChoiceField)]
        for relation in INLINE.get(model, {}):
            child = form.formsets[relation].empty_form
            for name, f in child.fields.items():
                if isinstance(f, ModelChoiceField) and name != "id" and not name.endswith("benefit"):
                    targets.append((relation, name, f))
        assert targets, model
        for relation, name, field in targets:
            if field.disabled:
                continue
            for foreign in foreign_values(world, model.__name__, field):
                attempts += 1
                if relation is None:
                    pairs = replaced(base, name, str(foreign.pk))
                else:
                    values = {
                        k: (world["people"][MEMBER].pk if v == "member" else world["molde"].pk if v == "molde" else v)
                        for k, v in INLINE[model][relation].items()
                    }
                    values[name] = foreign.pk
                    pairs = inline_row(base, relation, values)
                before = row_state(obj)
                response = client.post(edit, as_dict(pairs))
                errors = _errors(response, relation, name)
                if not errors or row_state(obj) != before:
                    failures.append(f"{model.__name__} {relation or ''}.{name}={foreign} ({response.status_code})")
        # Positive control: the untouched form saves.
        assert client.post(edit, as_dict(base)).status_code == 302, model
    assert attempts > 15
    assert not failures, "\n".join(failures)


def _errors(response, relation, name):
    if response.status_code != 200 or "form" not in response.context:
        return False
    form = response.context["form"]
    if relation is None:
        return name in form.errors
    return any(name in f.errors for f in form.formsets[relation].forms)


def test_a_member_cannot_create_in_another_group(world, client):
    login(client, world, MEMBER)
    add = reverse("gruppearbeid_measure:add")
    response = client.post(add, {"group": world["h"].pk, "title": "Inntrenger", "kind": "study"})
    assert response.status_code == 200 and "group" in response.context["form"].errors
    assert not Measure.objects.filter(title="Inntrenger").exists()
    # A member (not an officer) is offered no group for a meeting.
    response = client.get(reverse("gruppearbeid_meeting:add"))
    assert refused(response) or not list(response.context["form"].fields["group"].queryset)


def test_listing_query_count_does_not_grow_with_rows(world, client):
    login(client, world, STAFF)
    listing = reverse("gruppearbeid_meeting:list")
    client.get(listing)
    with CaptureQueriesContext(connection) as first:
        client.get(listing)
    for n in range(10):
        Meeting.objects.create(group=world["g"], starts_at=timezone.now() + datetime.timedelta(days=n))
    with CaptureQueriesContext(connection) as second:
        client.get(listing)
    assert len(second) == len(first), (len(first), len(second))


def test_reverting_to_an_approved_revision_does_not_approve_the_minutes(world, client):
    """The states are the transitions' alone: a revision saved while the minutes were approved, reverted to by
    the secretary after the minutes went back to draft, leaves them a draft."""
    meeting = world["objects"]["g"]["meeting_sent"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.SENT, minutes_sent_at=timezone.now())
    # Attendance is recorded, so the form offers no pre-filled rows (which would count as a change of the minutes).
    Attendance.objects.create(meeting=meeting, person=world["people"][MEMBER])
    login(client, world, LEADER)
    client.post(url(meeting, "approve_minutes"))
    approved_revision = Meeting.objects.get(pk=meeting.pk).latest_revision
    assert approved_revision.content["minutes_status"] == MinutesStatus.APPROVED
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.DRAFT)
    login(client, world, SECRETARY)
    revert = reverse("gruppearbeid_meeting:revisions_revert", args=[meeting.pk, approved_revision.pk])
    pairs = form_fields(client.get(revert).content.decode())
    response = client.post(revert, as_dict(pairs))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == MinutesStatus.DRAFT


@pytest.mark.parametrize(
    "form_name, field", [("SendMinutesForm", "approval_deadline"), ("RecordDecisionForm", "decision_date")]
)
def test_transition_forms_take_dates_as_dd_mm_yyyy_in_every_language_with_the_date_picker(form_name, field):
    """As every model form's date (faggruppe_pages/admin/dates.py): typed dd.mm.åååå whatever the admin's
    language, Wagtail's date picker that keeps what was typed, and a Norwegian message for a date it cannot read."""
    from django.utils import translation

    from faggruppe_pages.admin.dates import NorwegianDateInput
    from governance.admin import forms

    form_class = getattr(forms, form_name)
    data = {field: "01.12.2099", "status": ProposalStatus.ADOPTED, "decision_case_number": "2099/17"}
    with translation.override("en"):
        form = form_class(data=data)
        assert form.is_valid(), form.errors
        assert form.cleaned_data[field] == datetime.date(2099, 12, 1)
        assert isinstance(form.fields[field].widget, NorwegianDateInput)
        assert "date-time-chooser" in str(form.media) or "datetimepicker" in str(form.media)
    with translation.override("nb"):
        form = form_class(data={**data, field: "31.02.2099"})
        assert not form.is_valid()
        assert form.errors[field] == ["Skriv datoen som dd.mm.åååå, for eksempel 01.12.2026."]
