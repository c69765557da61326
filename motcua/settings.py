"""motcua settings: one module, configured by environment variables.

Every variable is listed with a comment in `.env.example`. Helpers at the top turn the
environment into typed values and fail loudly (ImproperlyConfigured) on anything unexpected.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets admin.ModelAdmin[Unit] and friends be subscripted at run time, as the types say.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


# --- Mode and data directory -------------------------------------------------------------

DEMO = env_bool("MOTCUA_DEMO")
DEBUG = env_bool("MOTCUA_DEBUG")
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    key = env_secret("MOTCUA_SECRET_KEY")
    if key:
        return key
    if DEMO or DEBUG:
        # Demo and development: generate once, keep it in the data directory so that
        # sessions survive a restart; never used in production.
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip()
    raise ImproperlyConfigured(
        "MOTCUA_SECRET_KEY (or MOTCUA_SECRET_KEY_FILE) is required outside demo mode."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS")

# --- Applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.notifications",
    "motcua.feedback",
    "motcua.reports",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.demo",
    "motcua.integrations.vneid_sim",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "motcua.accounts.context_processors.officer_context",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------

# SQLite tuning for the embedded default: WAL lets readers run beside one writer,
# synchronous=NORMAL is safe with WAL, IMMEDIATE transactions take the write lock up front
# (so concurrent writers queue on the busy timeout instead of failing with "database is
# locked" when a read lock is upgraded), and the timeout is how long they queue.
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}"
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif "postgresql" not in config["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tasks (django-tasks; database backend by default, no extra server) ------------------

TASKS = {
    "default": {
        "BACKEND": env_str("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Users and authentication ------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log in with the user name, the e-mail address or the phone number (motcua/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.LoginNameBackend"]
# Lockout: this many failed logins of one account from one address within the window lock
# that pair for the same number of minutes (docs/accounts.md).
LOGIN_FAILURE_LIMIT = env_int("MOTCUA_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("MOTCUA_LOGIN_LOCKOUT_MINUTES", 15)
PASSWORD_RESET_TIMEOUT = env_int("MOTCUA_PASSWORD_RESET_HOURS", 24) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", default=not (DEMO or DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("MOTCUA_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time -------------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True  # stored in UTC, shown in Asia/Ho_Chi_Minh

# --- Files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
if DEMO or DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when empty
MEDIA_ROOT = Path(env_str("MOTCUA_MEDIA_ROOT", str(DATA_DIR / "media")))
_STORAGE_BACKEND = env_str("MOTCUA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
_STORAGE_OPTIONS: dict[str, Any] = {}
if _STORAGE_BACKEND == "storages.backends.s3.S3Storage":  # S3-compatible (MinIO…), extra "s3"
    _STORAGE_OPTIONS = {
        "bucket_name": env_str("MOTCUA_S3_BUCKET"),
        "endpoint_url": env_str("MOTCUA_S3_ENDPOINT_URL") or None,
        "access_key": env_str("MOTCUA_S3_ACCESS_KEY"),
        "secret_key": env_secret("MOTCUA_S3_SECRET_KEY"),
        "region_name": env_str("MOTCUA_S3_REGION") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": _STORAGE_BACKEND, "OPTIONS": _STORAGE_OPTIONS},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads a dossier accepts (PDF, JPEG, PNG, checked by content) and their size limit.
UPLOAD_MAX_BYTES = env_int("MOTCUA_UPLOAD_MAX_MB", 20) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spool to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files
# The public address printed on forms and in their QR codes (tracking, verification).
SITE_URL = env_str("MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who signs documents: a dotted path to a `motcua.documents.signing.Signer` class.
SIGNER = env_str("MOTCUA_SIGNER", "motcua.documents.signing.StoredCertificateSigner")
WHITENOISE_USE_FINDERS = True  # serve straight from the apps; the demo needs no collectstatic

# --- E-mail ------------------------------------------------------------------------------

# The demo's mail goes to the local mail simulator (visible to its administrator).
EMAIL_BACKEND = env_str(
    "MOTCUA_EMAIL_BACKEND",
    "motcua.notifications.gateways.SimulatorEmailBackend"
    if DEMO
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MOTCUA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MOTCUA_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("MOTCUA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("MOTCUA_DEFAULT_FROM_EMAIL", "motcua <noreply@localhost>")
# SMS to applicants: dotted path to a gateway class (docs/notifications.md); empty = no SMS.
# The demo uses the local simulator, which records the messages.
SMS_GATEWAY = env_str(
    "MOTCUA_SMS_GATEWAY", "motcua.notifications.gateways.SimulatorSmsGateway" if DEMO else ""
)
# Phone numbers the SMS simulator refuses, to watch retries (comma-separated).
SMS_SIMULATOR_FAILING = env_list("MOTCUA_SMS_SIMULATOR_FAILING")

# --- Log in with the national e-identity (OpenID Connect, docs/accounts.md) ---------------

# The local VNeID simulator at /mo-phong/vneid/: on in the demo, never by default elsewhere.
VNEID_SIMULATOR = env_bool("MOTCUA_VNEID_SIMULATOR", default=DEMO)
VNEID_SIM_CLIENT_ID = "motcua-mo-phong"
VNEID_SIM_CLIENT_SECRET = "mo-phong-khong-bi-mat"  # noqa: S105 -- the simulator's, public
VNEID_SIM_IDENTITY_CLAIM = "identity_number"
_SIMULATED_PROVIDER = f"{SITE_URL}/mo-phong/vneid/.well-known/openid-configuration"
# The provider's discovery document; empty (and no simulator) means no e-identity login.
OIDC_DISCOVERY_URL = env_str("MOTCUA_OIDC_DISCOVERY_URL") or (
    _SIMULATED_PROVIDER if VNEID_SIMULATOR else ""
)
OIDC_CLIENT_ID = env_str("MOTCUA_OIDC_CLIENT_ID") or (
    VNEID_SIM_CLIENT_ID if VNEID_SIMULATOR else ""
)
OIDC_CLIENT_SECRET = env_secret("MOTCUA_OIDC_CLIENT_SECRET") or (
    VNEID_SIM_CLIENT_SECRET if VNEID_SIMULATOR else ""
)
OIDC_SCOPES = env_str("MOTCUA_OIDC_SCOPES", "openid profile")
# The claim that carries the personal identity number (số định danh cá nhân).
OIDC_IDENTITY_CLAIM = env_str("MOTCUA_OIDC_IDENTITY_CLAIM", "identity_number")
OIDC_LOGIN_LABEL = env_str("MOTCUA_OIDC_LOGIN_LABEL") or (
    _("Đăng nhập bằng VNeID (mô phỏng)") if VNEID_SIMULATOR else _("Đăng nhập bằng VNeID")
)
OIDC_TIMEOUT_SECONDS = env_int("MOTCUA_OIDC_TIMEOUT_SECONDS", 10)
# Dotted path of a `requests` transport adapter for the calls to the provider; empty means
# the network. Tests route them to the simulator in-process.
OIDC_HTTP_ADAPTER = ""

# --- motcua ------------------------------------------------------------------------------

MOTCUA_SITE_NAME = env_str("MOTCUA_SITE_NAME", "Hệ thống thông tin một cửa điện tử")
# Vietnamese Culture Day (24/11) as a day off from 2026; see docs/calendar.md.
MOTCUA_CULTURE_DAY_HOLIDAY = env_bool("MOTCUA_CULTURE_DAY_HOLIDAY", default=True)
# Rankings of units (Decision 766): a unit that handled fewer dossiers in the period is
# listed apart, not ranked (docs/reports.md).
REPORTS_RANKING_MIN_DOSSIERS = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MOTCUA_LOG_LEVEL", "INFO")},
}
