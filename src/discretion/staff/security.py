"""Sign-in hardening (policy 1.2: every account is personal, and using someone else's account
or disclosing a password is misuse; UK GDPR Art 32: appropriate security of processing).

- Two-factor authentication: a TOTP authenticator app (django-otp) for every account, since
  every role can reach personal data. The first device is enrolled after the password.
- Lockout after repeated failed sign-ins (django-axes), per username and address.
- Idle sessions end; one active session per account unless a setting allows more.

One function per user action: rule, write, audit.
"""

from __future__ import annotations

import base64
import contextvars
import datetime as dt
from typing import Any
from urllib.parse import urlencode

import segno
from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.audit import services as audit
from discretion.audit.models import AuditEvent
from discretion.staff.forms import SignInForm
from discretion.staff.models import Role, Staff

DEVICE_NAME = "Authenticator app"
# Session keys: when the session was last used, and the audit seq of the sign-in that began it
# (for a session still at the second step, the latest complete sign-in before its password).
LAST_SEEN_KEY = "discretion_last_seen"
SIGN_IN_SEQ_KEY = "discretion_sign_in_seq"
# Set on a request during which the session's sign-in marker was written (read by the middleware).
MARKED_ATTR = "discretion_sign_in_marked"
# Audit actions: the first factor (a password, or a council sign-in) was accepted; the sign-in is
# complete (second factor passed, or trusted, or not required). Only a complete sign-in counts
# towards "a new sign-in ends the older session".
FIRST_FACTOR = "auth.first_factor_passed"
SIGN_IN = "auth.sign_in"
# The last-seen time is rewritten at most this often, so most requests do not write the session.
LAST_SEEN_GRANULARITY_SECONDS = 15


# Council single sign-on (oidc.py): the backends a session records when it began that way.
OIDC_BACKEND_PATH = "discretion.staff.oidc.CouncilOIDCBackend"
IDP_MFA_BACKEND_PATH = "discretion.staff.oidc.IdPVerifiedBackend"


# Synthetic demo only (`discretion demo`): one published authenticator secret for the demo accounts.
DEMO_TOTP_KEY_HEX = b"discretion-demo-2fa!".hex()


class InvalidCode(ValueError):
    """A code the user can correct; the message says how."""


# --- settings ---------------------------------------------------------------------------------


def two_factor_required() -> bool:
    return bool(getattr(settings, "DISCRETION_REQUIRE_2FA", True))


def idle_seconds() -> int:
    return int(getattr(settings, "DISCRETION_IDLE_MINUTES", 30)) * 60


def max_sessions() -> int:
    """Active sessions allowed per account; 0 means no limit."""
    return int(getattr(settings, "DISCRETION_MAX_SESSIONS", 1))


def lockout_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, dt.timedelta):
        return int(cool_off.total_seconds() // 60)
    return 30


# --- two-factor authentication ----------------------------------------------------------------


def is_verified(user: Any) -> bool:
    """True when this session has passed the two-factor step (set by django-otp's middleware),
    or came from a council sign-in whose MFA this service is configured to trust (oidc.py)."""
    if getattr(user, "discretion_idp_mfa", False) is True:
        return True
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def needs_two_factor(user: Any) -> bool:
    return two_factor_required() and bool(user.is_authenticated) and not is_verified(user)


def confirmed_device(staff: Staff) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=staff, confirmed=True).order_by("pk").first()


def has_device(staff: Staff) -> bool:
    return bool(TOTPDevice.objects.filter(user=staff, confirmed=True).exists())


