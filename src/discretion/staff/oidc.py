"""Optional single sign-on through the council's directory (OpenID Connect, mozilla-django-oidc).

Off unless `DISCRETION_OIDC_ISSUER` is set (docs/oidc.md). The rules, from policy 1.2 (every
account is personal, created and given a role by the council) and UK GDPR Art 32:

- Never create an account. A directory user signs in only to an EXISTING personal account:
  the one already linked to their `sub` at this issuer, or on first use the one account whose
  e-mail matches, which is then linked to that `sub` for good. A later e-mail match for an
  account linked to another `sub` (an address re-used in the directory) is refused.
- Unknown, ambiguous, inactive, ended and locked-out accounts are refused with a GOV.UK
  message and audited (`auth.sso_refused`, or `auth.locked_out`).
- The council's own multi-factor sign-in counts as the second factor only when
  `DISCRETION_OIDC_TRUST_IDP_MFA` is on and the signed ID token says so (`amr`/`acr`);
  otherwise the member of staff still enters their authenticator code.
- The ID token's issuer and audience are checked here (the library checks the signature,
  expiry and nonce, but not those two).

The link between a directory `sub` and an account is kept in the audit chain itself
(`auth.sso_linked` events): it is append-only and tamper-evident, and needs no new table.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped, unused-ignore]
from mozilla_django_oidc.utils import import_from_settings  # type: ignore[import-untyped, unused-ignore]
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView  # type: ignore[import-untyped, unused-ignore]

import requests
from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.staff import security
from discretion.staff.forms import SignInForm
from discretion.staff.models import Staff
from discretion.staff.services import StaffBackend

LOGGER = logging.getLogger(__name__)

LINKED = "auth.sso_linked"
UNLINKED = "auth.sso_unlinked"
REFUSED = "auth.sso_refused"
BACKEND_PATH = security.OIDC_BACKEND_PATH
# The session of a sign-in whose second factor the council's directory vouched for.
IDP_MFA_BACKEND_PATH = security.IDP_MFA_BACKEND_PATH

# What this service always uses, whatever else is configured: the code flow with PKCE and a
# nonce, RS256 ID tokens from the provider's published keys, and no account creation.
_FIXED: dict[str, object] = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": "web:oidc-callback",
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
}
_DEFAULTS: dict[str, object] = {
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_TIMEOUT": 10,
    "LOGIN_REDIRECT_URL_FAILURE": "web:sign-in",
}

MESSAGES = {
    "no_account": "There is no Discretion account for your council account. "
    "Ask your manager to request one from the IT service desk",
    "ambiguous": "More than one Discretion account has your e-mail address. "
    "Contact the IT service desk, or sign in with your username and password",
    "linked_to_other": "Your e-mail address belongs to a Discretion account that is linked to a "
    "different council account. Contact the IT service desk",
    "email_unverified": "Your council account's e-mail address is not verified. Contact the IT service desk",
    "inactive": "Your Discretion account is not active. Contact your manager or the IT service desk",
    "locked_out": "Your account is locked because of too many failed sign-in attempts. "
    "Try again later, or contact the IT service desk",
    "provider_error": "We could not sign you in with your council account. "
    "Try again, or sign in with your username and password",
}


def enabled() -> bool:
    return bool(getattr(settings, "DISCRETION_OIDC_ISSUER", ""))


def issuer() -> str:
    return str(getattr(settings, "DISCRETION_OIDC_ISSUER", "")).rstrip("/")


def _setting(name: str, *default: Any) -> Any:
    if name in _FIXED:
        return _FIXED[name]
    if not hasattr(settings, name) and name in _DEFAULTS:
        return _DEFAULTS[name]
    return import_from_settings(name, *default)


# --- multi-factor: does the directory's sign-in count as the second factor? ---------------------


def idp_mfa_satisfies(id_claims: dict[str, Any]) -> bool:
    """True only when the council trusts its directory's MFA (a setting, off by default) and
    the signed ID token says MFA was used: an `amr` value or the `acr` in the trusted lists.
    Userinfo is not signed, so only ID token claims count."""
    if not getattr(settings, "DISCRETION_OIDC_TRUST_IDP_MFA", False):
        return False
    amr = id_claims.get("amr") or []
    amr_values = {amr} if isinstance(amr, str) else {str(v) for v in amr}
    trusted_amr = set(getattr(settings, "DISCRETION_OIDC_MFA_AMR", ["mfa"]))
    trusted_acr = set(getattr(settings, "DISCRETION_OIDC_MFA_ACR", []))
    return bool(amr_values & trusted_amr) or str(id_claims.get("acr", "")) in trusted_acr


# --- account linking ---------------------------------------------------------------------------


class Refusal(Exception):
    """A council sign-in this service will not accept; `reason` is a key of MESSAGES."""

    def __init__(self, reason: str, staff_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.staff_id = staff_id

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def _link_events(**filters: Any) -> list[tuple[AuditEvent, dict[str, Any]]]:
    events = AuditEvent.objects.filter(action__in=(LINKED, UNLINKED), object_type="staff", **filters)
    return [(e, json.loads(e.details or "{}")) for e in events.order_by("id")]


def current_link(staff_id: int) -> tuple[str, str] | None:
    """(issuer, sub) this account is linked to now, from its latest link or unlink event."""
    events = _link_events(object_id=str(staff_id))
    if not events:
        return None
    event, details = events[-1]
    if event.action == UNLINKED:
        return None
    return str(details.get("issuer", "")), str(details.get("sub", ""))


def staff_for_subject(iss: str, sub: str) -> Staff | None:
    """The account linked to this directory user, if any."""
    # Canonical audit details are compact JSON, so the sub appears exactly like this.
    needle = '"sub":' + json.dumps(sub, ensure_ascii=False)
    for event, details in reversed(_link_events(action=LINKED, details__contains=needle)):
        if details.get("issuer") == iss and details.get("sub") == sub:
            staff_id = int(event.object_id)
            if current_link(staff_id) == (iss, sub):
                return Staff.objects.filter(pk=staff_id).first()
    return None


def match_account(iss: str, claims: dict[str, Any]) -> Staff:
    """The existing account for these verified claims, linking it on first use; or Refusal."""
    sub = str(claims.get("sub", ""))
    linked = staff_for_subject(iss, sub)
    if linked is not None:
        return linked
    email = str(claims.get("email") or "").strip()
    if not email:
        raise Refusal("no_account")
    if claims.get("email_verified") is False:
        raise Refusal("email_unverified")
    found = list(Staff.objects.filter(email__iexact=email)[:2])
    if not found:
        raise Refusal("no_account")
    if len(found) > 1:
        raise Refusal("ambiguous")
    staff = found[0]
    existing = current_link(staff.pk)
    if existing is not None and existing != (iss, sub):
        raise Refusal("linked_to_other", staff.pk)
    audit.record(
        staff.pk,
        LINKED,
        object_type="staff",
        object_id=staff.pk,
        details={"issuer": iss, "sub": sub, "email": email},
    )
    return staff


def unlink(actor: Staff, staff_id: int, *, reason: str) -> None:
    """Information governance or an administrator removes a link (e.g. made to the wrong
    directory user); the next council sign-in links by e-mail again."""
    security.require_account_admin(actor, staff_id, reason)
    link = current_link(staff_id)
    if link is None:
        return
    audit.record(
        actor.pk,
        UNLINKED,
        object_type="staff",
        object_id=staff_id,
        reason=reason.strip(),
        details={"issuer": link[0], "sub": link[1]},
    )


def _account_refusal(request: HttpRequest, staff: Staff) -> Refusal | None:
    if not staff.is_active or staff.has_ended():
        return Refusal("inactive", staff.pk)
    from axes.handlers.proxy import AxesProxyHandler

    if AxesProxyHandler.is_locked(request, credentials={"username": staff.username}):
        return Refusal("locked_out", staff.pk)
    return None


def _audit_refusal(request: HttpRequest, refusal: Refusal, claims: dict[str, Any]) -> None:
    if refusal.reason == "locked_out":
        audit.record(
            refusal.staff_id,
            "auth.locked_out",
            object_type="staff",
            object_id=refusal.staff_id or "",
            details={"known_account": True, "method": "oidc"},
        )
        return
    audit.record(
        refusal.staff_id,
        REFUSED,
        object_type="staff",
        object_id=refusal.staff_id or "",
        details={
            "reason": refusal.reason,
            "issuer": issuer(),
            "sub": str(claims.get("sub", "")),
            "email": str(claims.get("email", "")),
            "ip": request.META.get("REMOTE_ADDR", ""),
        },
    )


# --- the authentication backends -----------------------------------------------------------------


class CouncilOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # the library ships no types
    """The code flow of mozilla-django-oidc, with this service's account rules."""

    get_settings = staticmethod(_setting)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if _setting("OIDC_RP_CLIENT_ID") not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token without a subject")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Staff | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", "")) != str(payload["sub"]):
            # OpenID Connect Core 5.3.2: userinfo for another subject must not be used.
            raise SuspiciousOperation("userinfo is about another subject")
        claims = {**userinfo, **payload}
        request: HttpRequest = self.request
        try:
            staff = match_account(issuer(), claims)
            refusal = _account_refusal(request, staff)
            if refusal is not None:
                raise refusal
        except Refusal as refused:
            request.discretion_sso_refusal = refused  # type: ignore[attr-defined]
            _audit_refusal(request, refused, claims)
            return None
        request.discretion_idp_mfa = idp_mfa_satisfies(payload)  # type: ignore[attr-defined]
        if request.discretion_idp_mfa:  # type: ignore[attr-defined]
            audit.record(
                staff.pk,
                "auth.idp_mfa_accepted",
                object_type="staff",
                object_id=staff.pk,
                details={"amr": payload.get("amr") or [], "acr": str(payload.get("acr", ""))},
            )
        return staff

    def get_user(self, user_id: int) -> Staff | None:
        # The same rules as password sessions: inactive and ended accounts lose their session.
        user = StaffBackend().get_user(user_id)
        return user if isinstance(user, Staff) else None


