"""The single sign-on backend: mozilla-django-oidc's code flow (PKCE, state, nonce, JWKS signature, expiry), extended
through its documented extension points with what the portal needs.

- The token's issuer must be the configured one (or on ``OIDC_ALLOWED_ISSUERS``), its tenant (``tid``) on
  ``OIDC_ALLOWED_TENANTS`` when that is set, and its audience this client: a multi-tenant Entra app would otherwise
  accept any organisation's employees.
- A user is found by the identity (issuer, subject) only; the first login creates the user and links the Person
  with the same verified work e-mail (only when exactly one matches and it has no user yet).
- Name and e-mail are refreshed at every login, written only when they changed.
- Directory groups give rights (``rights``).

A refusal is never an exception out of ``authenticate``: the reason is left on the request (``oidc_refusal``), in
Norwegian for the login page, and logged. ``login_throttle_exempt`` keeps django-axes from counting a refused
single sign-on as a failed password (nobody guesses a password here; the provider throttles its own login).
"""

import logging
import re

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from faggruppe_pages.models import Person
from faggruppe_pages.permissions import LoadsGrants
from intranet.oidc import provider
from intranet.oidc.models import OidcIdentity
from intranet.oidc.rights import apply_directory_groups

logger = logging.getLogger(__name__)

#: The credentials only the single sign-on callback passes to ``authenticate`` (a password form never does).
CALLBACK_CREDENTIALS = {"nonce", "code_verifier"}

REFUSED_GENERIC = _(
    "Logging in with your municipality account did not succeed. Try again, or contact the editorial staff "
    "(Redaksjon) if it keeps happening."
)
REFUSED_ORGANISATION = _(
    "Your account belongs to an organisation that may not log in to this intranet. Log in with the account "
    "your municipality gave you, or contact the editorial staff (Redaksjon)."
)
RIGHTS_UNREADABLE = _(
    "You are logged in, but your rights could not be read from your municipality's directory (you are in too "
    "many groups). Until this is fixed you have no editing rights. Contact the editorial staff (Redaksjon)."
)

#: Profile claims the userinfo endpoint may fill in when the id_token lacks them (never sub, groups or tid).
PROFILE_CLAIMS = ("name", "given_name", "family_name", "email", "email_verified", "preferred_username")


class LoginRefused(Exception):
    def __init__(self, message, reason):
        super().__init__(reason)
        self.message = message


def login_throttle_exempt(request, credentials=None):
    """django-axes' ``AXES_WHITELIST_CALLABLE``: a single sign-on callback is no password attempt."""
    return bool(credentials) and CALLBACK_CREDENTIALS <= set(credentials) and "password" not in credentials


def is_callback(credentials):
    return CALLBACK_CREDENTIALS <= set(credentials) and not {"username", "password"} & set(credentials)


def email_verified(claims):
    """The provider vouches for the e-mail: ``email_verified`` (standard) or Entra's ``xms_edov`` optional claim."""
    for key in ("email_verified", "xms_edov"):
        value = claims.get(key)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


