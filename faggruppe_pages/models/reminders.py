"""What ``send_reminders`` sent, so it never sends the same reminder twice in a day and knows when to escalate."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DIGEST = "digest", _("Digest to a representative")
    ESCALATION = "escalation", _("Escalation to the editorial staff")


class ReminderReason(models.TextChoices):
    OVERDUE = "overdue", _("Not confirmed within the review interval")
    TERM_ENDS = "term_ends", _("Term ends soon")


class Reminder(models.Model):
    """One e-mail sent by ``send_reminders``."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Kept when the user is deleted: the log must still say who was told.
    recipient_email = models.EmailField(_("recipient e-mail"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=255)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            # The database, not only the command, guarantees one reminder of a kind per person and day,
            # even when two cron runs overlap.
            models.UniqueConstraint(fields=["kind", "recipient_email", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_email} ({self.sent_on})"


class ReminderItem(models.Model):
    """One entry a reminder was about. ``key`` names the entry and the state it was in, so a new
    state (confirmed and overdue again, a new end date) counts as a new item."""

    reminder = models.ForeignKey(Reminder, verbose_name=_("reminder"), on_delete=models.CASCADE, related_name="items")
    membership = models.ForeignKey(
        "faggruppe_pages.Membership", verbose_name=_("membership"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReminderReason.choices)
    key = models.CharField(_("key"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("reminder item")
        verbose_name_plural = _("reminder items")

    def __str__(self):
        return self.key
