"""Development settings: debug on, console e-mail, a throwaway secret key."""

import os

from .base import *  # noqa: F403

DEBUG = True
# Only for development; production.py refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-4m7x9q2w")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
