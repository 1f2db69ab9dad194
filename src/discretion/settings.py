"""Django settings, read from the environment (DATABASE_URL, SECRET_KEY, DISCRETION_*)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("DISCRETION_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("DISCRETION_VAR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("DISCRETION_DEBUG", "0") == "1"
# A development key is used only when none is configured; production sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "discretion-development-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs page from ninja's own static files, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "discretion.staff",
    "discretion.audit",
    "discretion.records",
    "discretion.disclosures",
    "discretion.requests",
    "discretion.information_rights",
    "discretion.outbound",
    "discretion.research",
    "discretion.notifications",
    "discretion.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "discretion.web.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "discretion.web.middleware.AuditContextMiddleware",
    "discretion.web.middleware.SessionLimitsMiddleware",
    "discretion.web.middleware.TwoFactorMiddleware",
    "discretion.web.middleware.PolicyAcknowledgementMiddleware",
    # A service refusal no page view caught becomes its page (errors.py), never a server error.
    "discretion.web.pages.RefusalMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the GOV.UK error page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "discretion.urls"
WSGI_APPLICATION = "discretion.wsgi.application"
AUTH_USER_MODEL = "staff.Staff"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "discretion.web.context.branding",
                "discretion.web.navigation.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'discretion.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection per request costs more than the page.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600" if os.environ.get("DATABASE_URL") else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN
    # so concurrent audit appends queue instead of deadlocking on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if "TEST" not in DATABASES["default"]:
        # One file per process so parallel runs never share a test database.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-discretion-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Attachments are never served as static files: only through the access module.
MEDIA_ROOT = Path(os.environ.get("DISCRETION_MEDIA", VAR_DIR / "attachments"))
MEDIA_URL = "/no-direct-media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("DISCRETION_SESSION_SECONDS", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if os.environ.get("DISCRETION_HTTPS", "0") == "1":
    # TLS ends at the council's proxy (docs/deploy.md), which must set X-Forwarded-Proto and
    # strip any the client sent.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's probe may use plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DISCRETION_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("DISCRETION_HSTS_PRELOAD", "1") == "1"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Discretion ----------------------------------------------------------------------------
COUNCIL_NAME = os.environ.get("DISCRETION_COUNCIL_NAME", "Lancashire Borough Council")
SERVICE_NAME = "Discretion"
# The HMAC key that signs the audit checkpoint: from the environment, never the database.
AUDIT_CHECKPOINT_KEY = os.environ.get("DISCRETION_AUDIT_KEY", "development-audit-key-change-me")
AUDIT_CHECKPOINT_PATH = Path(os.environ.get("DISCRETION_AUDIT_CHECKPOINT", VAR_DIR / "audit-checkpoint.json"))
# Several web nodes: keep the checkpoint in a separate "witness" database instead of a file
# (discretion/audit/checkpoints.py); one row per chain, so one chain per council.
AUDIT_CHECKPOINT_URL = os.environ.get("DISCRETION_AUDIT_CHECKPOINT_URL", "")
AUDIT_CHAIN_NAME = os.environ.get("DISCRETION_AUDIT_CHAIN", "discretion")
# PostgreSQL: "daemon" when a sequencer process (`discretion audit sequence --follow`, started by
# the production stack) integrates accepted events; "inline" lets each writer do it itself.
AUDIT_SEQUENCER = os.environ.get("DISCRETION_AUDIT_SEQUENCER", "inline")
# The key behind secure download links, their one-time codes and API tokens (stored only as keyed
# digests): from the environment, never the database. The development default is derived from
# SECRET_KEY; changing the key withdraws every outstanding link and API token.
DISCRETION_LINK_KEY = (
    os.environ.get("DISCRETION_LINK_KEY")
    or hmac.new(SECRET_KEY.encode(), b"discretion-link-key", hashlib.sha256).hexdigest()
)
# Refused downloads (wrong code, unknown, expired, withdrawn or locked link) from one address
# within this many minutes before it is refused everything for a while.
DISCRETION_DOWNLOAD_REFUSALS = int(os.environ.get("DISCRETION_DOWNLOAD_REFUSALS", "10"))
DISCRETION_DOWNLOAD_REFUSAL_MINUTES = int(os.environ.get("DISCRETION_DOWNLOAD_REFUSAL_MINUTES", "15"))
BREAK_GLASS_MINUTES = int(os.environ.get("DISCRETION_BREAK_GLASS_MINUTES", "60"))
# How long a request's four-eyes record access lasts at most (it also ends at release or close).
REQUEST_ACCESS_DAYS = int(os.environ.get("DISCRETION_REQUEST_ACCESS_DAYS", "7"))
# Notifications are e-mailed (a link into the app, nothing of the case) unless this is "0".
NOTIFY_BY_EMAIL = os.environ.get("DISCRETION_NOTIFY_BY_EMAIL", "1") != "0"
ATTACHMENT_MAX_BYTES = int(os.environ.get("DISCRETION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
CURRENT_POLICY_VERSION = os.environ.get("DISCRETION_POLICY_VERSION", "2018-09")

# Outbound guard (policy 1.1): domains whose mail servers require TLS (subdomains match).
OUTBOUND_SECURE_DOMAINS = [
    d
    for d in os.environ.get(
        "DISCRETION_SECURE_DOMAINS", "gov.uk,nhs.net,police.uk,cjsm.net,gcsx.gov.uk"
    ).split(",")
    if d
]
COUNCIL_ADDRESSES = [
    a
    for a in os.environ.get("DISCRETION_COUNCIL_ADDRESSES", "County Hall, Fishergate, Preston PR1 8XJ").split(
        ";"
    )
    if a
]
COUNCIL_PHONES = [p for p in os.environ.get("DISCRETION_COUNCIL_PHONES", "0300 123 6701").split(";") if p]
# Where requesters write about FOI, EIR and subject access: printed on every letter and bundle.
COUNCIL_IG_CONTACT = {
    "team": os.environ.get("DISCRETION_IG_TEAM", "Information Governance Team"),
    "address": os.environ.get("DISCRETION_IG_ADDRESS", "County Hall, Fishergate, Preston PR1 8XJ"),
    "email": os.environ.get("DISCRETION_IG_EMAIL", "information.governance@lancashire-borough.gov.uk"),
    "phone": os.environ.get("DISCRETION_IG_PHONE", "0300 123 6701"),
}
OUTBOUND_ALLOW_LIST: list[str] = []
OUTBOUND_INDEX_MAX_AGE = int(os.environ.get("DISCRETION_OUTBOUND_INDEX_MAX_AGE", "600"))
SITE_URL = os.environ.get("DISCRETION_SITE_URL", "")

# Sign-in refuses locked-out usernames first, then accounts past their end date (policy 1.2).
AUTHENTICATION_BACKENDS = [
    "discretion.staff.security.LockoutBackend",
    "discretion.staff.services.StaffBackend",
]

# Sign-in hardening (policy 1.2; UK GDPR Art 32). Two-factor sign-in for every account: every
# role can reach personal data. Tests that use force_login turn it off (tests/conftest.py).
DISCRETION_REQUIRE_2FA = os.environ.get("DISCRETION_REQUIRE_2FA", "1") == "1"
OTP_TOTP_ISSUER = os.environ.get("DISCRETION_OTP_ISSUER", "Discretion")
# Idle sessions end after this many minutes; a new sign-in ends the older sessions beyond
# DISCRETION_MAX_SESSIONS (0: no limit).
DISCRETION_IDLE_MINUTES = int(os.environ.get("DISCRETION_IDLE_MINUTES", "30"))
DISCRETION_MAX_SESSIONS = int(os.environ.get("DISCRETION_MAX_SESSIONS", "1"))
# Lockout (django-axes): this many failures for one username from one address locks it.
AXES_FAILURE_LIMIT = int(os.environ.get("DISCRETION_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DISCRETION_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are forgotten only when a sign-in is complete (staff.security.complete_sign_in), never
# at the password step: a right password followed by wrong codes still counts towards the lock.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "discretion.staff.security.lockout_response"
# The audit chain is the record of sign-ins; axes keeps only its failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Misuse detection thresholds (policy 1.2).
MISUSE_CONCURRENT_MINUTES = int(os.environ.get("DISCRETION_MISUSE_CONCURRENT_MINUTES", "10"))
MISUSE_REFUSALS = int(os.environ.get("DISCRETION_MISUSE_REFUSALS", "5"))
MISUSE_REFUSAL_MINUTES = int(os.environ.get("DISCRETION_MISUSE_REFUSAL_MINUTES", "60"))
MISUSE_BREAK_GLASS = int(os.environ.get("DISCRETION_MISUSE_BREAK_GLASS", "3"))
MISUSE_BULK_FACTOR = float(os.environ.get("DISCRETION_MISUSE_BULK_FACTOR", "5.0"))
MISUSE_BULK_MIN_READS = int(os.environ.get("DISCRETION_MISUSE_BULK_MIN_READS", "40"))
MISUSE_BASELINE_DAYS = int(os.environ.get("DISCRETION_MISUSE_BASELINE_DAYS", "28"))
MISUSE_WORKING_HOURS = (7, 20)
MISUSE_WORKING_WEEKENDS = False
MISUSE_ANY_HOUR_ROLES: tuple[str, ...] = ()

# Research extracts (policy 1.4).
RESEARCH_K = int(os.environ.get("DISCRETION_RESEARCH_K", "5"))
RESEARCH_MAX_SUPPRESSED = float(os.environ.get("DISCRETION_RESEARCH_MAX_SUPPRESSED", "0.1"))
# The secret behind research pseudonyms; none configured means no pseudonymised extracts.
RESEARCH_PSEUDONYM_KEY = os.environ.get("DISCRETION_RESEARCH_KEY", "")
# Pseudonymised extracts on (the default): a production process refuses to start without the key.
RESEARCH_PSEUDONYMS = os.environ.get("DISCRETION_RESEARCH_PSEUDONYMS", "1") == "1"

# The council's own nation, for subject-access deadlines (UK GDPR Art 12(3)).
DISCRETION_NATION = os.environ.get("DISCRETION_NATION", "england_wales")
# Staff named in their professional role are not redacted from subject-access bundles by default.
SAR_REDACT_STAFF_NAMES = os.environ.get("DISCRETION_SAR_REDACT_STAFF_NAMES", "0") == "1"

# Outbox delivery (policy 1.1): the SMTP relay; secure_email always requires verified STARTTLS.
DISCRETION_SMTP_HOST = os.environ.get("DISCRETION_SMTP_HOST", "localhost")
DISCRETION_SMTP_PORT = int(os.environ.get("DISCRETION_SMTP_PORT", "25"))
DISCRETION_SMTP_USER = os.environ.get("DISCRETION_SMTP_USER", "")
DISCRETION_SMTP_PASSWORD = os.environ.get("DISCRETION_SMTP_PASSWORD", "")
DISCRETION_SMTP_CAFILE = os.environ.get("DISCRETION_SMTP_CAFILE") or None
DISCRETION_SMTP_TIMEOUT = float(os.environ.get("DISCRETION_SMTP_TIMEOUT", "30"))
DISCRETION_MAIL_FROM = os.environ.get("DISCRETION_MAIL_FROM", "no-reply@council.example")

# Outbound guard, second generation (issue 14, docs/smtp-relay.md). One message at most this size, on
# every way out: the check API, the compose page and the smart host.
DISCRETION_MAX_MESSAGE_BYTES = int(os.environ.get("DISCRETION_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024)))
# The council's own mail domains (inside the council); default: the domain of DISCRETION_MAIL_FROM.
DISCRETION_COUNCIL_DOMAINS = [d for d in os.environ.get("DISCRETION_COUNCIL_DOMAINS", "").split(",") if d]
DISCRETION_KNOWN_DOMAINS = [d for d in os.environ.get("DISCRETION_KNOWN_DOMAINS", "").split(",") if d]
# `discretion smtp-relay`: the smart host.
DISCRETION_RELAY_LISTEN = os.environ.get("DISCRETION_RELAY_LISTEN", "127.0.0.1")
DISCRETION_RELAY_PORT = int(os.environ.get("DISCRETION_RELAY_PORT", "2525"))
DISCRETION_RELAY_TLS_CERT = os.environ.get("DISCRETION_RELAY_TLS_CERT", "")
DISCRETION_RELAY_TLS_KEY = os.environ.get("DISCRETION_RELAY_TLS_KEY", "")
DISCRETION_RELAY_ALLOWED_NETWORKS = [
    n for n in os.environ.get("DISCRETION_RELAY_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128").split(",") if n
]
DISCRETION_RELAY_NEXT_HOP = os.environ.get("DISCRETION_RELAY_NEXT_HOP", "localhost:25")
DISCRETION_RELAY_NEXT_HOP_TLS = os.environ.get("DISCRETION_RELAY_NEXT_HOP_TLS", "required")
DISCRETION_RELAY_SPOOL = Path(os.environ.get("DISCRETION_RELAY_SPOOL", VAR_DIR / "relay-spool"))
# "secure_link": personal data leaves only as a registered release citing an approved request;
# "refuse": every message with personal data to outside the council is bounced (send it from Discretion).
DISCRETION_RELAY_PERSONAL_DATA = os.environ.get("DISCRETION_RELAY_PERSONAL_DATA", "secure_link")
DISCRETION_RELAY_GIVE_UP_HOURS = float(os.environ.get("DISCRETION_RELAY_GIVE_UP_HOURS", "72"))

# --- single sign-on (OpenID Connect) ---
# Optional, and inert unless DISCRETION_OIDC_ISSUER is set (docs/oidc.md). Sign-in through
# the council's directory, to existing personal accounts only (policy 1.2); the fixed parts
# (PKCE, nonce, no account creation, the callback route) are in discretion/staff/oidc.py.
DISCRETION_OIDC_ISSUER = os.environ.get("DISCRETION_OIDC_ISSUER", "").rstrip("/")
if DISCRETION_OIDC_ISSUER:
    from django.core.exceptions import ImproperlyConfigured

    def _oidc_env(name: str) -> str:
        value = os.environ.get(f"DISCRETION_OIDC_{name}", "")
        if not value:
            raise ImproperlyConfigured(f"DISCRETION_OIDC_{name} must be set when DISCRETION_OIDC_ISSUER is")
        return value

    OIDC_RP_CLIENT_ID = _oidc_env("CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _oidc_env("CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc_env("AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _oidc_env("TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _oidc_env("USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _oidc_env("JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = os.environ.get("DISCRETION_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("DISCRETION_OIDC_SCOPES", "openid email profile")
    OIDC_TIMEOUT = float(os.environ.get("DISCRETION_OIDC_TIMEOUT", "10"))
    # The directory's MFA counts as the second factor only when this is 1 and the ID token's
    # amr (or acr) says so; otherwise the authenticator-app step is still asked for.
    DISCRETION_OIDC_TRUST_IDP_MFA = os.environ.get("DISCRETION_OIDC_TRUST_IDP_MFA", "0") == "1"
    DISCRETION_OIDC_MFA_AMR = [v for v in os.environ.get("DISCRETION_OIDC_MFA_AMR", "mfa").split(",") if v]
    DISCRETION_OIDC_MFA_ACR = [v for v in os.environ.get("DISCRETION_OIDC_MFA_ACR", "").split(",") if v]
    AUTHENTICATION_BACKENDS = [
        *AUTHENTICATION_BACKENDS,
        "discretion.staff.oidc.CouncilOIDCBackend",
        "discretion.staff.oidc.IdPVerifiedBackend",
    ]
# --- end of single sign-on (OpenID Connect) ---

# Log lines never carry a download link's token (a request line or "Bad Request: <path>").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_link_tokens": {"()": "discretion.disclosures.log_redaction.RedactDownloadTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_link_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_link_tokens"],
        },
    },
    "loggers": {
        "django": {
            "handlers": [],
            "level": os.environ.get("DISCRETION_LOG_LEVEL", "WARNING"),
            "propagate": True,
        },
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DISCRETION_LOG_LEVEL", "WARNING")},
}
