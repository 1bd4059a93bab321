"""Settings, all from environment variables; with none set, local development works."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_rate(name: str, default: str) -> str | None:
    """A request rate such as 30/min (second, min, hour, day); empty: no limit."""
    return os.environ.get(name, default).strip() or None


DEBUG = env_bool("DEBUG", env_bool("DJANGO_DEBUG", True))
# A fixed key is only acceptable in development; production must set one.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-local-development-only" if DEBUG else None
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
# Production names the host names it answers to; development has local ones.
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else ""
)
if not ALLOWED_HOSTS:
    raise RuntimeError(
        "ALLOWED_HOSTS must be set when DEBUG is off: the host names the service "
        "answers to, comma-separated (e.g. glossary.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Before glossary, whose admin replaces knox's token admin.
    "knox",
    # Before Django's admin, so that its admin templates (admin/base_site.html)
    # override Django's own.
    "glossary",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "csp",
]

# Concept versions in the history hold the concept's whole state (glossary.editing).
SERIALIZATION_MODULES = {"glossary_concept": "glossary.editing.history"}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "glossary.middleware.RefuseNulCharacters",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Static files (admin, API docs assets) from each serving process, out of
    # STATIC_ROOT as collectstatic fills it (make serve); in DEBUG, runserver does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # For concurrent use (lookups and admin saves while an import runs in another
    # process): WAL lets readers read during a write; a writer waits up to `timeout`
    # seconds for the lock instead of failing; IMMEDIATE takes the lock when a
    # transaction opens, so that two cannot both read, then both try to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", 60)),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Failed sign-ins per username and address before further ones are refused, until
# SIGNIN_WINDOW_SECONDS after the first have passed (glossary.signin).
AUTHENTICATION_BACKENDS = ["glossary.signin.ThrottledModelBackend"]
SIGNIN_MAX_FAILURES = int(os.environ.get("SIGNIN_MAX_FAILURES", 5))
SIGNIN_WINDOW_SECONDS = int(os.environ.get("SIGNIN_WINDOW_SECONDS", 15 * 60))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation." + name}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The UI languages; Django's own tags, which glossary.languages maps to BCP 47.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("kk", _("Kazakh")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind a TLS-terminating proxy (deploy/nginx.conf): plain HTTP is redirected,
    # and browsers told to use HTTPS only for SECURE_HSTS_SECONDS (0: not told).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Load balancers poll over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Lookup answers are cached per process (Django's default local-memory cache) under the
# glossary version, so an edit made anywhere is seen on the next request; 0 disables.
GLOSSARY_ANSWER_CACHE_SECONDS = int(
    os.environ.get("GLOSSARY_ANSWER_CACHE_SECONDS", 300)
)
# Concepts not yet approved (draft, in review) are shown to everyone, marked as such;
# on, anonymous readers do not see them at all (glossary.visibility).
GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = env_bool(
    "GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS", False
)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# The largest text annotate/ and check/ accept, in UTF-8 bytes (each text of a pair);
# a larger one is answered 413.
GLOSSARY_MAX_TEXT_BYTES = int(os.environ.get("GLOSSARY_MAX_TEXT_BYTES", 1024 * 1024))
# A request body holds two such texts as JSON, which may escape Cyrillic to three times
# its UTF-8 size (К, 2 bytes, as \u041a): Django's 2.5 MB default would refuse them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * GLOSSARY_MAX_TEXT_BYTES + 64 * 1024

# The most glossary terms one text may hold for annotate/ and check/ (413 beyond).
GLOSSARY_MAX_HITS = int(os.environ.get("GLOSSARY_MAX_HITS", 10_000))

# The largest upload (request body) POST /api/v1/import/ and the admin import page
# accept, in bytes; a larger one is answered 413. import_glossary has no limit.
GLOSSARY_MAX_UPLOAD_BYTES = int(
    os.environ.get("GLOSSARY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
)

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "glossary.api.pagination.GlossaryPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "glossary.api.errors.exception_handler",
    # Tools send a token (created and revoked in the admin, stored hashed); the
    # browser its session, with CSRF. No HTTP Basic: a password per request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON with its nesting bounded (glossary.api.parsers), forms and uploads.
    "DEFAULT_PARSER_CLASSES": [
        "glossary.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Rates per client and endpoint class (glossary.api.throttling); "" lifts one.
    "DEFAULT_THROTTLE_CLASSES": ["glossary.api.throttling.EndpointClassThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_anon": env_rate("THROTTLE_ANON", "300/min"),
        "api_user": env_rate("THROTTLE_USER", "1200/min"),
        "text_anon": env_rate("THROTTLE_TEXT_ANON", "30/min"),
        "text_user": env_rate("THROTTLE_TEXT_USER", "300/min"),
        "import_anon": env_rate("THROTTLE_IMPORT", "30/hour"),
        "import_user": env_rate("THROTTLE_IMPORT", "30/hour"),
    },
    # Proxies in front whose X-Forwarded-For to trust for a client's address (1 behind
    # deploy/nginx.conf); 0: the address of the connection, which a client can't forge.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", 0)),
}

# Tokens for tools live until revoked in the admin, or until the expiry set there.
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}

SPECTACULAR_SETTINGS = {
    "TITLE": "Diplomatic glossary API",
    "DESCRIPTION": (
        "Concepts and their terms in English, Kazakh (Cyrillic and Latin), Chinese "
        "and Russian, with the source quotes that attest them."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "glossary.languages.choices",
        "ConceptStatusEnum": "glossary.models.Concept.Status",
        "TermStatusEnum": "glossary.models.Term.Status",
        "ConceptKindEnum": "glossary.models.Concept.Kind",
        "FindingKindEnum": "glossary.qa.FindingKind",
    },
}

# Content-Security-Policy (django-csp): scripts only from files served here, none
# inline (the admin's own and the docs page's initialisation script are files), so an
# injected script does not run. Styles may be inline: the admin and Swagger UI set
# style attributes. The docs page draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
