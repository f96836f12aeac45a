"""The reminder e-mails: written from the plan in ``upkeep/reminders.py``, logged and sent in one transaction."""

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from faggruppe_pages import conf
from faggruppe_pages.models.memberships import ENDING_SOON_DAYS
from faggruppe_pages.models.reminders import Reminder, ReminderItem, ReminderKind
from faggruppe_pages.upkeep.reminders import absolute


def render(message, day, language=None):
    """Write the subject and body in ``language`` (default: ``FAGGRUPPE_EMAIL_LANGUAGE``)."""
    language = language or conf.email_language()
    template = "digest" if message.kind == ReminderKind.DIGEST else "escalation"
    context = {
        "message": message,
        "recipient": message.recipient,
        "sections": message.sections,
        "day": day,
        "ending_days": ENDING_SOON_DAYS,
        "escalate_after_days": conf.reminder_escalate_after_days(),
        "site_url": absolute("/"),
    }
    with translation.override(language):
        subject = render_to_string(f"faggruppe_pages/email/{template}_subject.txt", context)
        body = render_to_string(f"faggruppe_pages/email/{template}.txt", context)
    message.subject = " ".join(subject.split())[:255]
    message.body = body
    return message


def send(message, day):
    """Log and send one e-mail in one transaction. False if it was already sent today (another run)."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                kind=message.kind,
                recipient=message.recipient,
                recipient_email=message.recipient.email,
                sent_on=day,
                subject=message.subject,
            )
            ReminderItem.objects.bulk_create(
                ReminderItem(reminder=reminder, membership=item.membership, reason=item.reason, key=item.key)
                for item in message.items
            )
            EmailMessage(message.subject, message.body, to=[message.recipient.email]).send()
    except IntegrityError:
        return False
    return True
