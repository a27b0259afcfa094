"""Settings, driven by the environment.

DATABASE_URL      default: a SQLite file under var/ (WAL, busy timeout, IMMEDIATE transactions)
SECRET_KEY        default: a key file made on first run under var/
DEBUG             "1" to enable
ALLOWED_HOSTS     comma-separated, default 127.0.0.1,localhost
PRINTBRIDGE_BASE_URL  the public URL used in e-mails, default http://127.0.0.1:8000
EMAIL_*           EMAIL_HOST (127.0.0.1), EMAIL_PORT (1025), EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                  EMAIL_USE_TLS / EMAIL_USE_SSL ("1"), EMAIL_TIMEOUT (10 s), DEFAULT_FROM_EMAIL; EMAIL_BACKEND
PRINTBRIDGE_DIGEST_HOUR  the UTC hour daily digests go out, default 8
TASKS_BACKEND     default django_tasks_db.DatabaseBackend ("immediate" runs tasks inline)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PRINTBRIDGE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
PRINTBRIDGE_BASE_URL = os.environ.get("PRINTBRIDGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "printbridge.stores",
    "printbridge.routing",
    "printbridge.orders",
    "printbridge.ingestion",
    "printbridge.fulfilment",
    "printbridge.catalog",
    "printbridge.notifications",
    "printbridge.api",
    "printbridge.web",
    "printbridge.jobs",
    "printbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "printbridge.urls"
WSGI_APPLICATION = "printbridge.wsgi.application"

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
            ],
        },
    },
]


def _database() -> dict:
    default_url = f"sqlite:///{VAR_DIR / 'printbridge.sqlite3'}"
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = (
        {"NAME": os.environ.get("TEST_DATABASE_NAME")} if os.environ.get("TEST_DATABASE_NAME") else {}
    )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # webhooks cap their own bodies at 64 KB before reading

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND == "immediate":
    TASKS_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")  # implicit TLS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Daily digests go out at this hour (UTC); hourly batches at every :00
PRINTBRIDGE_DIGEST_HOUR = int(os.environ.get("PRINTBRIDGE_DIGEST_HOUR", "8"))
if not 0 <= PRINTBRIDGE_DIGEST_HOUR <= 23:
    raise ValueError("PRINTBRIDGE_DIGEST_HOUR is an hour of the day (UTC), 0 to 23")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Printbridge <noreply@printbridge.local>")

# BigCommerce single-click app credentials (empty: only store-level API accounts can connect)
BIGCOMMERCE_CLIENT_ID = os.environ.get("BIGCOMMERCE_CLIENT_ID", "")
BIGCOMMERCE_CLIENT_SECRET = os.environ.get("BIGCOMMERCE_CLIENT_SECRET", "")
BIGCOMMERCE_API_URL = os.environ.get("BIGCOMMERCE_API_URL", "https://api.bigcommerce.com")
BIGCOMMERCE_LOGIN_URL = os.environ.get("BIGCOMMERCE_LOGIN_URL", "https://login.bigcommerce.com")

# Gelato (defaults: the real API; the demo and tests point these at the in-repo emulator)
GELATO_ORDER_URL = os.environ.get("GELATO_ORDER_URL", "")
GELATO_PRODUCT_URL = os.environ.get("GELATO_PRODUCT_URL", "")
GELATO_TIMEOUT_SECONDS = float(os.environ.get("GELATO_TIMEOUT_SECONDS", "15"))

# Outbound webhooks to custom stores: https only, unless loopback (127.0.0.1, localhost) is allowed here or by
# DEBUG (development and tests); attempts before a delivery is given up
PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = _env_bool("PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS")
OUTBOUND_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "10"))

# Catalog cache and design files (docs/catalog.md). Uploaded and fetched designs live under MEDIA_ROOT; the
# provider fetches them through signed links (/media/designs/<token>/<name>) that expire after the max age.
MEDIA_ROOT = Path(os.environ.get("PRINTBRIDGE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
CATALOG_STALE_AFTER_HOURS = int(os.environ.get("CATALOG_STALE_AFTER_HOURS", "24"))
CATALOG_REFRESH_MAX_PRODUCTS = int(os.environ.get("CATALOG_REFRESH_MAX_PRODUCTS", "10000"))  # per catalog
DESIGN_MAX_BYTES = int(os.environ.get("DESIGN_MAX_BYTES", str(50 * 1024 * 1024)))
DESIGN_URL_MAX_AGE_DAYS = int(os.environ.get("DESIGN_URL_MAX_AGE_DAYS", "7"))
DESIGN_FETCH_TIMEOUT_SECONDS = float(os.environ.get("DESIGN_FETCH_TIMEOUT_SECONDS", "30"))  # whole download
DESIGN_FETCH_MAX_REDIRECTS = int(os.environ.get("DESIGN_FETCH_MAX_REDIRECTS", "3"))  # each hop re-validated
# Empty: any public host; else only these hosts ("cdn.example.com", or "*.example.com" for its subdomains)
DESIGN_FETCH_ALLOWED_HOSTS = [h for h in os.environ.get("DESIGN_FETCH_ALLOWED_HOSTS", "").split(",") if h]
# TESTS ONLY, never set in production (not read from the environment): "http://127.0.0.1:PORT" sends the
# connection meant for the validated, pinned IP to this loopback server over plain HTTP; every other check runs.
DESIGN_FETCH_TEST_UPSTREAM = ""
FILE_UPLOAD_HANDLERS = [
    "printbridge.catalog.uploads.SizeCappedUploadHandler",  # stops storing an upload beyond DESIGN_MAX_BYTES
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