def pending_device(staff: Staff) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret on every visit until confirmed."""
    device = TOTPDevice.objects.filter(user=staff, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=staff, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret people type into an authenticator app, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth URI, drawn here so the secret goes to no QR service."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app"
        )
    )


def _normalise(code: str) -> str:
    cleaned = "".join(code.split())
    if not cleaned:
        raise InvalidCode("Enter the 6-digit code from your authenticator app")
    if not cleaned.isdigit() or len(cleaned) != 6:
        raise InvalidCode("The code must be 6 digits")
    return cleaned


def _check(staff: Staff, device: TOTPDevice, code: str, *, step: str) -> None:
    """Verify a code against a device (locked, so throttling counts every attempt); audit either way."""
    token = _normalise(code)
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, why = locked.verify_is_allowed()
        ok = allowed and locked.verify_token(token)
        if ok:
            return
        audit.record(
            staff.pk,
            "auth.otp_failed",
            object_type="staff",
            object_id=staff.pk,
            details={"step": step, "throttled": not allowed},
        )
    if not allowed and why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        raise InvalidCode("Too many wrong codes. Wait a few seconds, then enter the current code")
    raise InvalidCode("The code is not correct. Enter the code your authenticator app shows now")


def confirm_device(staff: Staff, code: str) -> TOTPDevice:
    """The member of staff confirms a new authenticator app with a code from it; the device
    then counts for this session too. Only while they have no confirmed device: adding a
    second one needs a verified session, so a stolen password alone cannot enrol one."""
    if has_device(staff):
        raise InvalidCode("You already have an authenticator app. Enter the code it shows")
    device = pending_device(staff)
    _check(staff, device, code, step="set_up")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.refresh_from_db()
        audit.record(
            staff.pk,
            "auth.otp_device_added",
            object_type="staff",
            object_id=staff.pk,
            details={"device": device.pk},
        )
        audit.record(
            staff.pk,
            "auth.otp_verified",
            object_type="staff",
            object_id=staff.pk,
            details={"device": device.pk},
        )
    return device


def verify_code(staff: Staff, code: str) -> TOTPDevice:
    """The second sign-in step: a code from the member of staff's authenticator app."""
    device = confirmed_device(staff)
    if device is None:
        raise InvalidCode("Set up an authenticator app first")
    _check(staff, device, code, step="sign_in")
    device.refresh_from_db()
    audit.record(
        staff.pk, "auth.otp_verified", object_type="staff", object_id=staff.pk, details={"device": device.pk}
    )
    return device


def demo_secret() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


@transaction.atomic
def ensure_demo_devices(usernames: list[str], key_hex: str = DEMO_TOTP_KEY_HEX) -> int:
    """Synthetic demo only: give each demo account a confirmed device with one shared,
    published secret, so a reviewer can sign in. Never used for real accounts."""
    added = 0
    for staff in Staff.objects.filter(username__in=usernames):
        if not TOTPDevice.objects.filter(user=staff, confirmed=True).exists():
            TOTPDevice.objects.create(user=staff, name="Demo authenticator", key=key_hex, confirmed=True)
            added += 1
    return added


# --- the sign-in sequence --------------------------------------------------------------------


def record_first_step(request: HttpRequest | None, user: Any) -> None:
    """Django's login has run (web.signals): a password, or a council sign-in, was accepted.

    If the account still owes its second factor, only `auth.first_factor_passed` is recorded:
    it ends no one's session and leaves the lockout count as it is (a right password followed by
    wrong codes is still someone guessing). Otherwise the sign-in is complete now."""
    if request is None or not hasattr(request, "session"):
        audit.record(user.pk, SIGN_IN, object_type="staff", object_id=user.pk, details={"session": ""})
        return
    if needs_two_factor(user):
        audit.record(
            user.pk,
            FIRST_FACTOR,
            object_type="staff",
            object_id=user.pk,
            details={
                "session": audit.session_digest(request.session.session_key),
                "method": sign_in_method(request),
            },
        )
        _mark_session(request, latest_sign_in_seq(int(user.pk)))
        return
    second = "council" if getattr(user, "discretion_idp_mfa", False) is True else "not_required"
    complete_sign_in(request, user, second_factor=second, new_session_key=False)


def complete_sign_in(
    request: HttpRequest, staff: Any, *, second_factor: str, new_session_key: bool = True
) -> int:
    """The sign-in is complete: audited as `auth.sign_in`, which ends the account's older
    sessions (SessionLimitsMiddleware), and the lockout count for the account at this address
    starts again. A session that has just gained its second factor gets a new key (and CSRF
    token), as at any change of privilege. Returns the event's id (its accept order: known as soon
    as it is written, before the audit sequencer has given it its place in the chain)."""
    from django.middleware.csrf import rotate_token

    if new_session_key:
        request.session.cycle_key()
        rotate_token(request)
    details: dict[str, object] = {"session": audit.session_digest(request.session.session_key)}
    if sign_in_method(request) == "oidc":
        details["method"] = "oidc"
    details["second_factor"] = second_factor
    event = audit.record(staff.pk, SIGN_IN, object_type="staff", object_id=staff.pk, details=details)
    _mark_session(request, int(event.pk))
    _reset_failures(request, staff)
    return int(event.pk)


