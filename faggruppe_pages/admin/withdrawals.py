"""“Registrert ved en feil”: a membership is withdrawn, never deleted; staff can restore it.

The membership admin's delete view is this withdrawal (the same URL, so every "delete" button Wagtail
draws leads here). A withdrawn entry is gone from every list, count, export, reminder and compliance
check (``Membership.objects`` does not see it), but its revisions and log stay, and staff find it in
"Tilbaketrukne oppføringer", with its history, and can restore it. A representative may withdraw an entry
of their own organisation within ``WITHDRAW_WINDOW_DAYS`` of registering it; an older entry was true
once and is ended (an end date), not withdrawn.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from faggruppe_pages.admin.boundary import parse_id
from faggruppe_pages.models import Membership
from faggruppe_pages.permissions import WITHDRAW_WINDOW_DAYS, can_withdraw, is_staff_for

TOO_OLD = gettext_lazy(
    "This entry was registered more than %(days)s days ago, so it cannot be withdrawn as an error. "
    "If the person no longer sits in the group, set an end date instead."
)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What was wrong?"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("E.g. “wrong group” or “registered twice”. Shown to staff with the entry."),
    )


class WithdrawMembershipView(WagtailAdminTemplateMixin, FormView):
    """Replaces the membership admin's delete view (URL name ``…:delete``)."""

    template_name = "faggruppe_pages/admin/withdraw_membership.html"
    form_class = WithdrawForm
    page_title = gettext_lazy("Registered in error")
    header_icon = "bin"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        pk = parse_id(str(kwargs.get("pk", "")))
        if pk is None:
            raise Http404
        self.object = get_object_or_404(Membership.objects.select_related("person", "group", "represents"), pk=pk)

    def dispatch(self, request, *args, **kwargs):
        if can_withdraw(request.user, self.object):
            return super().dispatch(request, *args, **kwargs)
        if policy_registry.get_by_type(Membership).user_has_permission_for_instance(
            request.user, "change", self.object
        ):
            # Their own entry, but too old to be an error: it is ended instead.
            messages.error(request, TOO_OLD % {"days": WITHDRAW_WINDOW_DAYS})
            return redirect(_edit_url(self.object))
        raise PermissionDenied

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailsnippets_faggruppe_pages_membership:list"), "label": _("Memberships")},
            {"url": _edit_url(self.object), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, edit_url=_edit_url(self.object), **kwargs)

    def form_valid(self, form):
        self.object.withdraw(self.request.user, form.cleaned_data["reason"])
        messages.success(
            self.request,
            _("“%(entry)s” is withdrawn as registered in error. Staff can restore it.") % {"entry": self.object},
        )
        return redirect(reverse("wagtailsnippets_faggruppe_pages_membership:list"))


def _edit_url(membership):
    return reverse("wagtailsnippets_faggruppe_pages_membership:edit", args=[membership.pk])


def _require_staff(user):
    if not is_staff_for(user, Membership):
        raise PermissionDenied


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        _require_staff(request.user)
        return super().dispatch(request, *args, **kwargs)


class WithdrawnMembershipsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Staff: every withdrawn entry, who withdrew it, when and why, with its history and "Gjenopprett"."""

    template_name = "faggruppe_pages/admin/withdrawn_memberships.html"
    page_title = gettext_lazy("Withdrawn entries")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        withdrawn = (
            Membership.all_objects.filter(withdrawn_at__isnull=False)
            .select_related("person", "group", "represents", "withdrawn_by")
            .order_by("-withdrawn_at")
        )
        return super().get_context_data(memberships=withdrawn, **kwargs)


class RestoreMembershipView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        membership = get_object_or_404(Membership.all_objects.filter(withdrawn_at__isnull=False), pk=pk)
        try:
            membership.restore(request.user)
        except ValidationError as error:
            messages.error(
                request,
                _("“%(entry)s” could not be restored: %(reason)s")
                % {"entry": membership, "reason": " ".join(error.messages)},
            )
            return redirect("faggruppe_pages_withdrawn_memberships")
        messages.success(request, _("“%(entry)s” is restored.") % {"entry": membership})
        return redirect(_edit_url(membership))


class NoBulkDelete(DeleteBulkAction):
    """Wagtail's bulk "Delete" for memberships: refused for everyone. Each entry is withdrawn on its own, with
    a reason; without rights to act on memberships at all, the refusal is the admin's usual one."""

    models = [Membership]

    def dispatch(self, request, *args, **kwargs):
        _require_staff(request.user)
        messages.error(
            request,
            _("Memberships are not deleted. Withdraw an entry registered in error one at a time, or set an end date."),
        )
        return redirect("wagtailsnippets_faggruppe_pages_membership:list")
