"""Pay Doctor settings, read from the environment with safe local defaults.

One file on purpose: every knob is an environment variable, and production differs from a local run
only by DJANGO_ENV=production (which then insists on SECRET_KEY and ALLOWED_HOSTS).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


PRODUCTION = os.environ.get("DJANGO_ENV", "development").strip().lower() == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)


def _local_secret_key() -> str:
    """A key generated once per checkout, so local sessions survive restarts; never committed."""
    path = BASE_DIR / ".local" / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Django 6 has partials built in: drop this app and the builtin below when moving to it.
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "ninja",
    "axes",
    "diagnostics",
    "sharing",
    "faq",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads cookies, the body or the Host header (sessions, CSRF, locale,
    # CommonMiddleware): an oversize Cookie header, body or request rate is refused here first.
    "config.middleware.RequestGuardMiddleware",
    # JSON answers never carry a secret the request body sent (config.redaction).
    "config.redaction.ApiRedactionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: locks out brute-force attempts on the admin login.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.ratelimits.client_ip"
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "config.context_processors.language_next",
                "diagnostics.context_processors.platform_nav",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    _loaders if DEBUG else [("django.template.loaders.cached.Loader", _loaders)],
                )
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Source strings are the Chinese text, so zh-hans needs no catalog; locale/en holds the English.
# Both django.po and the compiled django.mo are committed: CI machines may lack GNU gettext.
# After changing a string: manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench,
# translate, then manage.py compilemessages -l en --ignore=.venv.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Outside production WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Every pasted payload is small: 256 KiB is the API's documented body limit; a form post may be
# larger because browsers percent-encode it (a Chinese character travels as 9 bytes). Over: 413.
MAX_BODY_BYTES = 256 * 1024
MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 64 * 1024  # a certificate file
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_FORM_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# Python 3.11.7 parses a Cookie header in quadratic time (CVE-2024-7592): over this, a 400 before
# anything parses it. This site sets two small cookies (csrftoken, sessionid for the admin).
MAX_COOKIE_BYTES = 4 * 1024

# How often (seconds, per process) the rule engine asks whether an FAQ entry changed.
FAQ_ENGINE_CHECK_SECONDS = float(os.environ.get("FAQ_ENGINE_CHECK_SECONDS", "2"))

# Shared links (/d/<token>) live this many days; `manage.py purge_shared` deletes expired ones.
SHARE_TTL_DAYS = env_int("SHARE_TTL_DAYS", 30)

# Caches: rate-limit counters must be shared by every worker in production (Redis via REDIS_URL).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "paydoctor"}
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Requests per client IP; "" turns a scope off. private_key: endpoints that load a pasted RSA key;
# get: every other request that is not a POST (pages, prefilled links, the diagnosis GET).
RATE_LIMITS = {
    "api": os.environ.get("RATE_LIMIT_API", "120/m"),
    "form": os.environ.get("RATE_LIMIT_FORM", "240/m"),
    "get": os.environ.get("RATE_LIMIT_GET", "600/m"),
    "private_key": os.environ.get("RATE_LIMIT_PRIVATE_KEY", "20/m"),
    "share": os.environ.get("RATE_LIMIT_SHARE", "20/m"),
}
# Behind a proxy: the META name of the header it sets, e.g. HTTP_X_FORWARDED_FOR. Unset: REMOTE_ADDR.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
if PRODUCTION and not REDIS_URL and RATELIMIT_ENABLE:
    # LocMem counts per process: right for runserver and tests, wrong for several workers.
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DJANGO_ENV=production (shared rate limits)."
    )

# Security headers. A /d/ support link must not leak through Referer: "same-origin" sends none to
# any other site. ("no-referrer" would make browsers send "Origin: null" on this site's own form
# posts, which Django's CSRF check rightly refuses: no form would work without JavaScript.)
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No 'unsafe-inline', no 'unsafe-eval': htmx is configured (base.html meta) to need neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Secrets never reach a log: every record's message is redacted where it is made (see
# DiagnosticsConfig.ready), and the console formatter redacts whatever it prints, tracebacks included.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.redaction.ReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "config.redaction.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request comes from RequestLogMiddleware; Django's own request and
        # runserver lines would repeat it (and runserver's would carry the query string).
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "paydoctor.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}
