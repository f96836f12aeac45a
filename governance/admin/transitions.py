"""The state transitions of the group's work, as admin views: a confirmation page (GET) and the change (POST, CSRF).

Each transition names the policy action it needs (``governance.permissions``: who) and checks the row's
state (here: when), on the confirmation page and again, on the locked row, when it is posted. A user
without the right is refused before anything is read (PermissionDenied: Wagtail's redirect to the
dashboard with a message); a row in the wrong state gets a Norwegian error message and nothing changes.
Every transition is written to Wagtail's audit log under its own registered action
(``governance.notice_sent`` …), saves a revision, and says what it did in a success message.

Meeting: "Send innkalling" (officers; again: "Oppdatert innkalling"), "Send referat til godkjenning"
(officers; needs the notice sent and the meeting started; asks for the deadline), "Godkjenn referat" and
"Publiser referat" (leader, staff). Measure: "Publiser" (leader, staff). Benefit: "Godkjenn" (leader,
staff). Proposal: "Send til <organ>" (leader, staff; the body the group reports to today),
"Registrer behandling" (staff).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from governance import mail
from governance.admin.forms import RecordDecisionForm, SendMinutesForm
from governance.models import (
    Benefit,
    Mandate,
    Measure,
    Meeting,
    MinutesStatus,
    Proposal,
    ProposalStatus,
)
from governance.permissions import policy_for


class Transition:
    """One transition: its URL name, the policy action, label, log action and what it does."""

    name = ""
    model = None
    action = ""
    label = ""
    log_action = ""
    log_label = ""
    log_message = ""
    form_class = None
    icon = "check"

    def button_label(self, obj):
        return self.label

    def refusal(self, obj):
        """Why the row's state does not allow the transition now (a message), or None."""
        return None

    def perform(self, request, obj, form):
        """Change the row (already locked); return the success message."""
        raise NotImplementedError

    def log_data(self, obj):
        return {}


# -- meetings -------------------------------------------------------------------------------------------------------
class SendNotice(Transition):
    name, model, action, icon = "send_notice", Meeting, "send_notice", "mail"
    label = gettext_lazy("Send notice")
    log_action, log_label, log_message = (
        "governance.notice_sent",
        gettext_lazy("Send notice"),
        gettext_lazy("Notice sent to the members"),
    )

    def button_label(self, obj):
        return _("Send updated notice") if obj.notice_sent_at else _("Send notice")

    def perform(self, request, obj, form):
        updated = obj.notice_sent_at is not None
        obj.notice_sent_at = timezone.now()
        obj.save(update_fields=["notice_sent_at", "updated_at"])
        count = mail.send(mail.NOTICE, obj, updated=updated)
        if updated:
            return _("The updated notice was sent to %(count)s members.") % {"count": count}
        return _("The notice was sent to %(count)s members.") % {"count": count}


class SendMinutes(Transition):
    name, model, action, icon = "send_minutes", Meeting, "send_minutes", "mail"
    label = gettext_lazy("Send minutes for approval")
    log_action, log_label, log_message = (
        "governance.minutes_sent",
        gettext_lazy("Send minutes for approval"),
        gettext_lazy("Minutes sent for approval"),
    )
    form_class = SendMinutesForm

    def refusal(self, obj):
        if obj.notice_sent_at is None:
            return _("Send the notice before the minutes.")
        if obj.starts_at > timezone.now():
            return _("The minutes can be sent for approval once the meeting has started.")
        if obj.minutes_status != MinutesStatus.DRAFT:
            return _("Only draft minutes can be sent for approval.")
        return None

    def perform(self, request, obj, form):
        obj.approval_deadline = form.cleaned_data["approval_deadline"]
        obj.minutes_status = MinutesStatus.SENT
        obj.minutes_sent_at = timezone.now()
        obj.save(update_fields=["approval_deadline", "minutes_status", "minutes_sent_at", "updated_at"])
        count = mail.send(mail.MINUTES_FOR_APPROVAL, obj)
        return _("The minutes were sent for approval to %(count)s members.") % {"count": count}

    def log_data(self, obj):
        return {"deadline": obj.approval_deadline.isoformat()}


class ApproveMinutes(Transition):
    name, model, action = "approve_minutes", Meeting, "approve_minutes"
    label = gettext_lazy("Approve minutes")
    log_action, log_label, log_message = (
        "governance.minutes_approved",
        gettext_lazy("Approve minutes"),
        gettext_lazy("Minutes approved"),
    )

    def refusal(self, obj):
        if obj.minutes_status != MinutesStatus.SENT:
            return _("Only minutes sent for approval can be approved.")
        return None

    def perform(self, request, obj, form):
        obj.minutes_status = MinutesStatus.APPROVED
        obj.minutes_approved_at = timezone.now()
        obj.minutes_approved_by = request.user
        obj.save(update_fields=["minutes_status", "minutes_approved_at", "minutes_approved_by", "updated_at"])
        return _("The minutes were approved.")


