"""Django settings for Tuoyu, read from the environment.

Environment variables (all optional):

``TUOYU_DATABASE_URL`` (or ``DATABASE_URL``)
    e.g. ``postgres://postgres@127.0.0.1:5432/tuoyu``. Default: SQLite at
    ``$TUOYU_DATA_DIR/tuoyu.sqlite3``.
``TUOYU_SECRET_KEY``
    Default: a random key generated once and kept in ``$TUOYU_DATA_DIR/secret_key``.
``TUOYU_DEBUG``
    ``1``/``true`` to turn debug on. Default: off.
``TUOYU_DATA_DIR``
    Where the SQLite file, the secret key and uploaded files live. Default: ``./var``.
``TUOYU_ALLOWED_HOSTS``
    Comma-separated. Default: ``localhost,127.0.0.1,[::1]``.
``TUOYU_CACHE_URL``
    Shared cache, e.g. ``redis://127.0.0.1:6379/1``: login lock-outs and the per-client
    throttles of the portal and the API then count across all processes and machines.
    Default: a file cache in the data directory, shared by the processes of one machine.
``TUOYU_BROKER_URL``
    Celery broker, e.g. ``redis://127.0.0.1:6379/0``. Default: none, tasks run in-process.
``TUOYU_TRUSTED_PROXIES``
    Number of reverse proxies in front of the app whose X-Forwarded-For is trusted. Default 0.
``TUOYU_PORTAL_SEARCH_RATE`` / ``TUOYU_PORTAL_OPEN_DATA_RATE``
    Portal requests per client, ``requests/seconds`` or ``off``. Default ``120/60`` / ``20/60``.
``TUOYU_COMPLAINT_RATE``
    Complaint submissions per client, ``requests/seconds`` or ``off``. Default ``10/3600``.
``TUOYU_SERVE_STATIC``
    ``0`` when a web server in front serves ``$TUOYU_DATA_DIR/static`` at ``/static/``.
    Default: on, the app serves its own static files (see docs/adr/0005).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("TUOYU_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("TUOYU_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("TUOYU_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TUOYU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
TRUSTED_PROXIES = int(os.environ.get("TUOYU_TRUSTED_PROXIES", "0"))
# Portal search and open-data requests per client, "requests/seconds" ("off" = none).
TUOYU_PORTAL_THROTTLE = {
    "search": os.environ.get("TUOYU_PORTAL_SEARCH_RATE", "120/60"),
    "open_data": os.environ.get("TUOYU_PORTAL_OPEN_DATA_RATE", "20/60"),
    # Complaint submissions per client (tuoyu.complaints, ADR 0084).
    "complaint": os.environ.get("TUOYU_COMPLAINT_RATE", "10/3600"),
}
# Smallest number of survey answers a shown figure may be built from (匿名阈值).
SURVEY_MIN_CELL = int(os.environ.get("TUOYU_SURVEY_MIN_CELL", "5"))
# Survey planning (托位规划, docs/adr/0055–0057). No national area per place was verified
# (policy-facts §1): the areas are assumptions used when the rule table sets none.
SURVEY_PLAN_MONTHS = int(os.environ.get("TUOYU_SURVEY_PLAN_MONTHS", "36"))
SURVEY_PLAN_MIN_AGE_MONTHS = int(os.environ.get("TUOYU_SURVEY_PLAN_MIN_AGE_MONTHS", "6"))
SURVEY_PLAN_BUILDING_M2_PER_PLACE = os.environ.get("TUOYU_SURVEY_PLAN_BUILDING_M2_PER_PLACE", "8")
SURVEY_PLAN_OUTDOOR_M2_PER_PLACE = os.environ.get("TUOYU_SURVEY_PLAN_OUTDOOR_M2_PER_PLACE", "3")
SURVEY_PLAN_PHASE_MONTHS = int(os.environ.get("TUOYU_SURVEY_PLAN_PHASE_MONTHS", "12"))
SURVEY_PLAN_PHASE_GROWTH_PCT = os.environ.get("TUOYU_SURVEY_PLAN_PHASE_GROWTH_PCT", "20")
SURVEY_PLAN_ALLOW_MIXED = _env_bool("TUOYU_SURVEY_PLAN_ALLOW_MIXED")
SURVEY_PLAN_MAX_SCENARIOS = int(os.environ.get("TUOYU_SURVEY_PLAN_MAX_SCENARIOS", "10"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tuoyu.core",
    "tuoyu.reference",
    "tuoyu.standards",
    "tuoyu.accounts",
    "tuoyu.audit",
    "tuoyu.facilities",
    "tuoyu.surveys",
    "tuoyu.designation",
    "tuoyu.supervision",
    "tuoyu.complaints",
    "tuoyu.monitoring",
    "tuoyu.api",
    "tuoyu.disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tuoyu.disclosure.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so it sees a view's PermissionDenied first: a 403 is one log line.
    "tuoyu.core.middleware.RefusalLogMiddleware",
]

ROOT_URLCONF = "tuoyu.config.urls"
WSGI_APPLICATION = "tuoyu.config.wsgi.application"

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
                "tuoyu.core.context_processors.platform",
            ],
        },
    }
]

_db_url = os.environ.get("TUOYU_DATABASE_URL") or os.environ.get("DATABASE_URL")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tuoyu.sqlite3",
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
SERVE_STATIC = _env_bool("TUOYU_SERVE_STATIC", True)
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tuoyu.api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tuoyu.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tuoyu.api.pagination.StablePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["tuoyu.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("TUOYU_API_ANON_RATE", "120/minute"),
        "public": os.environ.get("TUOYU_API_PUBLIC_RATE", "120/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "tuoyu.api.exceptions.api_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tuoyu.api.negotiation.ApiContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tuoyu API",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "FilingStatusEnum": "tuoyu.facilities.workflow.FilingStatus",
        # Supervision and alerts API (ADR 0096): statuses shared by several components.
        "AnnualReportStatusEnum": "tuoyu.supervision.annual_report_workflow.AnnualReportStatus",
        "InspectionStatusEnum": "tuoyu.supervision.workflow.InspectionStatus",
        "RectificationStatusEnum": "tuoyu.supervision.workflow.RectificationStatus",
        "LadderStepEnum": "tuoyu.supervision.workflow.LadderStep",
        "AlertStatusEnum": "tuoyu.monitoring.choices.AlertStatus",
    },
}

_cache_url = os.environ.get("TUOYU_CACHE_URL", "")
if _cache_url:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
    }
else:
    # Files in the data directory: shared by every gunicorn worker on this machine.
    CACHES = {
        "default": {
            "BACKEND": "tuoyu.core.cache_backends.FileCache",
            "LOCATION": DATA_DIR / "cache",
            # The portal's cached search pages (ADR 0041): more than Django's default 300
            # files before a third of them is dropped at random. The directory is checked
            # on one write in 50 (core.cache_backends.FileCache).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

CELERY_BROKER_URL = os.environ.get("TUOYU_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
#: Periodic jobs, run by ``celery -A tuoyu.config.celery beat`` when a broker is configured
#: (times are Beijing time). Without a broker, run the same work from cron with the
#: commands named beside each (README, "Periodic jobs").
CELERY_BEAT_SCHEDULE = {
    # tuoyu supervision escalate: overdue rectification orders up the compliance ladder.
    "escalate-overdue-rectifications": {
        "task": "supervision.escalate_overdue_rectifications", "schedule": crontab(hour=1, minute=0),
    },
    # tuoyu monitoring run: alerts (动态监管), after the escalation.
    "run-alerts": {"task": "monitoring.run_alerts", "schedule": crontab(hour=2, minute=0)},
    # tuoyu supervision remind-annual-reports: reminders before the annual-report deadline.
    "remind-annual-reports": {
        "task": "supervision.remind_annual_reports", "schedule": crontab(hour=8, minute=0),
    },
    # tuoyu complaints escalate: complaints past their deadlines, every hour.
    "escalate-overdue-complaints": {
        "task": "complaints.escalate_overdue_complaints", "schedule": crontab(minute=5),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TUOYU_LOG_LEVEL", "WARNING")},
}

# Where the demo serves by default.
TUOYU_DEFAULT_HOST = "127.0.0.1"
TUOYU_DEFAULT_PORT = 8000
