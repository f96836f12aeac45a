"""The OpenID Connect provider as configured: is single sign-on on, where are its endpoints.

Everything comes from settings read at call time (so ``override_settings`` works in tests). The endpoints come from
``<OIDC_ISSUER>/.well-known/openid-configuration``, fetched the first time a login needs them and kept in the
process; an explicit ``OIDC_OP_*`` setting overrides the discovered value.
"""

import logging
import threading

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: The discovery documents fetched in this process, by discovery URL.
_discovered = {}
_lock = threading.Lock()

#: Setting that overrides each discovery key.
ENDPOINT_SETTINGS = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
    "end_session_endpoint": "OIDC_OP_LOGOUT_ENDPOINT",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read (or lacks a required endpoint)."""


def issuer_setting():
    return (getattr(settings, "OIDC_ISSUER", "") or "").rstrip("/")


def enabled():
    """Single sign-on is on when a client id and an issuer (or explicit endpoints) are configured."""
    if not getattr(settings, "OIDC_RP_CLIENT_ID", ""):
        return False
    return bool(issuer_setting() or getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""))


def password_login_enabled():
    return bool(getattr(settings, "FAGGRUPPE_PASSWORD_LOGIN", True))


def login_label():
    return getattr(settings, "FAGGRUPPE_OIDC_LOGIN_LABEL", "") or _("Log in with your municipality account")


def discovery_url():
    return issuer_setting() + "/.well-known/openid-configuration"


def discovery():
    """The provider's discovery document ({} without OIDC_ISSUER); fetched once per process."""
    issuer = issuer_setting()
    if not issuer:
        return {}
    url = discovery_url()
    document = _discovered.get(url)
    if document is not None:
        return document
    with _lock:
        if url not in _discovered:
            try:
                response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as error:
                logger.warning("OpenID Connect discovery failed at %s: %s", url, error)
                raise ProviderUnavailable(str(error)) from error
            if not isinstance(document, dict):
                raise ProviderUnavailable("discovery document is not an object")
            _discovered[url] = document
    return _discovered[url]


def forget_discovery():
    """Fetch the discovery document again at the next login (tests; a provider that moved its endpoints)."""
    _discovered.clear()


def endpoint(key, required=True):
    """The provider's ``key`` endpoint (e.g. "token_endpoint"): the explicit setting, else the discovered one."""
    value = getattr(settings, ENDPOINT_SETTINGS[key], "") or discovery().get(key, "")
    if required and not value:
        raise ProviderUnavailable(f"no {key}")
    return value


def expected_issuer(tenant_id=None):
    """The ``iss`` a token must carry when no OIDC_ALLOWED_ISSUERS is set: the discovery document's issuer (or
    OIDC_ISSUER). Entra's multi-tenant endpoints say ``…/{tenantid}/v2.0``: the token's tenant fills it in."""
    issuer = discovery().get("issuer") or issuer_setting()
    if tenant_id and "{tenantid}" in issuer:
        issuer = issuer.replace("{tenantid}", str(tenant_id))
    return issuer.rstrip("/")


def logout_origins():
    """Origins the logout may redirect to (for the CSP's form-action): the issuer's and the end-session endpoint's,
    as far as known without a request to the provider."""
    if not enabled():
        return []
    from urllib.parse import urlsplit

    urls = [issuer_setting(), getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")]
    document = _discovered.get(discovery_url()) if issuer_setting() else None
    if document:
        urls.append(document.get("end_session_endpoint") or "")
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins
