"""Production settings: every secret comes from the environment. See docs/deploy.md."""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS only: redirect plain HTTP (nginx should too) and tell browsers never to use it (HSTS, a year).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405

# Behind nginx (one proxy) by default: the client's address for login throttling is the last entry
# nginx appended to X-Forwarded-For, not REMOTE_ADDR (which is nginx). See docs/deploy.md.
FAGGRUPPE_PROXY_COUNT = int(os.environ.get("FAGGRUPPE_PROXY_COUNT", "1"))
globals().update(client_address_settings(FAGGRUPPE_PROXY_COUNT, FAGGRUPPE_CLIENT_IP_HEADER))  # noqa: F405

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)  # noqa: F405


def parse_admins(value):
    """``"Kari Nordmann <kari@molde.kommune.no>, drift@ror-ikt.no"`` -> [(name, address), ...]."""
    return [(name or address, address) for name, address in getaddresses([value]) if "@" in address]


# Who gets a mail for every unhandled exception (500), with the traceback and the request.
ADMINS = parse_admins(os.environ.get("ADMINS", ""))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# Everything worth knowing goes to stderr, which gunicorn's error log is (gunicorn.conf.py: errorlog "-"):
# every unhandled exception with its traceback (django.request, ERROR), refused requests (WARNING),
# failed and throttled logins (axes, WARNING). Unhandled exceptions are also mailed to ADMINS.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} [{name}] {message}", "style": "{"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        # A request for another host name is refused (400) and logged, but not mailed: scanners send many.
        "django.security.DisallowedHost": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "intranet": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "faggruppe_pages": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "governance": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
