"""Settings, read from the environment with safe defaults for local use."""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for: a server started without configuration must not show tracebacks or sign with a known key.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DJANGO_DEBUG=true for local "
            "development only (bin/serve does)."
        )
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections between requests in production (a new one costs more than the article page's query); the
# development server opens a thread per request, where persistent connections would only pile up.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if _SQLITE:
    # Django's backend, with a schema editor that keeps the triggers and indexes migrations made in SQL when it
    # remakes a table to alter a column (core/backends/sqlite3/schema.py).
    DATABASES["default"]["ENGINE"] = "core.backends.sqlite3"
    # SQLite as a real default for several workers: WAL lets readers read while one writer writes; IMMEDIATE
    # transactions take the write lock when they start, so two saves queue (for up to `timeout` seconds) instead of
    # one failing with "database is locked" when a read lock would have to become a write lock mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env.int("DJANGO_SQLITE_TIMEOUT", default=20),
        }
    )
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _POSTGRESQL:
    # Django's backend, with a schema editor that keeps the storage and compression migrations set on a column
    # whose type it alters (core/backends/postgresql/schema.py).
    DATABASES["default"]["ENGINE"] = "core.backends.postgresql"
if _POSTGRESQL and env.bool("DJANGO_DB_PREPARED_STATEMENTS", default=True):
    # The reader's queries that run on every request (core.stored_pages.prepared_cursor: stored pages, search) are
    # prepared (after two runs; the stored pages' read at once) and planned once, for any values: parsing and
    # planning cost more than running them. Django's own cursors bind on the client and are never prepared. Django
    # turns preparing off by default for poolers that cannot keep a statement across transactions (PgBouncer in
    # transaction mode before 1.21): set DJANGO_DB_PREPARED_STATEMENTS=false behind one.
    postgresql_options = DATABASES["default"].setdefault("OPTIONS", {})
    postgresql_options.setdefault("prepare_threshold", 2)
    postgresql_options["options"] = f"{postgresql_options.get('options', '')} -c plan_cache_mode=force_generic_plan"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    "core",
    "glossary",
    "articles",
    "public",
]

MIDDLEWARE = [
    # Unchanged reader pages come from the cache before the rest runs, and it stores them with every header the rest
    # adds (core/cache.py); under WSGI, config/wsgi.py answers those hits before Django runs at all.
    "core.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "core.csp.DefaultPolicyCSPMiddleware",  # django-csp's, with the policy built once (core/csp.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads Accept-Language through GLOSSARY_LANGUAGE_ALIASES (`no` → nb) before LocaleMiddleware does.
    "core.language_aliases.LanguageAliasMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins after too many failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address, so lockouts must count the client address
# the proxy reports (core/client_ip.py). Only a header the proxy sets is trusted, and only as many entries from
# its right end as there are proxies: whatever a client writes into the header itself lies further left.
CLIENT_IP_HEADER = env.str("DJANGO_CLIENT_IP_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXY_COUNT must be 1 or more, not {TRUSTED_PROXY_COUNT}.")
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip_address"

ROOT_URLCONF = "config.urls"
# Article revisions carry each language's flags (articles/revision_format.py).
SERIALIZATION_MODULES = {"article_json": "articles.revision_format"}
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.site_languages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The only place language codes are listed: adding a language is an entry here plus a .po file.
# Names are autonyms: a reader looks for their own language in their own script.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ko", "한국어"),
    ("nb", "Norsk bokmål"),
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("fr", "Français"),
]
# Browsers' language tags read as one of LANGUAGES (core/language_aliases.py); tags Django already matches
# (nb-NO → nb, fr-CA → fr) need no entry. Norwegian and Nynorsk readers get Bokmål rather than the default language.
GLOSSARY_LANGUAGE_ALIASES = {
    "no": "nb",
    "nn": "nb",
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# A missing translation must look missing, never silently fall back to English.
MODELTRANSLATION_ENABLE_FALLBACKS = False

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve static files from the app directories too, so a site without collectstatic still has its CSS.
WHITENOISE_USE_FINDERS = True

# Local memory by default; CACHE_URL=redis://127.0.0.1:6379/1 or pymemcache://127.0.0.1:11211 for a shared cache.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://glossary")}

# Cache-Control of reader pages: browsers revalidate every time (max-age=0, answered by a 304 when unchanged); a
# shared cache (deploy/nginx.conf, a CDN) may serve a page this many seconds before it revalidates, and serve the
# stale page that long again while one request revalidates it.
GLOSSARY_SHARED_CACHE_SECONDS = env.int("GLOSSARY_SHARED_CACHE_SECONDS", default=1)
GLOSSARY_STALE_SECONDS = env.int("GLOSSARY_STALE_SECONDS", default=10)
# Every process of this host learns from this file that content changed (core/generation.py); with a shared cache
# (Redis, memcached) the cache holds that stamp instead, for app servers on other hosts.
_DATABASE_NAME = Path(str(DATABASES["default"]["NAME"]))
GLOSSARY_GENERATION_FILE = Path(
    env.str(
        "GLOSSARY_GENERATION_FILE",
        default=str(
            _DATABASE_NAME.with_name(_DATABASE_NAME.name + ".generation")
            if _SQLITE
            else BASE_DIR / "var" / f"{_DATABASE_NAME.name}.generation"
        ),
    )
)
# …and every process reads the generation from the database at least this often, whatever the stamp says.
GLOSSARY_GENERATION_RECHECK_SECONDS = env.float("GLOSSARY_GENERATION_RECHECK_SECONDS", default=1.0)
# `render_stored_pages --follow` takes out of PostgreSQL's list of search words, at most this often, the words edits
# dropped that no text holds any more (an import does so at its end).
GLOSSARY_WORDS_SHRINK_SECONDS = env.float("GLOSSARY_WORDS_SHRINK_SECONDS", default=600.0)
GLOSSARY_ARTICLES_PATH = env.path("GLOSSARY_ARTICLES_PATH", default=BASE_DIR / "fixtures" / "articles")
# Hosts whose https: images articles may show (e.g. "upload.wikimedia.org,images.example.org"); every other outside
# image is shown as its alt text, with a finding. The Content-Security-Policy's img-src allows exactly these.
GLOSSARY_IMAGE_HOSTS = [host.lower() for host in env.list("GLOSSARY_IMAGE_HOSTS", default=[])]
for _host in GLOSSARY_IMAGE_HOSTS:
    # Each goes into the Content-Security-Policy header: a host name and nothing else (no wildcard, no ';').
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+", _host):
        raise ImproperlyConfigured(f"GLOSSARY_IMAGE_HOSTS: {_host!r} is not a host name")

# Security: headers always; HTTPS-only cookies, redirects and HSTS whenever debug is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers poll the health check over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script anywhere: the public site has no script at all, the admin loads files only. The admin's own
# templates still carry style attributes, hence 'unsafe-inline' for styles alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *(f"https://{host}" for host in GLOSSARY_IMAGE_HOSTS)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

SITE_NAME = _("Glossary")
