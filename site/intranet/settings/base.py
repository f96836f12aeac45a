"""Settings shared by every environment; values that differ come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

# site/intranet/settings/base.py -> the repository root is four levels up.
PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    # The two add-ons. governance depends on faggruppe_pages, never the other way round.
    "faggruppe_pages",
    "governance",
    # Login throttling: its lockout page and the staff's unlock view in the Wagtail admin.
    "intranet.login_throttle",
    "intranet.demo",  # manage.py load_demo: the ROR-IKT demo profile
    # Single sign-on with OpenID Connect (mozilla-django-oidc; intranet/oidc/, docs/deploy.md "Single sign-on").
    "intranet.oidc",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Only for its catalogue: Wagtail's admin uses naturaltime ("Sent to … 17 seconds ago"), English without it.
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # Background tasks (django-tasks, Django 6's django.tasks backported) kept in the database: the large
    # whole-overview exports are built by `manage.py db_worker` (docs/deploy.md "Background tasks").
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (stricter on reader pages than in the Wagtail admin) and Permissions-Policy.
    "intranet.middleware.ContentSecurityPolicyMiddleware",
    "intranet.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "faggruppe_pages.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The whole intranet requires login (Wagtail's admin guards its own URLs).
    "faggruppe_pages.middleware.IntranetLoginRequiredMiddleware",
    # A cached reader page is served here, before Wagtail routes the request (docs/caching.md).
    "faggruppe_pages.reader.cache.ReaderCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin views that only staff may open (faggruppe_pages/admin/access.py).
    "faggruppe_pages.admin.access.StaffOnlyAdminViewsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a login refused by the throttle (intranet.login_throttle) into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Wagtail's page routing in one query (faggruppe_pages/routing.py).
    "faggruppe_pages.middleware.RouteInOneQueryMiddleware",
    # Last, so it sees a view's exception first: malformed ids answer 400, not 500.
    "faggruppe_pages.middleware.MalformedInputMiddleware",
]

ROOT_URLCONF = "intranet.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "intranet.wsgi.application"

# SQLite is the embedded default; set DATABASE_URL for PostgreSQL,
# e.g. postgres://user:password@127.0.0.1:5432/intranet
# Persistent connections by default (a new PostgreSQL connection per request cost the trivial view 6x its
# throughput, issue 16), checked before reuse so a restarted database costs one failed check, not a 500.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name + address before any password is checked (django-axes). Its
    # AxesBackend (not AxesStandaloneBackend) also loads users: Wagtail's test helpers log in with the
    # first backend. It never accepts a password itself; ModelBackend below does.
    # Users are loaded with "holds any right?" in the same query (intranet/auth_backends.py).
    "intranet.auth_backends.AxesBackend",
    # Refuses every password when FAGGRUPPE_PASSWORD_LOGIN is off, whichever form sent it (intranet/accounts.py).
    "intranet.accounts.PasswordLoginSwitch",
    "intranet.auth_backends.ModelBackend",
    # Single sign-on: answers only the OpenID Connect callback, and nothing while OIDC is not configured.
    "intranet.oidc.backend.PortalOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous object permissions: the intranet requires login everywhere.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Language: Norwegian Bokmål is the default, Nynorsk second, English available.
LANGUAGE_CODE = "nb"
# English dates as in Norway (25.10.2025, not 10/25/2025): site/intranet/formats/en/formats.py.
FORMAT_MODULE_PATH = ["intranet.formats"]
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The site's own strings, then the add-on's Bokmål corrections and Nynorsk translation of Wagtail's admin
# (Wagtail ships no nn; scripts/wagtail_catalogue.py). LOCALE_PATHS win over the apps' catalogues, also in
# the admin's JavaScript catalogue, which reads only wagtail.admin's own directory and these.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "faggruppe_pages" / "wagtail_locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "faggrupper@ror-ikt.no")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Django's default cache, and the reader pages' own (faggruppe_pages/reader/cache.py, docs/caching.md): local
# memory per process by default; CACHE_URL=redis://… puts both in Redis, shared by every app server.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "reader_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reader-pages"},
}
if os.environ.get("CACHE_URL", "").startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]},
        "reader_pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": "pages",
        },
    }

# Background tasks (django-tasks). "default" runs a task at once, in the caller (Wagtail's own tasks: search and
# reference index updates stay as they were); "background" keeps tasks in the database (no extra server) for
# `manage.py db_worker --backend background` (the large whole-overview exports; docs/deploy.md).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# The add-on's own settings: what each means and its default are in faggruppe_pages/conf.py (the one place a
# default is written). Set from the environment only when given there: review interval, reminder pacing and
# language, and the retention of personal data (docs/privacy.md).
for _name in (
    "FAGGRUPPE_REVIEW_INTERVAL_DAYS",
    "FAGGRUPPE_REMINDER_REPEAT_DAYS",
    "FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS",
    "FAGGRUPPE_CONTACT_RETENTION_DAYS",
    "FAGGRUPPE_PERSON_RETENTION_YEARS",
    "FAGGRUPPE_READER_CACHE_SECONDS",
    "FAGGRUPPE_EXPORT_INLINE_MAX_SEATS",
    "FAGGRUPPE_PDF_PART_GROUPS",
    "FAGGRUPPE_PDF_PROCESSES",
):
    if os.environ.get(_name):
        globals()[_name] = int(os.environ[_name])
if os.environ.get("FAGGRUPPE_EMAIL_LANGUAGE"):
    FAGGRUPPE_EMAIL_LANGUAGE = os.environ["FAGGRUPPE_EMAIL_LANGUAGE"]

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "ROR-IKT intranett")
# One login page: the admin sends anonymous visitors to the site's /logg-inn/ (keeping ?next=), and its
# logout lands there too (intranet/accounts.py).
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
# The admin's login form with a translated "Password" label (Wagtail's leaves it English).
WAGTAILADMIN_USER_LOGIN_FORM = "faggruppe_pages.admin.forms.AdminLoginForm"
# Dates in the admin: shown and typed as dd.mm.åååå (faggruppe_pages/admin/dates.py).
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# On PostgreSQL the database backend is PostgreSQL's full text search: Norwegian stemming and stop words (docs/
# search.md; after changing it, run `manage.py update_index`). SQLite's FTS5 has no such option.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "norwegian"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# -- Login throttling (django-axes; docs/deploy.md "Login throttling") ---------------------------------------
# After FAGGRUPPE_LOGIN_FAILURE_LIMIT failed logins for one user name from one address, that combination
# (and only it: the same name from another address, or another name from the same address, still works)
# is refused for FAGGRUPPE_LOGIN_COOLOFF_MINUTES, on the site login (/logg-inn/) and the admin login alike.
# Refused attempts during the lockout do not extend it, so "wait 15 minutes" on the lockout page is true.
FAGGRUPPE_LOGIN_FAILURE_LIMIT = int(os.environ.get("FAGGRUPPE_LOGIN_FAILURE_LIMIT", "5"))
FAGGRUPPE_LOGIN_COOLOFF_MINUTES = max(1, int(os.environ.get("FAGGRUPPE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_ENABLED = env_bool("FAGGRUPPE_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = FAGGRUPPE_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=FAGGRUPPE_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "intranet.login_throttle.views.lockout"
# No row per successful login (django-axes' AccessLog would grow for ever with personal data); failures are
# kept only while they count (AccessAttempt, cleaned after the cool-off) and logged as warnings.
AXES_DISABLE_ACCESS_LOG = True
# Failed logins are logged (WARNING, logger "axes") with user name and address, so operators see attacks;
# passwords never (django-axes always masks them).
AXES_SENSITIVE_PARAMETERS = []


def client_address_settings(proxy_count, header="HTTP_X_FORWARDED_FOR"):
    """django-ipware settings (as django-axes reads them) for ``proxy_count`` reverse proxies in front.

    0: the client talks to gunicorn directly, its address is REMOTE_ADDR. N > 0: every proxy appends the
    address it received the request from to ``header`` (nginx: ``$proxy_add_x_forwarded_for``), so the
    client is the N-th entry from the right; entries further left were sent by the client and are ignored.
    ipware counts only the proxies after the client's entry (N - 1) and, not strict, allows entries
    before it. Without the header (a request that bypassed the proxies) REMOTE_ADDR is used.
    """
    if proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (header, "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "IPWARE_STRICT": False,
    }


FAGGRUPPE_PROXY_COUNT = int(os.environ.get("FAGGRUPPE_PROXY_COUNT", "0"))
FAGGRUPPE_CLIENT_IP_HEADER = os.environ.get("FAGGRUPPE_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
globals().update(client_address_settings(FAGGRUPPE_PROXY_COUNT, FAGGRUPPE_CLIENT_IP_HEADER))

# -- Single sign-on (OpenID Connect; intranet/oidc/, docs/deploy.md "Single sign-on") ------------------------
# Off unless OIDC_ISSUER (or OIDC_OP_AUTHORIZATION_ENDPOINT) and OIDC_RP_CLIENT_ID are set. The endpoints come from
# <OIDC_ISSUER>/.well-known/openid-configuration, read at the first login and kept in the process; an OIDC_OP_*
# variable overrides the discovered value. Authorization code flow with PKCE, state and nonce; the id_token's
# signature (JWKS), expiry, audience, issuer and tenant are checked.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
for _name in (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_OP_LOGOUT_ENDPOINT",
):
    globals()[_name] = os.environ.get(_name, "")
# A multi-tenant Entra app accepts any organisation's accounts: these allow-lists say whose (comma lists).
OIDC_ALLOWED_ISSUERS = env_list("OIDC_ALLOWED_ISSUERS")
OIDC_ALLOWED_TENANTS = env_list("OIDC_ALLOWED_TENANTS")
# Extra parameters of the authorization request, e.g. Ansattporten's acr_values ("substantial", "high", "entraid").
if os.environ.get("OIDC_ACR_VALUES"):
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": os.environ["OIDC_ACR_VALUES"]}
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
# Kept in the session for the provider logout's id_token_hint (/logg-ut/).
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
# How far the provider's clock may be ahead or behind when the id_token's times are checked.
OIDC_CLOCK_SKEW_SECONDS = int(os.environ.get("OIDC_CLOCK_SKEW_SECONDS", "60"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
# The login button's text (default: "Logg inn med kommunens konto", translated).
FAGGRUPPE_OIDC_LOGIN_LABEL = os.environ.get("FAGGRUPPE_OIDC_LOGIN_LABEL", "")
# A session begun with single sign-on ends after this many hours (a working day), so names and the rights from the
# directory's groups, applied at login, are never older than that: a representative the directory removed loses the
# rights at the latest the next morning. The login again is one click (the provider usually remembers the user).
FAGGRUPPE_OIDC_SESSION_HOURS = max(1, int(os.environ.get("FAGGRUPPE_OIDC_SESSION_HOURS", "10")))
# Off: no password form on /logg-inn/, and every password login is refused (the demo keeps it on).
FAGGRUPPE_PASSWORD_LOGIN = env_bool("FAGGRUPPE_PASSWORD_LOGIN", True)
# A single sign-on callback is no password attempt: django-axes neither throttles nor counts it.
AXES_WHITELIST_CALLABLE = "intranet.oidc.backend.login_throttle_exempt"

# -- Security headers ----------------------------------------------------------------------------------------
# Content-Security-Policy (django-csp 4; intranet.middleware.ContentSecurityPolicyMiddleware). Reader pages
# get exactly this: only the site's own scripts, styles, images and fonts, no inline script or style, no
# plugins, no framing by other sites. The Wagtail admin (/admin/) gets ADMIN_CSP_RELAXATIONS on top.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the blank favicon (<link rel="icon" href="data:,">) and SVG icons drawn from data URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's page preview is an iframe of the site itself; nobody else may frame us.
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
}
# What the Wagtail admin needs on top of CONTENT_SECURITY_POLICY (tests/browser/test_csp.py finds it out):
ADMIN_CSP_RELAXATIONS = {
    # Wagtail 8's form widgets start themselves with an inline <script> next to the field (date and
    # date-time pickers, page and snippet choosers, InlinePanel), and its modals (choosers, scheduling)
    # run the inline scripts of the HTML they load through jQuery. These scripts carry no nonce and vary
    # per field, so neither nonces nor hashes can allow them: the admin needs 'unsafe-inline' for
    # scripts. Still no 'unsafe-eval', no other origin, and no inline styles: the admin needs none.
    "script-src": [UNSAFE_INLINE],
}

# Permissions-Policy (intranet.middleware.PermissionsPolicyMiddleware): no page here uses these features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}
