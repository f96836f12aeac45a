"""Per-user secret addresses for calendar subscriptions: a calendar client cannot log in, so the address is the key.

A token names one user; the feeds it opens show what that user may read, and nothing once the user
is inactive. Revoking deletes it (the old address answers 404) and a new one is made on request.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        return f"{self.user} ({self.created_at:%d.%m.%Y})"

    @classmethod
    def for_user(cls, user):
        token, _created = cls.objects.get_or_create(user=user)
        return token

    @classmethod
    def renew(cls, user):
        """Revoke the user's address and make a new one."""
        cls.objects.filter(user=user).delete()
        return cls.objects.create(user=user)

    @classmethod
    def user_for_key(cls, key):
        """The active user behind ``key``, or None (unknown, revoked, or the user is inactive)."""
        if not isinstance(key, str) or not 20 <= len(key) <= 64:
            return None
        token = cls.objects.select_related("user").filter(key=key).first()
        if token is None or not token.user.is_active:
            return None
        return token.user
