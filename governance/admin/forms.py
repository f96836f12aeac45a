"""Governance's admin forms: the mandate's (its approval stamp) and the group work's (meetings, measures,
benefits, proposals). Which rows a field may point at is decided in faggruppe_pages' boundary, which
governance fills through its boundary-rules slot."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass
from wagtail.admin.panels import InlinePanel

from faggruppe_pages.admin.boundary import BoundaryFormMixin, saved_value
from faggruppe_pages.admin.dates import date_field
from faggruppe_pages.admin.forms import SafeAdminModelForm, SafeInputFormMixin
from faggruppe_pages.models import GroupPage, Membership, Organisation, OrganisationKind, Person
from governance.models import (
    DECIDED,
    GoverningBody,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
)
from governance.permissions import MEMBER, OFFICER, group_ids_for, is_work_staff

#: The submit buttons of Wagtail's snippet edit view that publish the version or send it for approval.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class MandateForm(SafeAdminModelForm):
    """A version is approved by being published: publishing it, or sending it into (or through) the
    approval workflow, needs the approval stamp (body, date, case number in the body's format)."""

    def clean(self):
        cleaned_data = super().clean()
        publishing = self.is_bound and any(action in self.data for action in PUBLISHING_ACTIONS)
        in_review = self.instance.pk is not None and self.instance.workflow_in_progress
        if publishing or in_review:
            for name, message in self._stamp_errors(cleaned_data).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return cleaned_data

    def _stamp_errors(self, cleaned_data):
        candidate = self.instance
        for name in ("approved_by", "approved_on", "case_number"):
            if name in cleaned_data:
                setattr(candidate, name, cleaned_data[name])
        return candidate.stamp_errors()


# -- the boundary rules of the group's work: (user) -> the rows a field may point at ---------------------------
NOT_YOUR_GROUP = _("You can only choose a group you are a member of.")
NOT_YOUR_MEETING_GROUP = _("You can only choose a group where you are leader, deputy leader or secretary.")
NOT_A_MEMBER = _("Choose a current member of the group.")
NOT_A_MUNICIPALITY = _("Choose a municipality.")
NOT_YOUR_MEASURE = _("You can only choose a measure of your own group.")
BODY_SET_WHEN_SENT = _("The body is set when the proposal is sent.")


def _groups(model, level):
    def rule(user):
        if is_work_staff(user, model):
            return GroupPage.objects.live()
        return GroupPage.objects.filter(pk__in=group_ids_for(user, level))

    return rule


def _people(model):
    """Staff: anybody. A member: people who sit (or sat) in one of the member's groups; the form then
    narrows this to the chosen group's members (``GroupWorkForm.check_people``)."""

    def rule(user):
        if is_work_staff(user, model):
            return Person.objects.all()
        groups = group_ids_for(user, MEMBER)
        return Person.objects.filter(pk__in=Membership.objects.filter(group_id__in=groups).values("person_id"))

    return rule


def municipalities(user):
    """Municipalities are public: anybody with a form may name any of them."""
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)


def _measures(user):
    if is_work_staff(user, Measure):
        return Measure.objects.all()
    return Measure.objects.filter(group_id__in=group_ids_for(user, MEMBER))


def _no_body(user):
    """The body a proposal goes to is set by "Send til …" (the mandate in force's reports_to), never chosen."""
    return GoverningBody.objects.none()


def boundary_rules():
    """Every field of the group work's forms (inline children's included) that points at another row."""
    from governance.models import Benefit

    return {
        ("governance.meeting", "group"): (_groups(Meeting, OFFICER), NOT_YOUR_MEETING_GROUP),
        ("governance.meeting", "chair"): (_people(Meeting), NOT_A_MEMBER),
        ("governance.meeting", "minute_taker"): (_people(Meeting), NOT_A_MEMBER),
        ("governance.attendance", "person"): (_people(Meeting), NOT_A_MEMBER),
        ("governance.attendance", "on_behalf_of"): (_people(Meeting), NOT_A_MEMBER),
        ("governance.measure", "group"): (_groups(Measure, MEMBER), NOT_YOUR_GROUP),
        ("governance.measure", "owner"): (_people(Measure), NOT_A_MEMBER),
        ("governance.measure", "organisations"): (municipalities, NOT_A_MUNICIPALITY),
        ("governance.benefit", "measure"): (_measures, NOT_YOUR_MEASURE),
        ("governance.benefit", "owner"): (_people(Benefit), NOT_A_MEMBER),
        ("governance.benefittarget", "organisation"): (municipalities, NOT_A_MUNICIPALITY),
        ("governance.benefittarget", "sub_owner"): (_people(Benefit), NOT_A_MEMBER),
        ("governance.realisation", "organisation"): (municipalities, NOT_A_MUNICIPALITY),
        ("governance.proposal", "group"): (_groups(Proposal, MEMBER), NOT_YOUR_GROUP),
        ("governance.proposal", "to_body"): (_no_body, BODY_SET_WHEN_SENT),
    }


