"""Staff's view of login lockouts in the Wagtail admin (Settings → Locked logins), with "Unlock".

Each row is django-axes' AccessAttempt: the failed logins of one user name from one address within
the cool-off. Deleting the row (Unlock) lets that user name log in from that address at once, as
``manage.py axes_reset_username <name>`` would for every address. Wagtail's audit log records who
unlocked whom.
"""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log


def blocked_until(attempt):
    """When the lockout of ``attempt`` ends, or None if it does not block (yet, or any longer)."""
    if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return None
    cool_off = get_cool_off()
    if cool_off is None:  # no cool-off configured: blocked until staff unlock
        return timezone.now() + timedelta(days=36500)
    until = attempt.attempt_time + cool_off
    return until if until > timezone.now() else None


class BlockedUntilColumn(Column):
    def get_value(self, instance):
        until = blocked_until(instance)
        if until is None:
            return gettext("Not blocked")
        if get_cool_off() is None:
            return gettext("Until unlocked")
        return date_format(timezone.localtime(until), "DATETIME_FORMAT")


class UnlockColumn(Column):
    """A plain "Unlock" button per row (rather than hidden in a "more" menu)."""

    cell_template_name = "login_throttle/unlock_cell.html"

    def get_value(self, instance):
        return reverse("innloggingssperrer:delete", args=(instance.pk,))

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["description"] = describe(instance)
        return context


class LockedLoginIndexView(generic.IndexView):
    page_title = _("Locked logins")
    # The rows are django-axes' AccessAttempt, whose own names are not translated to nb/nn.
    verbose_name = _("user name with failed logins")
    verbose_name_plural = _("user names with failed logins")

    def get_base_queryset(self):
        # Older rows no longer count (django-axes deletes them at the next login attempt).
        queryset = super().get_base_queryset()
        cool_off = get_cool_off()
        return queryset if cool_off is None else queryset.filter(attempt_time__gte=timezone.now() - cool_off)


class UnlockView(generic.DeleteView):
    page_title = _("Unlock login")
    success_message = _("Unlocked: %(object)s can log in again.")
    template_name = "login_throttle/confirm_unlock.html"

    def get_page_subtitle(self):
        return describe(self.object)

    @property
    def confirmation_message(self):
        return gettext("Unlock %(attempt)s? The user can log in again at once.") % {"attempt": describe(self.object)}

    def get_success_message(self):
        return self.success_message % {"object": describe(self.object)}

    def delete_action(self):
        # Wagtail's delete action would log the row as "Attempted Access: <time>": name whom it unlocked.
        attempt = self.object
        with transaction.atomic():
            log(
                instance=attempt,
                action="wagtail.delete",
                user=self.request.user,
                deleted=True,
                title=f"{attempt.username} @ {attempt.ip_address} ({attempt.failures_since_start})",
            )
            attempt.delete()


def describe(attempt):
    return gettext("the user name “%(username)s” from %(address)s") % {
        "username": attempt.username or "",
        "address": attempt.ip_address or gettext("an unknown address"),
    }


class LockedLoginViewSet(ModelViewSet):
    model = AccessAttempt
    name = "innloggingssperrer"
    icon = "lock"
    menu_label = _("Locked logins")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    index_view_class = LockedLoginIndexView
    delete_view_class = UnlockView
    list_display = [
        Column("username", label=_("Username")),
        Column("ip_address", label=_("Address")),
        Column("failures_since_start", label=_("Failed attempts")),
        DateColumn("attempt_time", label=_("Last attempt")),
        BlockedUntilColumn("blocked_until", label=_("Blocked until")),
        Column("path_info", label=_("Login form")),
        UnlockColumn("unlock", label=_("Unlock")),
    ]

    def get_common_view_kwargs(self, **kwargs):
        # Only the listing and Unlock exist: no add, edit, history, usage or copy views to link to.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "history_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_permissions_to_register(self):
        # StaffUnlockPolicy decides, not Django permissions: offer none in the group editor.
        from django.contrib.auth.models import Permission

        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("unlock/<int:pk>/", self.delete_view, name="delete"),
        ]


@hooks.register("register_admin_viewset")
def register_locked_logins():
    return LockedLoginViewSet()
