from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AppConfig):
    name = "intranet.login_throttle"
    label = "login_throttle"
    verbose_name = _("Login throttling")

    def ready(self):
        from axes.models import AccessAttempt
        from wagtail.permissions import register_permission_policy

        from .permissions import StaffUnlockPolicy

        register_permission_policy(AccessAttempt, StaffUnlockPolicy(AccessAttempt), exact_class=True)