class PortalOIDCBackend(LoadsGrants, OIDCAuthenticationBackend):
    """Settings are read when used (not at start), so the backend can sit in AUTHENTICATION_BACKENDS while single
    sign-on is off: it then answers no credentials at all. A session it logged in loads its user with the rights
    question answered (LoadsGrants), and only while the user is active (mozilla-django-oidc's own get_user does
    not ask)."""

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc's __init__ reads every endpoint from settings; ours come from discovery, lazily.
        self.UserModel = get_user_model()

    OIDC_RP_CLIENT_ID = property(lambda self: self.get_settings("OIDC_RP_CLIENT_ID", ""))
    OIDC_RP_CLIENT_SECRET = property(lambda self: self.get_settings("OIDC_RP_CLIENT_SECRET", ""))
    OIDC_RP_SIGN_ALGO = property(lambda self: self.get_settings("OIDC_RP_SIGN_ALGO", "RS256"))
    OIDC_RP_IDP_SIGN_KEY = property(lambda self: self.get_settings("OIDC_RP_IDP_SIGN_KEY", None))
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider.endpoint("token_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider.endpoint("jwks_uri"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider.endpoint("userinfo_endpoint", required=False))

    # -- the flow ------------------------------------------------------------------------------------------------
    def authenticate(self, request, **kwargs):
        if request is None or not is_callback(kwargs) or not provider.enabled():
            return None
        request.oidc_refusal = None
        request.oidc_notices = []
        try:
            return super().authenticate(request, **kwargs)
        except LoginRefused as refusal:
            logger.warning("Single sign-on refused: %s", refusal)
            request.oidc_refusal = refusal.message
        except (
            SuspiciousOperation,
            PermissionDenied,
            jwt.InvalidTokenError,
            requests.RequestException,
            provider.ProviderUnavailable,
            KeyError,
            TypeError,
            ValueError,
            IntegrityError,  # the same new user name taken at the same moment: the next try works
        ) as error:
            logger.warning("Single sign-on failed: %s: %s", type(error).__name__, error)
            request.oidc_refusal = REFUSED_GENERIC
        return None

    def verify_token(self, token, **kwargs):
        """The library checks signature (JWKS), expiry and nonce; then issuer, tenant and audience here."""
        payload = super().verify_token(token, **kwargs)
        self.check_audience(payload)
        self.check_issuer(payload)
        return payload

    def get_payload_data(self, token, key):
        """PyJWT's check of the signature, expiry and audience, as the library does it, plus a small allowance for
        the provider's clock (PyJWT refuses a token "issued in the future" by even one second) and the claims an
        id_token must have. Never an unsigned token (the library's OIDC_ALLOW_UNSECURED_JWT is not honoured)."""
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"token algorithm {algorithm!r} is not {self.OIDC_RP_SIGN_ALGO!r}")
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=self.OIDC_RP_CLIENT_ID,
            leeway=self.get_settings("OIDC_CLOCK_SKEW_SECONDS", 60),
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )

    def check_audience(self, payload):
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        client_id = self.OIDC_RP_CLIENT_ID
        if client_id not in audiences or (len(audiences) > 1 and payload.get("azp") != client_id):
            raise LoginRefused(REFUSED_GENERIC, f"token audience {audiences!r} is not this client")

    def check_issuer(self, payload):
        issuer = str(payload.get("iss") or "").rstrip("/")
        tenant = payload.get("tid")
        allowed_issuers = [i.rstrip("/") for i in self.get_settings("OIDC_ALLOWED_ISSUERS", [])]
        if allowed_issuers:
            issuer_ok = issuer in allowed_issuers
        else:
            issuer_ok = issuer == provider.expected_issuer(tenant)
        if not issuer_ok:
            raise LoginRefused(REFUSED_ORGANISATION, f"issuer {issuer!r} is not allowed (tenant {tenant!r})")
        allowed_tenants = self.get_settings("OIDC_ALLOWED_TENANTS", [])
        if allowed_tenants and str(tenant) not in allowed_tenants:
            raise LoginRefused(REFUSED_ORGANISATION, f"tenant {tenant!r} is not allowed (issuer {issuer!r})")

    def get_userinfo(self, access_token, id_token, payload):
        """The id_token's claims; the userinfo endpoint only fills in missing profile claims (one request, and only
        when the token lacks a name or e-mail). Rights (groups) and identity come from the signed id_token alone."""
        claims = dict(payload)
        if ("email" in claims and "name" in claims) or not access_token or not self.OIDC_OP_USER_ENDPOINT:
            return claims
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            raise LoginRefused(REFUSED_GENERIC, "userinfo is about another subject")
        for key in PROFILE_CLAIMS:
            if key not in claims and key in info:
                claims[key] = info[key]
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and bool(claims.get("iss"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise LoginRefused(REFUSED_GENERIC, "the token has no subject or issuer")
        issuer, subject = str(claims["iss"]).rstrip("/"), str(claims["sub"])
        with transaction.atomic():
            identity = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
            if identity is None:
                user = self.create_user(claims)
                try:
                    with transaction.atomic():
                        OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
                except IntegrityError as error:  # the same person's first login twice at once
                    raise LoginRefused(REFUSED_GENERIC, "identity created concurrently") from error
            else:
                user = self.update_user(identity.user, claims)
            if not user.is_active:
                raise LoginRefused(REFUSED_GENERIC, f"user {user.pk} is deactivated")
            link_person(user, claims)
            if apply_directory_groups(user, claims).unreadable:
                self.request.oidc_notices.append(RIGHTS_UNREADABLE)
        return user

    # -- the user ------------------------------------------------------------------------------------------------
    def create_user(self, claims):
        user = self.UserModel(username=unique_username(claims), **profile_fields(claims))
        user.set_unusable_password()
        user.save()
        logger.info("Single sign-on created user %s for %s @ %s", user.username, claims["sub"], claims["iss"])
        return user

    def update_user(self, user, claims):
        changed = [field for field, value in profile_fields(claims).items() if getattr(user, field) != value]
        if changed:
            for field in changed:
                setattr(user, field, profile_fields(claims)[field])
            user.save(update_fields=changed)
        return user

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    # Permissions are ModelBackend's and guardian's business (both in AUTHENTICATION_BACKENDS already).
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def profile_fields(claims):
    """first_name, last_name and email from the claims, cut to the fields' lengths."""
    User = get_user_model()
    given, family = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (given or family):
        name = (claims.get("name") or "").strip()
        given, _sep, family = name.rpartition(" ") if " " in name else (name, "", "")
    email = (claims.get("email") or "").strip()
    return {
        "first_name": given.strip()[: User._meta.get_field("first_name").max_length],
        "last_name": family.strip()[: User._meta.get_field("last_name").max_length],
        "email": email[: User._meta.get_field("email").max_length],
    }


def unique_username(claims):
    """A readable, unique user name: the e-mail's local part (or the name), letters, digits and ._- only; "-2",
    "-3" … when taken. Only a label: the user is found by (issuer, subject), never by this name."""
    User = get_user_model()
    source = (claims.get("email") or "").partition("@")[0] or claims.get("preferred_username") or claims.get("name")
    base = re.sub(r"[^a-z0-9._-]+", "-", str(source or "").lower()).strip("-._")[:100] or "bruker"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def link_person(user, claims):
    """Link the Person with the user's verified work e-mail: only one may match and it must have no user yet.
    Saved through Person.save, so the person's group pages give the user editing rights at once (upkeep/signals)."""
    if Person.objects.filter(user=user).exists():
        return None
    email = (claims.get("email") or "").strip()
    if not email or not email_verified(claims):
        return None
    matches = list(Person.objects.filter(email__iexact=email, anonymised_at__isnull=True)[:2])
    if len(matches) != 1 or matches[0].user_id is not None:
        if matches:
            logger.info("Single sign-on: no Person linked for user %s (%d match(es) or linked)", user.pk, len(matches))
        return None
    person = matches[0]
    person.user = user
    person.save(update_fields=["user"])
    return person