def _mark_session(request: HttpRequest, sign_in_seq: int) -> None:
    request.session[SIGN_IN_SEQ_KEY] = sign_in_seq
    request.session[LAST_SEEN_KEY] = now_seconds()
    setattr(request, MARKED_ATTR, True)


def _reset_failures(request: HttpRequest, staff: Any) -> None:
    # AXES_RESET_ON_SUCCESS is off (settings): django-axes would forget the failures at the
    # password step; they are forgotten here, once the second factor has passed.
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": staff.get_username()})


def second_factor_failed(request: HttpRequest, staff: Staff) -> bool:
    """A wrong code at the second step counts towards the lockout like a wrong password (it has
    been audited as `auth.otp_failed`). True when the account is now locked at this address."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.user_login_failed(
        sender=second_factor_failed, credentials={"username": staff.username}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def is_locked_out(request: HttpRequest, staff: Staff) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return bool(AxesProxyHandler.is_locked(request, credentials={"username": staff.username}))


def end_locked_sign_in(request: HttpRequest, staff: Staff) -> HttpResponse:
    """The account is locked at this address: the half-signed-in session ends, and the sign-in
    page says why (audited as auth.locked_out by `lockout_response`)."""
    from django.contrib.auth import logout

    username = staff.username
    logout(request)
    # Answered here; django-axes's middleware need not answer it again.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return lockout_response(request, credentials={"username": username})


def sign_in_method(request: HttpRequest | None) -> str:
    """'oidc' for a session begun through the council's directory, else 'password': for the
    auth.sign_in audit event (web.signals), read from the backend Django stored at login."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    session = getattr(request, "session", None)
    if session is None:
        return "password"
    backend = session.get(BACKEND_SESSION_KEY)
    return "oidc" if backend in (OIDC_BACKEND_PATH, IDP_MFA_BACKEND_PATH) else "password"