class PublishMinutes(Transition):
    name, model, action, icon = "publish_minutes", Meeting, "publish_minutes", "upload"
    label = gettext_lazy("Publish minutes")
    log_action, log_label, log_message = (
        "governance.minutes_published",
        gettext_lazy("Publish minutes"),
        gettext_lazy("Minutes published and sent to the members"),
    )

    def refusal(self, obj):
        if obj.minutes_status != MinutesStatus.APPROVED:
            return _("Only approved minutes can be published.")
        return None

    def perform(self, request, obj, form):
        obj.minutes_status = MinutesStatus.PUBLISHED
        obj.minutes_published_at = timezone.now()
        obj.save(update_fields=["minutes_status", "minutes_published_at", "updated_at"])
        count = mail.send(mail.MINUTES_PUBLISHED, obj)
        return _("The minutes were published and sent to %(count)s members.") % {"count": count}


# -- measures, benefits ------------------------------------------------------------------------------------------------
class PublishMeasure(Transition):
    name, model, action, icon = "publish", Measure, "publish", "upload"
    label = gettext_lazy("Publish")
    log_action, log_label, log_message = (
        "governance.measure_published",
        gettext_lazy("Publish measure"),
        gettext_lazy("Measure published"),
    )

    def refusal(self, obj):
        return _("The measure is already published.") if obj.published_at else None

    def perform(self, request, obj, form):
        obj.published_at = timezone.now()
        obj.published_by = request.user
        obj.save(update_fields=["published_at", "published_by", "updated_at"])
        return _("The measure was published.")


class ApproveBenefit(Transition):
    name, model, action = "approve", Benefit, "approve"
    label = gettext_lazy("Approve")
    log_action, log_label, log_message = (
        "governance.benefit_approved",
        gettext_lazy("Approve benefit"),
        gettext_lazy("Benefit approved"),
    )

    def refusal(self, obj):
        return _("The benefit is already approved.") if obj.approved_at else None

    def perform(self, request, obj, form):
        obj.approved_at = timezone.now()
        obj.approved_by = request.user
        obj.save(update_fields=["approved_at", "approved_by", "updated_at"])
        return _("The benefit was approved.")


# -- proposals -------------------------------------------------------------------------------------------------------
def body_for(proposal, day=None):
    """The body the group reports to on ``day`` (today): the mandate in force's reports_to, or None."""
    mandate = Mandate.objects.in_force_for(proposal.group, day or timezone.localdate())
    return mandate.reports_to if mandate else None


class SendProposal(Transition):
    name, model, action, icon = "send", Proposal, "send", "mail"
    label = gettext_lazy("Send to the body")
    log_action, log_label, log_message = (
        "governance.proposal_sent",
        gettext_lazy("Send proposal"),
        gettext_lazy("Proposal sent to the body"),
    )

    def button_label(self, obj):
        body = body_for(obj)
        return _("Send to %(body)s") % {"body": body.name} if body else self.label

    def refusal(self, obj):
        if obj.status != ProposalStatus.DRAFT:
            return _("The proposal has already been sent.")
        if body_for(obj) is None:
            return _(
                "The group's mandate in force names no body it reports to, so the proposal cannot be sent. "
                "Ask the editorial staff to register it on the mandate."
            )
        return None

    def perform(self, request, obj, form):
        obj.to_body = body_for(obj)
        obj.status = ProposalStatus.SENT
        obj.submitted_on = timezone.localdate()
        obj.save(update_fields=["to_body", "status", "submitted_on", "updated_at"])
        return _("The proposal was sent to %(body)s.") % {"body": obj.to_body.name}

    def log_data(self, obj):
        return {"body": obj.to_body_id}


class RecordDecision(Transition):
    name, model, action, icon = "record_decision", Proposal, "record_decision", "doc-full"
    label = gettext_lazy("Record the handling")
    log_action, log_label, log_message = (
        "governance.proposal_decision",
        gettext_lazy("Record the body's handling"),
        gettext_lazy("The body's handling recorded"),
    )
    form_class = RecordDecisionForm

    def refusal(self, obj):
        if obj.status == ProposalStatus.DRAFT:
            return _("Only a proposal that has been sent can be handled by the body.")
        return None

    def initial(self, obj):
        return {
            "status": obj.status if obj.status != ProposalStatus.SENT else ProposalStatus.IN_CONSIDERATION,
            "decision_case_number": obj.decision_case_number,
            "decision_date": obj.decision_date,
            "decision_note": obj.decision_note,
        }

    def perform(self, request, obj, form):
        for name in ("status", "decision_case_number", "decision_date", "decision_note"):
            setattr(obj, name, form.cleaned_data[name])
        obj.save(update_fields=["status", "decision_case_number", "decision_date", "decision_note", "updated_at"])
        return _("The body's handling was recorded: %(status)s.") % {"status": obj.get_status_display().lower()}

    def log_data(self, obj):
        return {"status": obj.status, "case_number": obj.decision_case_number}