class IdPVerifiedBackend(StaffBackend):
    """Signs no one in. A session stored with this backend came from a council sign-in whose
    MFA this service trusts, so its user counts as past the second step (security.is_verified)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None

    def get_user(self, user_id: int) -> Any:
        user = super().get_user(user_id)
        if user is not None:
            user.discretion_idp_mfa = True  # type: ignore[attr-defined]  # read by security.is_verified
        return user


# --- views -------------------------------------------------------------------------------------


def refused_page(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    context = {"form": SignInForm(request), "error": message, "next": ""}
    return render(request, "web/sign_in.html", context, status=status)


class SignInWithCouncilAccount(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Starts the code flow: to the council's directory, with state, nonce and PKCE."""

    get_settings = staticmethod(_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured")
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads its settings here; unconfigured, the view only answers 404.
        if enabled():
            super().__init__(*args, **kwargs)
        else:
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)


class CouncilAccountCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The directory's redirect back: the library exchanges the code and checks the ID token;
    our backend applies the account rules; Django's login starts the session (audited as
    auth.sign_in by web.signals, with method "oidc")."""

    get_settings = staticmethod(_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured")
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError, KeyError) as exc:
            LOGGER.warning("council sign-in failed: %s", exc)
            audit.record(
                None,
                REFUSED,
                object_type="staff",
                details={"reason": "provider_error", "issuer": issuer(), "error": type(exc).__name__},
            )
            return refused_page(request, MESSAGES["provider_error"], status=400)
        return response

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, "discretion_sso_refusal", None)
        if isinstance(refusal, Refusal):
            return refused_page(self.request, refusal.message, status=403)
        # The directory's own error, or a sign-in the library rejected (e.g. userinfo about
        # another subject, or an unknown state): audited, and the same message for the person.
        audit.record(
            None,
            REFUSED,
            object_type="staff",
            details={
                "reason": "provider_error",
                "issuer": issuer(),
                "error": str(self.request.GET.get("error") or "rejected"),
            },
        )
        return refused_page(self.request, MESSAGES["provider_error"], status=400)

    def login_success(self) -> HttpResponse:
        from urllib.parse import urlencode

        if getattr(self.request, "discretion_idp_mfa", False):
            self.user.backend = IDP_MFA_BACKEND_PATH
            self.user.discretion_idp_mfa = True
        # Always a fresh login: a new session key and an auth.sign_in event, so the
        # one-session rule and the misuse signals see a council sign-in like any other.
        auth.login(self.request, self.user)
        next_url = self.success_url
        if security.needs_two_factor(self.user):
            return HttpResponseRedirect(reverse("web:two-factor") + "?" + urlencode({"next": next_url}))
        return HttpResponseRedirect(next_url)


# --- configuration helper ----------------------------------------------------------------------


def discover(issuer_url: str) -> dict[str, str]:
    """The environment variables for an issuer, from its discovery document (docs/oidc.md)."""
    url = issuer_url.rstrip("/") + "/.well-known/openid-configuration"
    document = requests.get(url, timeout=10).json()
    return {
        "DISCRETION_OIDC_ISSUER": str(document["issuer"]),
        "DISCRETION_OIDC_AUTHORIZATION_ENDPOINT": str(document["authorization_endpoint"]),
        "DISCRETION_OIDC_TOKEN_ENDPOINT": str(document["token_endpoint"]),
        "DISCRETION_OIDC_USERINFO_ENDPOINT": str(document["userinfo_endpoint"]),
        "DISCRETION_OIDC_JWKS_ENDPOINT": str(document["jwks_uri"]),
    }
