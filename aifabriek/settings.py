"""Settings for the funding tracker, read from the environment.

Development needs nothing set: DEBUG is on and the data lives in an SQLite file in the project.
With DEBUG off the app refuses to start unless SECRET_KEY and ALLOWED_HOSTS are given, and the
security settings that `manage.py check --deploy` asks for are on. Every variable is read through
aifabriek/env.py, which stops the start with the variable's name when it cannot understand a value.

The sections, in order:

    Security     debug, secret key, host names, HTTPS, headers, content policy, trusted proxies
    Application  apps, middleware, templates, database
    Caching      the shared cache and how long public data is kept
    Sign-in      passwords, lockout, two-factor, single sign-on, sessions
    Content      languages, static files, uploads and imports, the accessibility contact
    Operations   who may read /metrics, the source check's limits
    Logging      format and level
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from aifabriek.env import (
    env_bool,
    env_cache_url,
    env_choice,
    env_database,
    env_email,
    env_int,
    env_list,
    env_networks,
    env_text,
)
from aifabriek.ops.jsonlog import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Security -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

# Django's deploy check asks for 50 characters (W009); fewer is refused outright.
MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = env_text("SECRET_KEY").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: production refuses to start without a key of its own (above).
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
elif not DEBUG and len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    # A short key signs sessions and password-reset links that can be guessed.
    raise ImproperlyConfigured(
        f"SECRET_KEY has {len(SECRET_KEY)} characters; give at least {MIN_SECRET_KEY_LENGTH}."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes and Prometheus ask over plain HTTP on loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline script or style anywhere; plotly.js and our CSS come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Proxies (nginx on this machine) whose X-Forwarded-For names the client, for the sign-in
# lockout, the sign-in audit and /metrics' address check (aifabriek/ops/client_address.py). Empty
# believes nobody: behind no proxy, a client could otherwise name any address it likes.
TRUSTED_PROXY_IPS = env_networks("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])


# --- Application ----------------------------------------------------------------------------------

INSTALLED_APPS = [
    "funding.apps.FundingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "funding",
    "accounts",
]

MIDDLEWARE = [
    # First: it times every request and sees every answer, the 503s of an outage included.
    "aifabriek.ops.access_log.AccessLogMiddleware",
    # Outside everything that makes or changes an answer (cookies, Vary, the API's error shape),
    # so that every answer gets its caching decision from this one place.
    "funding.cache_headers.CacheHeadersMiddleware",
    # Outside every middleware that can refuse a request (the Host check is CommonMiddleware's),
    # so that each error answer under /api/ is JSON.
    "aifabriek.ops.api_errors.ApiErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the address (/en/… or Dutch), not the browser's: funding/language_addresses.py
    "funding.language_addresses.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's and django-otp's, reading the user, their rights and devices through the cache.
    "accounts.signed_in.CachedAuthenticationMiddleware",
    "accounts.sessions.SessionLimitMiddleware",
    "accounts.signed_in.CachedOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Near the end, as django-axes asks: turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception sees a view's database error first: a 503, not a 500.
    "aifabriek.ops.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "aifabriek.urls"
WSGI_APPLICATION = "aifabriek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "funding.context_processors.dashboard_access",
                "funding.context_processors.language_links",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Caching --------------------------------------------------------------------------------------

# A shared cache (Redis) when several app processes serve the site; per-process memory otherwise.
CACHE_URL = env_cache_url("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "aifabriek.ops.redis_cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "aifabriek",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages and open data are cached until a funding record changes (funding/cache.py); this
# bounds how long a process with its own memory cache can show data another process changed.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300, minimum=0)
# What a shared cache (nginx, a CDN, a proxy) may keep of an anonymous public answer
# (funding/cache_headers.py; docs/deploy.md, "The edge cache"): fresh for PUBLIC_MAX_AGE seconds,
# so that a saved change shows within 10 s through nginx; then served while it is fetched again
# for PUBLIC_STALE_WHILE_REVALIDATE more; and for PUBLIC_STALE_IF_ERROR when the site fails.
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 5, minimum=0)
PUBLIC_STALE_WHILE_REVALIDATE = env_int("PUBLIC_STALE_WHILE_REVALIDATE", 5, minimum=0)
PUBLIC_STALE_IF_ERROR = env_int("PUBLIC_STALE_IF_ERROR", 24 * 60 * 60, minimum=0)
# A page as it stood on a day that is over (`?on=`) changes only if history is corrected.
PUBLIC_SETTLED_MAX_AGE = env_int("PUBLIC_SETTLED_MAX_AGE", 60 * 60, minimum=0)


# --- Sign-in (docs/sign-in.md) --------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes comes first: it refuses a locked user name and address before any password is
# checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on; does nothing unless OIDC_ISSUER and OIDC_CLIENT_ID are set.
    "accounts.oidc.OrganisationBackend",
]
LOGIN_URL = "login"
# By name, so that signing in or out at an English address lands on the English page.
LOGIN_REDIRECT_URL = "funding:dashboard"
LOGOUT_REDIRECT_URL = "funding:home"

# Lockout. After this many failed sign-ins for one user name from one address, that pair is
# locked for LOCKOUT_MINUTES; a funding admin can lift it in the admin sooner. Zero of either
# would be no lockout at all, so it is refused.
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And after this many failed sign-ins from one address across all user names (password
# spraying); higher, so that one office behind one address is not locked by a few typos.
LOCKOUT_ADDRESS_FAILURES = env_int("LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
AXES_HANDLER = "accounts.lockout.SignInLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The client's address through the trusted proxies; an IPv6 client counts by its /64.
AXES_CLIENT_IP_CALLABLE = "aifabriek.ops.client_address.lockout_address"
# Our own audit log (accounts/audit.py) says what axes would print.
AXES_VERBOSE = False

# Two-factor (TOTP with recovery codes): whoever edits in the admin (funding admins, superusers,
# programme editors and approvers) needs it, always in production; development starts without
# it so the demo accounts work at once.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
# Policy staff need it for the dashboards only when this says so.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
# Whether a sign-in through the organisation's provider counts as the second factor too: only
# when that provider enforces multi-factor sign-in itself. Off: SSO users still enter a code.
OIDC_TRUST_PROVIDER_MFA = env_bool("OIDC_TRUST_PROVIDER_MFA", False)
OTP_TOTP_ISSUER = env_text("OTP_TOTP_ISSUER", "Public funding tracker")
# The admin keeps its own sign-in page (FundingAdminSite.login), not django-two-factor-auth's patch.
TWO_FACTOR_PATCH_ADMIN = False

# Single sign-on through the organisation's OpenID Connect provider. Off unless OIDC_ISSUER and
# OIDC_CLIENT_ID are set; the endpoints come from the issuer's /.well-known/openid-configuration.
OIDC_ISSUER = env_text("OIDC_ISSUER")
OIDC_CLIENT_ID = env_text("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_text("OIDC_CLIENT_SECRET")
# Signatures with the provider's published keys only: "none" or a typo would stop every sign-in
# at the first token, so they stop the start instead.
OIDC_RP_SIGN_ALGO = env_choice(
    "OIDC_SIGN_ALGO", "RS256", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
)
OIDC_RP_SCOPES = env_text("OIDC_SCOPES", "openid email profile")
# The claim that lists a person's groups or roles, and which of its values mean which group.
OIDC_GROUPS_CLAIM = env_text("OIDC_GROUPS_CLAIM", "groups")
OIDC_POLICY_STAFF_VALUES = env_list("OIDC_POLICY_STAFF_VALUES")
OIDC_FUNDING_ADMIN_VALUES = env_list("OIDC_FUNDING_ADMIN_VALUES")
# Values of the same claim that give a programme role: "<prefix><slug>:<role>", e.g.
# "programme:ai-fabriek-groningen:editor". Set empty and the provider manages no programme roles.
OIDC_PROGRAMME_ROLE_PREFIX = env_text("OIDC_PROGRAMME_ROLE_PREFIX", "programme:")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# Kept for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ISSUER:
    # Signing out posts a form that the organisation's provider answers (its sign-out page).
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_issuer.scheme}://{_issuer.netloc}"
    )

# A signed-in session ends after this long without a request, and after the maximum in any case
# (accounts/sessions.py); the cookie does not outlive the maximum either.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=1)
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 12 * 60 * 60, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# With a shared cache, sessions are read from it and written through to the database (lost or
# flushed, the cache refills from the table: nobody is signed out), and so is what a signed-in
# request needs of its user (accounts/signed_in.py), until it changes or for this long at most.
# A per-process memory cache cannot hear of a sign-out or a lost right in another process:
# without CACHE_URL both are read from the database.
SIGNED_IN_CACHE_SECONDS = env_int("SIGNED_IN_CACHE_SECONDS", 300, minimum=0)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if not CACHE_URL:
    SIGNED_IN_CACHE_SECONDS = 0
    SESSION_ENGINE = "django.contrib.sessions.backends.db"


# --- Content --------------------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes; the web server in front serves /static/ from it (deploy/nginx/).
STATIC_ROOT = Path(env_text("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (needs collectstatic); plain files in development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Form fields other than files may add up to this size; larger requests are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files are kept in memory up to this size, in a temporary file beyond it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Contribution imports (CSV or XLSX) larger than this are refused with a message.
IMPORT_MAX_FILE_SIZE = 2 * 1024 * 1024
# An import runs in one transaction: every row is written, or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Who answers questions about this installation's accessibility: an e-mail address or a web
# address, set by the organisation that runs it. The accessibility statement shows it.
ACCESSIBILITY_CONTACT = env_text("ACCESSIBILITY_CONTACT")


# --- Four eyes and mail (docs/decisions.md) ------------------------------------------------------

# A superuser may apply a change to what the public sees alone (every use audited). Off unless
# set: the four-eyes rule binds everyone.
FOUR_EYES_BREAK_GLASS = env_bool("FOUR_EYES_BREAK_GLASS", False)

# Proposals and decisions are mailed (funding/governance/mail.py); EMAIL_URL configures it.
globals().update(env_email("EMAIL_URL", development=DEBUG))
DEFAULT_FROM_EMAIL = env_text("DEFAULT_FROM_EMAIL", "funding-tracker@localhost")
# The address the mails link to (https://funding.example.org); empty gives paths only.
SITE_URL = env_text("SITE_URL").strip()


# --- Operations (docs/operations.md) --------------------------------------------------------------

# `/metrics` answers requests from these addresses (or networks), or bearing METRICS_TOKEN. Empty
# lets no address in: only the token.
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_text("METRICS_TOKEN")

# The source check (`manage.py check_sources`, funding/source_archive.py) fetches addresses that
# admins typed. It refuses this machine and private, link-local and reserved networks unless
# SOURCE_CHECK_ALLOW_PRIVATE is on or the address is in SOURCE_CHECK_ALLOWED_NETWORKS (both off by
# default: a source's address must not reach the database, Redis or a metadata service).
SOURCE_CHECK_ALLOW_PRIVATE = env_bool("SOURCE_CHECK_ALLOW_PRIVATE", False)
SOURCE_CHECK_ALLOWED_NETWORKS = env_networks("SOURCE_CHECK_ALLOWED_NETWORKS", [])
# Seconds for one source, redirects included; bytes of one answer (reading stops there).
SOURCE_CHECK_TIMEOUT = env_int("SOURCE_CHECK_TIMEOUT", 20, minimum=1)
SOURCE_CHECK_MAX_BYTES = env_int("SOURCE_CHECK_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
SOURCE_CHECK_MAX_REDIRECTS = env_int("SOURCE_CHECK_MAX_REDIRECTS", 5, minimum=0)
# Seconds between two requests to the same host: a portfolio cites many pages of one ministry.
SOURCE_CHECK_PAUSE = env_int("SOURCE_CHECK_PAUSE", 2, minimum=0)
# Who a site's operator can write to about the check's requests (the User-Agent names it).
# Line breaks would end the header early: the contact is one line.
SOURCE_CHECK_CONTACT = " ".join((env_text("SOURCE_CHECK_CONTACT") or ACCESSIBILITY_CONTACT).split())


# --- Logging --------------------------------------------------------------------------------------

# "json" (the production default): one JSON object a line, with one access line per request.
# "text" (the development default): readable lines, no access lines (runserver prints its own).
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", ["json", "text"])
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
