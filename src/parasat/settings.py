"""Parasat settings: one module, driven by environment variables.

The embedded default (``make run``) needs no configuration at all: SQLite and a
generated secret key under ``var/``. Production sets ``PARASAT_ENV=production``
with ``SECRET_KEY``, ``DATABASE_URL`` and ``ALLOWED_HOSTS`` from the environment.
"""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_url(name: str) -> str | None:
    """An http(s) address with a host and nothing after the path, or None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address such as https://s3.example.kz, not {raw!r}."
        )
    return raw


_S3_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def env_s3_bucket(name: str) -> str | None:
    """An S3 bucket name (3-63 lower-case letters, digits, dots and hyphens), or None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not _S3_BUCKET_NAME.fullmatch(raw) or ".." in raw:
        raise ImproperlyConfigured(
            f"{name} must be a bucket name (3 to 63 lower-case letters, digits, dots and "
            f"hyphens), not {raw!r}."
        )
    return raw


PARASAT_ENV = env_str("PARASAT_ENV", "embedded")
if PARASAT_ENV not in {"embedded", "development", "production"}:
    raise ImproperlyConfigured("PARASAT_ENV must be embedded, development or production.")
PRODUCTION = PARASAT_ENV == "production"

VAR_DIR = Path(env_str("PARASAT_VAR_DIR", str(REPO_DIR / "var")))


def _embedded_secret_key() -> str:
    """A secret key generated once and kept in var/ (never used in production)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    SECRET_KEY = _embedded_secret_key()

DEBUG = env_bool("DEBUG", PARASAT_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "parasat.core",
    "parasat.accounts",
    "parasat.reviews",
    "parasat.jobs",
    "parasat.toolkit",
    "parasat.assessment",
    "parasat.analysis",
    "parasat.engagement",
    "parasat.finance",
    "parasat.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "parasat.core.middleware.StripNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "parasat.core.lib.api.JsonErrorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parasat.urls"
WSGI_APPLICATION = "parasat.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["parasat.core.templatetags.translated"],
        },
    }
]

# Databases: SQLite under var/ by default; DATABASE_URL for PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend with a kernel queue for writers (see its docstring).
            "ENGINE": "parasat.core.db.sqlite",
            "NAME": env_str("PARASAT_SQLITE_PATH", str(VAR_DIR / "parasat.sqlite3")),
            # Tests run in memory, as Django's stock SQLite backend does. Said
            # here because pytest-django recognises only the stock engine: for
            # this one it would derive a file name from NAME ("test_/…/x_gw0")
            # for each parallel worker, which cannot be opened.
            "TEST": {"NAME": ":memory:"},
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # Writers queue rather than fail; immediate transactions avoid
                # the upgrade deadlock of deferred ones.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every server process (files under var/cache): sessions, the
# access decisions and the rendered parts of pages, each invalidated explicitly
# when what it depends on changes.
CACHES = {
    "default": {
        "BACKEND": env_str(
            "PARASAT_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": env_str("PARASAT_CACHE_LOCATION", str(VAR_DIR / "cache")),
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Passwords: argon2 first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "parasat.accounts.backends.CachedModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Languages: Kazakh, Russian, English. English is authoritative for content.
LANGUAGE_CODE = "en"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
CONTENT_LANGUAGES = ["en", "ru", "kk"]  # the first is authoritative
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: downloads go through permission checks
# Uploads go through Django's storage API only: files under MEDIA_ROOT, or an
# S3-compatible object store (django-storages) when PARASAT_S3_BUCKET is set.
# Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the
# machine's role), read by the storage itself, never written here. Files are
# never linked to: every download passes the permission checks of a view.
_S3_BUCKET = env_s3_bucket("PARASAT_S3_BUCKET")
if _S3_BUCKET:
    _UPLOADS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": env_url("PARASAT_S3_ENDPOINT_URL"),  # None: Amazon S3
            "region_name": env_str("PARASAT_S3_REGION", "").strip() or None,
            "location": env_str("PARASAT_S3_PREFIX", "").strip().strip("/"),
            "addressing_style": env_choice(
                "PARASAT_S3_ADDRESSING_STYLE", ("auto", "path", "virtual"), "auto"
            ),
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
        },
    }
else:
    _UPLOADS_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _UPLOADS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "parasat.core.lib.staticfiles.StaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps (the API docs ship large ones) are for developers: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
PARASAT_MAX_UPLOAD_BYTES = env_int("PARASAT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# Email: printed on the console in the embedded default; SMTP in production or
# whenever EMAIL_HOST is set.
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost" if PRODUCTION else "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if _EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}


def _served_address() -> str:
    """Where ``parasat serve`` (and so ``make run``) listens: HOST and PORT."""
    host = os.environ.get("HOST", "") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104 -- every interface: this machine's own address
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{env_int('PORT', 8000)}"


def _site_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or " " in raw.strip():
        raise ImproperlyConfigured(
            f"PARASAT_SITE_URL must be a web address such as https://parasat.example.org, "
            f"not {raw!r}."
        )
    return raw.strip().rstrip("/")


# Links in emails point here: the public address in production (required
# there), else the address Parasat is served on.
PARASAT_SITE_URL = _site_url(
    env_str("PARASAT_SITE_URL") if PRODUCTION else env_str("PARASAT_SITE_URL", _served_address())
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Parasat <parasat@localhost>")

# Background work: Django's tasks framework with the database backend.
TASKS = {
    "default": {
        "BACKEND": env_str("PARASAT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security headers.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