# --- lockout (django-axes) -------------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes ships no types
    """Refuses sign-in while the username is locked at this address. Authentication without
    a request (the command line, the test client's login) has no address to count, so it is
    passed on to the next backend; every web sign-in form passes its request. A council
    sign-in (oidc.py) has no username yet: its account's lock is checked once it is known,
    so one person's refused council sign-ins never lock everyone at the same address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None or username is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page with a GOV.UK error, for every attempt refused by the lockout; audited."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    staff_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(
        staff_id,
        "auth.locked_out",
        object_type="staff",
        object_id=staff_id or "",
        details={"known_account": staff_id is not None, "minutes": lockout_minutes()},
    )
    error = (
        f"Your account is locked because of too many failed sign-in attempts. "
        f"Try again in {lockout_minutes()} minutes, or contact the IT service desk"
    )
    form = SignInForm(request, initial={"username": username})
    context = {"form": form, "error": error, "next": request.POST.get("next", "")}
    return render(request, "web/sign_in.html", context, status=403)


# --- idle timeout and one session per account --------------------------------------------------


def latest_sign_in_seq(staff_id: int) -> int:
    """The id of the account's latest complete sign-in event (0 if none)."""
    seq = (
        AuditEvent.objects.filter(actor_id=staff_id, action=SIGN_IN)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return int(seq or 0)


def is_superseded(staff_id: int, sign_in_seq: int) -> bool:
    """A session is superseded when the account has completed a sign-in as often as allowed
    since (a password alone, or a council sign-in still waiting for its code, does not count)."""
    limit = max_sessions()
    if limit <= 0:
        return False
    newer = AuditEvent.objects.filter(actor_id=staff_id, action=SIGN_IN, id__gt=sign_in_seq)[:limit]
    return len(list(newer.values_list("id", flat=True))) >= limit


def now_seconds() -> float:
    return timezone.now().timestamp()


def is_idle(last_seen: float | None, now: float) -> bool:
    return last_seen is not None and now - last_seen > idle_seconds()


def record_session_ended(staff_id: int, why: str) -> None:
    """Audit a session the service ended: `auth.idle_timeout` or `auth.session_superseded`."""
    action = "auth.idle_timeout" if why == "idle" else "auth.session_superseded"
    details: dict[str, object] = (
        {"minutes": idle_seconds() // 60} if why == "idle" else {"max_sessions": max_sessions()}
    )
    audit.record(staff_id, action, object_type="staff", object_id=staff_id, details=details)


# --- authenticator reset (information governance or an administrator) --------------------------

# Roles that may reset another member of staff's authenticator or council sign-in link.
ACCOUNT_ADMIN_ROLES = frozenset({Role.IGO, Role.ADMIN})
# Set while reset_authenticator deletes devices, so the deletions are one audited reset.
_resetting: contextvars.ContextVar[bool] = contextvars.ContextVar("discretion_otp_reset", default=False)


class NotAllowed(PermissionError):
    """The actor may not do this; the message says why."""


def require_account_admin(actor: Staff, staff_id: int, reason: str) -> None:
    """Only information governance or an administrator, never for their own account (a stolen
    session must not be able to swap its owner's second factor), and always with a reason."""
    if actor.role not in ACCOUNT_ADMIN_ROLES:
        raise NotAllowed("Only information governance or an administrator can do this")
    if actor.pk == staff_id:
        raise NotAllowed("You cannot do this for your own account. Ask another administrator")
    if not reason.strip():
        raise InvalidCode("Enter the reason")


def reset_authenticator(actor: Staff, staff_id: int, *, reason: str) -> int:
    """Deletes the member of staff's authenticator apps, so their next sign-in (and any session
    they have now) must set one up again. Policy 1.2; UK GDPR Art 32. Returns devices removed."""
    require_account_admin(actor, staff_id, reason)
    target = Staff.objects.filter(pk=staff_id).first()
    if target is None:
        raise LookupError(staff_id)
    token = _resetting.set(True)
    try:
        with transaction.atomic():
            devices = list(TOTPDevice.objects.select_for_update().filter(user=target).order_by("pk"))
            ids = [int(d.pk) for d in devices]
            for device in devices:
                device.delete()
            audit.record(
                actor.pk,
                "auth.otp_device_reset",
                object_type="staff",
                object_id=target.pk,
                reason=reason.strip(),
                details={"devices": ids},
            )
            from discretion.staff.accounts import note_credential_reset

            note_credential_reset(actor, target.pk, what="second_factor")
    finally:
        _resetting.reset(token)
    return len(ids)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="discretion_audit_otp_device_deleted")
def audit_device_deleted(sender: type[TOTPDevice], instance: TOTPDevice, **kwargs: object) -> None:
    """Any other deletion of an authenticator (the Django admin, a shell) is audited too, with
    the admin user who deleted it (the admin logs a deletion just before making it) and the
    address and session from the audit context."""
    if _resetting.get():
        return
    actor_id = _admin_deleted_by(instance)
    audit.record(
        actor_id,
        "auth.otp_device_deleted",
        object_type="staff",
        object_id=instance.user_id,
        details={
            "device": instance.pk,
            "name": instance.name,
            "confirmed": bool(instance.confirmed),
            "via": "admin" if actor_id is not None else "other",
        },
    )


def _admin_deleted_by(instance: TOTPDevice) -> int | None:
    from django.contrib.admin.models import DELETION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk),
            action_flag=DELETION,
            action_time__gte=timezone.now() - dt.timedelta(minutes=1),
        )
        .order_by("-action_time", "-pk")
        .first()
    )
    return int(entry.user_id) if entry is not None else None


class ResetAuthenticatorForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        strip=True,
        error_messages={"required": "Enter the reason for resetting the authenticator"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reset_authenticator_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    """/staff/<id>/reset-authenticator/: for information governance and administrators."""
    actor = request.user
    assert isinstance(actor, Staff)
    if actor.role not in ACCOUNT_ADMIN_ROLES:
        return render(
            request,
            "web/refused.html",
            {"message": "Only information governance or an administrator can reset an authenticator."},
            status=403,
        )
    target = Staff.objects.filter(pk=staff_id).first()
    if target is None:
        raise Http404("No such member of staff")
    form = ResetAuthenticatorForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            reset_authenticator(actor, target.pk, reason=form.cleaned_data["reason"])
        except (NotAllowed, InvalidCode) as exc:
            error = str(exc)
        else:
            url = reverse("web:reset-authenticator", args=[target.pk])
            return HttpResponseRedirect(url + "?" + urlencode({"done": "1"}))
    context = {
        "form": form,
        "error": error,
        "target": target,
        "has_device": has_device(target),
        "done": request.GET.get("done") == "1",
    }
    status = 403 if error else (400 if form.errors else 200)
    return render(request, "staff/security_reset_authenticator.html", context, status=status)
