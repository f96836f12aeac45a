"""An e-mail backend whose server is down, for the reminder tests."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP-tjeneren svarer ikke")