# -- the forms ----------------------------------------------------------------------------------------------------
#: Fields (top-level, and per inline relation) that name a person, checked against the chosen group's members.
PERSON_FIELDS = ("chair", "minute_taker", "owner")
CHILD_PERSON_FIELDS = {"attendance": ("person", "on_behalf_of"), "targets": ("sub_owner",)}
#: Proposal fields only staff set (the body's handling).
PROPOSAL_STAFF_FIELDS = ("status", "decision_case_number", "decision_date", "decision_note")
#: New rows of these relations get the saving user as the one who reported or recorded them.
STAMPED_CHILDREN = {
    "status_reports": ("reported_by", "reported_by_name"),
    "realisations": ("recorded_by", "recorded_by_name"),
}


class GroupWorkChildForm(SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
    """An inline row (agenda item, attendance, status report, target, realisation, attachment): its fields
    that point at other rows are limited by their boundary rules like the parent's."""


class GroupWorkFormMetaclass(WagtailAdminModelFormMetaclass):
    @classmethod
    def child_form(cls):
        return GroupWorkChildForm


class BoundedInlinePanel(InlinePanel):
    """An InlinePanel whose rows are GroupWorkChildForms that know the user (for their boundary rules)."""

    def get_form_options(self):
        options = super().get_form_options()
        for formset in options["formsets"].values():
            formset["form"] = GroupWorkChildForm
            formset["inherit_kwargs"] = ["for_user"]
        return options


def display_name(user):
    return (user.get_full_name() or user.get_username()).strip()


class GroupWorkForm(BoundaryFormMixin, SafeAdminModelForm, metaclass=GroupWorkFormMetaclass):
    """Meetings, measures, benefits and proposals: every field pointing at another row is limited by its
    rule in the boundary (governance's rules come through the boundary-rules slot); a person must be a
    member of the chosen group (for staff: anybody); for non-staff, the group of a saved item and a
    proposal's handling by the body cannot be changed here."""

    def __init__(self, *args, for_user=None, **kwargs):
        self._staff = is_work_staff(for_user, self._meta.model)
        super().__init__(*args, for_user=for_user, **kwargs)

    def apply_boundary(self, user):
        if not self._staff:
            if self.instance.pk is not None and "group" in self.fields:
                self.fields["group"].disabled = True
            if self._meta.model is Proposal:
                for name in PROPOSAL_STAFF_FIELDS:
                    if name in self.fields:
                        self.fields[name].disabled = True
                        self.fields[name].help_text = _("Staff record the body's handling.")
        super().apply_boundary(user)

    def clean(self):
        cleaned_data = super().clean()
        if self._meta.model is Proposal and self._staff:
            status = cleaned_data.get("status")
            if status in DECIDED:
                for name in ("decision_case_number", "decision_date"):
                    if name in self.fields and not cleaned_data.get(name) and name not in self.errors:
                        self.add_error(name, _("A decided proposal needs the decision's case number and date."))
        return cleaned_data

    # -- people: members of the chosen group ----------------------------------------------------------------
    def chosen_group_id(self):
        if self._meta.model.__name__ == "Benefit":
            measure = self.cleaned_data.get("measure") or getattr(self.instance, "measure", None)
            return measure.group_id if measure else None
        group = self.cleaned_data.get("group")
        return group.pk if group else self.instance.group_id

    def _member_ids(self, group_id):
        days = {timezone.localdate()}
        starts_at = self.cleaned_data.get("starts_at") if self._meta.model is Meeting else None
        if isinstance(starts_at, datetime.datetime):
            days.add(timezone.localtime(starts_at).date())
        ids = set()
        for day in days:
            ids |= set(Membership.objects.active_on(day).filter(group_id=group_id).values_list("person_id", flat=True))
        return ids

    def check_people(self):
        """Non-staff: every person named (top level and inline) is a member of the chosen group (today, or on
        the meeting's day); a value the row already holds stays valid. True if nothing was refused."""
        if self._staff:
            return True
        group_id = self.chosen_group_id()
        members = self._member_ids(group_id) if group_id else set()
        ok = True
        checks = [(self, PERSON_FIELDS)]
        for relation, names in CHILD_PERSON_FIELDS.items():
            formset = self.formsets.get(relation) if hasattr(self, "formsets") else None
            if formset is not None:
                checks += [(form, names) for form in formset.forms if not _deleted(form)]
        for form, names in checks:
            for name in names:
                if name not in form.fields or form.fields[name].disabled:
                    continue
                person = form.cleaned_data.get(name)
                if person is None or person.pk in members:
                    continue
                if saved_value(form.instance, name) == person.pk:
                    continue
                form.add_error(name, NOT_A_MEMBER)
                ok = False
        return ok

    def is_valid(self):
        valid = super().is_valid()
        if valid and not self.check_people():
            return False
        return valid and not self.errors

    # -- saving -------------------------------------------------------------------------------------------------
    def restore_unedited_fields(self):
        """What the form does not edit, the form does not change: every concrete field that is not an enabled
        field of this form (states, stamps, a non-staff user's group …) keeps the value in the database, even
        when the instance came from an old revision (Wagtail's "revert")."""
        instance = self.instance
        if instance.pk is None:
            return
        editable = {name for name, field in self.fields.items() if not field.disabled}
        names = [
            f.attname
            for f in instance._meta.concrete_fields
            if not f.primary_key and f.name not in editable and f.name not in ("updated_at",)
        ]
        saved = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
        for name, value in (saved or {}).items():
            setattr(instance, name, value)

    def minutes_changed(self):
        """Whether the minutes (chair, minute-taker, notes, attendance, decisions, items) were changed."""
        if self._meta.model is not Meeting:
            return False
        if any(name in self.changed_data for name in ("chair", "minute_taker", "minutes_text")):
            return True
        attendance = self.formsets.get("attendance")
        if attendance is not None and attendance.has_changed():
            return True
        items = self.formsets.get("agenda_items")
        if items is not None:
            for form in items.forms:
                if _deleted(form) or (form.instance.pk is None and form.has_changed()):
                    return True
                if "decision" in form.changed_data or "title" in form.changed_data:
                    return True
        return False

    def save(self, commit=True):
        self.minutes_reset = False
        self.restore_unedited_fields()
        instance = self.instance
        if (
            self._meta.model is Meeting
            and instance.minutes_status in (MinutesStatus.SENT, MinutesStatus.APPROVED)
            and self.minutes_changed()
        ):
            instance.minutes_status = MinutesStatus.DRAFT
            instance.minutes_approved_at = None
            instance.minutes_approved_by = None
            self.minutes_reset = True
        user = self.for_user
        if user is not None:
            for relation, (user_field, name_field) in STAMPED_CHILDREN.items():
                formset = self.formsets.get(relation)
                if formset is None:
                    continue
                for form in formset.forms:
                    if form.instance.pk is None and form.has_changed() and not _deleted(form):
                        setattr(form.instance, user_field, user)
                        setattr(form.instance, name_field, display_name(user))
        return super().save(commit=commit)


def _deleted(form):
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class SendMinutesForm(forms.Form):
    approval_deadline = date_field(
        label=_("Comments on the minutes by"), help_text=_("A date today or later (dd.mm.åååå).")
    )

    def clean_approval_deadline(self):
        value = self.cleaned_data["approval_deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return value


class RecordDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in ProposalStatus if s not in (ProposalStatus.DRAFT, ProposalStatus.SENT)],
    )
    decision_case_number = forms.CharField(label=_("Decision's case number"), max_length=50, required=False)
    decision_date = date_field(label=_("Decided on"), required=False)
    decision_note = forms.CharField(label=_("The decision"), widget=forms.Textarea, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") in DECIDED:
            for name in ("decision_case_number", "decision_date"):
                if not cleaned_data.get(name) and name not in self.errors:
                    self.add_error(name, _("A decided proposal needs the decision's case number and date."))
        return cleaned_data