TRANSITIONS = {
    Meeting: [SendNotice(), SendMinutes(), ApproveMinutes(), PublishMinutes()],
    Measure: [PublishMeasure()],
    Benefit: [ApproveBenefit()],
    Proposal: [SendProposal(), RecordDecision()],
}


def allowed(user, transition, obj):
    return policy_for(type(obj)).user_has_permission_for_instance(user, transition.action, obj)


def offered(user, obj, url_name):
    """(transition, label, url) of the transitions ``user`` may start on ``obj`` now (for the buttons)."""
    out = []
    for transition in TRANSITIONS.get(type(obj), []):
        if allowed(user, transition, obj) and transition.refusal(obj) is None:
            url = reverse(url_name(transition.name), args=[obj.pk])
            out.append((transition, transition.button_label(obj), url))
    return out


# -- the view ---------------------------------------------------------------------------------------------------------
class TransitionView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the confirmation page (with the transition's form); POST: the change. Both refuse a user without
    the right (before the row is read into the page) and a row in the wrong state."""

    transition = None
    edit_url_name = ""
    inspect_url_name = ""
    template_name = "governance/admin/transition.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.model = self.transition.model

    def get_object(self, pk, lock=False):
        queryset = self.model._default_manager.all()
        if lock:
            queryset = queryset.select_for_update()
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise Http404
        if not allowed(self.request.user, self.transition, obj):
            raise PermissionDenied
        return obj

    def back_url(self, obj):
        policy = policy_for(self.model)
        if policy.user_has_permission_for_instance(self.request.user, "change", obj):
            return reverse(self.edit_url_name, args=[obj.pk])
        return reverse(self.inspect_url_name, args=[obj.pk])

    def refuse(self, obj, message):
        messages.error(self.request, message)
        return redirect(self.back_url(obj))

    def get_form(self, obj):
        if self.transition.form_class is None:
            return None
        initial = self.transition.initial(obj) if hasattr(self.transition, "initial") else None
        if self.request.method == "POST":
            return self.transition.form_class(self.request.POST, initial=initial)
        return self.transition.form_class(initial=initial)

    header_icon = "tasks"

    def get_page_title(self):
        return self.transition.button_label(self.object)

    def get_page_subtitle(self):
        return str(self.object)

    def render(self, obj, form):
        self.object = obj
        mails = isinstance(obj, Meeting) and self.transition.name in ("send_notice", "send_minutes", "publish_minutes")
        context = self.get_context_data(
            object=obj,
            transition=self.transition,
            form=form,
            back_url=self.back_url(obj),
            action_url=self.request.path,
            recipients=mail.recipients(obj) if mails else None,
        )
        return self.render_to_response(context)

    def get(self, request, pk):
        obj = self.get_object(pk)
        problem = self.transition.refusal(obj)
        if problem:
            return self.refuse(obj, problem)
        return self.render(obj, self.get_form(obj))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.get_form(obj)
        if form is not None and not form.is_valid():
            return self.render(obj, form)
        with transaction.atomic():
            obj = self.get_object(pk, lock=True)
            problem = self.transition.refusal(obj)
            if problem:
                transaction.set_rollback(True)
                return self.refuse(obj, problem)
            message = self.transition.perform(request, obj, form)
            obj.save_revision(user=request.user, clean=False, log_action=False)
            log(obj, self.transition.log_action, user=request.user, data=self.transition.log_data(obj))
        messages.success(request, message)
        return redirect(self.back_url(obj))


def transition_urls(viewset):
    """The viewset's transition URLs: ``<namespace>:<transition>`` at ``<pk>/<transition>/``."""
    out = []
    for transition in TRANSITIONS[viewset.model]:
        view = TransitionView.as_view(
            transition=transition,
            edit_url_name=viewset.get_url_name("edit"),
            inspect_url_name=viewset.get_url_name("inspect"),
        )
        out.append(path(f"<int:pk>/{transition.name.replace('_', '-')}/", view, name=transition.name))
    return out


def register_log_actions(actions):
    for transitions in TRANSITIONS.values():
        for transition in transitions:
            actions.register_action(transition.log_action, transition.log_label, transition.log_message)
    actions.register_action(
        "governance.minutes_reset",
        gettext_lazy("Minutes back to draft"),
        gettext_lazy("The minutes were edited and are a draft again"),
    )
