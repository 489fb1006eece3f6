"""
Settings of the project, read from the environment only (django-environ).

With no variable set, the application runs in development mode on an SQLite
file at the root of the repository. `DEBUG=false` switches to the production
mode: a secret key and the allowed hosts become mandatory, and every security
setting that `manage.py check --deploy` looks for is turned on.
Every variable is documented in `.env.example`.
"""

import datetime
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-it-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "bpp.apps.BppAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # django-dsfr overrides Django's radio and checkbox option templates: it comes first.
    "dsfr",
    "django.forms",
    "crispy_forms",
    "widget_tweaks",  # used by django-dsfr's radio and checkbox templates
    "django_tasks_db",
    "axes",  # sign-in throttling
    # The second factor of those who sign in with a password (bpp.people.second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The layers, lowest first (see the import-linter contract in pyproject.toml).
    "bpp.mailer",
    "bpp.scheduler",
    "bpp.people",
    "bpp.requests",
    "cohorts",
    "synthesis",
    "bpp.pages",
    "bpp.webhooks",
    # The read API (above the pages: it reads their indicators); "ninja" serves the
    # files of its documentation page from our static files, not from a CDN.
    "bpp.api",
    "ninja",
]

MIDDLEWARE = [
    "bpp.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bpp.http.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a password session not yet verified goes to its second factor.
    "bpp.people.middleware.SecondFactorMiddleware",
    "bpp.people.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bpp.people.middleware.CurrentRoleMiddleware",
    "bpp.http.GoneMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bpp.urls"
WSGI_APPLICATION = "bpp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bpp.people.context_processors.roles",
                "bpp.mailer.context_processors.notifications",
            ],
            # bpp is no app: its template libraries are declared here.
            "libraries": {
                "dsfr_forms": "bpp.templatetags.dsfr_forms",
                "french": "bpp.templatetags.french",
            },
            # French typography in every template, e-mails too: « d’Émilie », « 0 agent ».
            "builtins": ["bpp.templatetags.french"],
        },
    },
    {
        # Plain-text e-mails: nothing to escape (their HTML twin escapes the same text).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False, "builtins": ["bpp.templatetags.french"]},
    },
]
# Our crispy template pack and DSFR widgets live in templates/ and in the dsfr app.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["crispy_dsfr"]
CRISPY_TEMPLATE_PACK = "crispy_dsfr"
# Subresource integrity guards third-party hosts; our assets are same-origin and the
# manifest storage rewrites the DSFR stylesheet, which would break its checksum.
DSFR_USE_INTEGRITY_CHECKSUMS = False

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the application's queries are short, and PostgreSQL compiles a
    # query as soon as its estimated cost is high (a page far down a long list, a year of
    # indicators), which takes longer than running it (38 of 108 ms on the HR agents list).
    # And the cost of a random read close to a sequential one, as on the SSDs any current
    # server has (PostgreSQL's default, 4, is for spinning disks): otherwise the planner
    # scans a table rather than read a covering index (waiting queue count: 4.9 → 1.9 ms).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
    # Prepared statements: the pages run the same queries all day, and PostgreSQL then
    # plans each one once per connection instead of on every request (planning was half
    # the CMC dashboard's database time: 20 → 9.5 ms). Behind PgBouncer in transaction
    # mode older than 1.21, set DATABASE_PREPARED_STATEMENTS=false.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        options["server_side_binding"] = True
        options.setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are PostgreSQL's, the production database; SQLite, the
# embedded demo, builds the same index without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "people.User"
# CNIL's recommendation when a password alone protects the access: 12 characters at least,
# neither a common password, nor close to the name or address, nor digits only.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses a sign-in while its account or its address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Only answers ProConnect's callback (it needs its nonce), after axes' check.
    "bpp.people.proconnect.ProConnectBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in with ProConnect (OpenID Connect, bpp.people.proconnect), through
# mozilla-django-oidc. Without an issuer, a client id and a secret, no button and no URL.
# The endpoints come from the issuer's /.well-known/openid-configuration, read once.
PROCONNECT_ISSUER = env.str("PROCONNECT_ISSUER", default="").rstrip("/")
PROCONNECT_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
# ProConnect's documented scopes for the identity it always gives (« identité pivot »).
PROCONNECT_SCOPES = env.str("PROCONNECT_SCOPES", default="openid email given_name usual_name siret")
# The algorithm of the provider's signatures (ProConnect: RS256 or ES256), keys from its JWKS.
PROCONNECT_SIGN_ALGO = env.str("PROCONNECT_SIGN_ALGO", default="RS256")
# The `acr` values that mean a sign-in with two factors (besides "mfa" in `amr`).
PROCONNECT_MULTI_FACTOR_ACR = env.list(
    "PROCONNECT_MULTI_FACTOR_ACR",
    default=[
        "eidas2",
        "eidas3",
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
    ],
)
# What mozilla-django-oidc reads; the rest (endpoints, client) comes from PROCONNECT_*.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the `id_token_hint` of the sign-out at ProConnect
OIDC_CREATE_USER = False  # accounts come from HR, never from a sign-in
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_callback"
OIDC_OP_LOGOUT_URL_METHOD = "bpp.people.proconnect.sign_out_url"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="fr-fr")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Outgoing mail (Django 6.1 mailers), from one URL: consolemail://, smtp+tls://user:pw@host:587...
# Development prints e-mails; production defaults to the local relay (MTA) on port 25.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mailer_options = {
        key: value for key, value in _smtp_options.items() if value not in (None, "")
    }
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:////var/tmp/bpp-mails: each message written into that folder (diagnosis, tests).
    _mailer_options = {"file_path": _email["EMAIL_FILE_PATH"]}
else:
    _mailer_options = {}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bilans de parcours <noreply@bpp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# State shared by every process of every machine. With Redis: the cache, and the sessions
# read from it (written through to the database, so a Redis restart signs nobody out).
# Without: each process's memory and the database, as in development and the demo.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="bpp"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Sessions end after 30 minutes without activity (shared workstations, sensitive data).
# Each request pushes the end back, but the session is written at most once a minute
# (bpp.http.SessionRefreshMiddleware), not on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The second factor: the name authenticator applications show beside the code.
OTP_TOTP_ISSUER = "Bilans de parcours"
# Whether a password sign-in asks those who need it for their second factor. On by default;
# `make demo` turns it off so that anyone can open every demo account with its password.
SECOND_FACTOR_REQUIRED = env.bool("SECOND_FACTOR_REQUIRED", default=True)

# Sign-in throttling (django-axes), counted in the database so that every process shares
# it. Counted per account (one account guessed from many addresses) and, separately, per
# address (many accounts tried from one address): either reaching the limit locks out.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (the e-mail address)
AXES_USERNAME_CALLABLE = "bpp.people.login_throttling.username_of"
AXES_CLIENT_IP_CALLABLE = "bpp.people.login_throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "bpp.people.login_throttling.locked_out"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ADMIN = False  # the operator unlocks with `manage.py axes_reset_username`
AXES_VERBOSE = False  # its start-up banner on stdout; lockouts are logged by login_throttling
# Proxies in front of the application, each appending to X-Forwarded-For: the address
# counted is the one our outermost proxy saw (0: REMOTE_ADDR, no proxy).
REVERSE_PROXY_COUNT = env.int("REVERSE_PROXY_COUNT", default=0 if DEBUG else 1)

# Content-Security-Policy (Django's own): only our origin, scripts need the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PROCONNECT_ISSUER:
    # The ProConnect button's form and the sign-out form are answered by a redirect to
    # ProConnect, which the browser checks against form-action too.
    _issuer = urlsplit(PROCONNECT_ISSUER)
    SECURE_CSP["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    # TLS ends at the reverse proxy, which must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix binds cookies to this exact host, over HTTPS, on path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_COOKIE_HTTPONLY = True

# Logs on stdout: one JSON object a line in production (LOG_FORMAT=json), each with the id
# of the request that wrote it (bpp.observability); plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bpp.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "bpp.observability.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each rendering step at INFO, fontTools each font it subsets.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Errors to Sentry when SENTRY_DSN is set; nothing personal leaves (scrub_event).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    from bpp.observability import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Absolute address of the application, for the links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Background work (e-mails) goes through the database queue; run `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz answers 503 when a task ready to run has waited longer than this (seconds):
# no worker runs, or too few keep up.
HEALTHZ_MAX_TASK_AGE = env.int("HEALTHZ_MAX_TASK_AGE", default=15 * 60)

# The periodic jobs that `manage.py run_scheduler` runs: name → (management command, Paris
# time "HH:MM"). Each scheduled run happens once however many schedulers run; cron can run
# the same commands instead.
SCHEDULE = {
    # From the day after the deadline, silence is a rejection.
    "implicit_rejections": ("record_implicit_rejections", "00:05"),
    # From the day after its end date, a postponed request is approved.
    "postponement_ends": ("record_postponement_ends", "00:10"),
    # The day's indicators and quality index of every employer, once the night's decisions
    # are recorded: the first reader of the day reads them, computed.
    "daily_figures": ("compute_daily_figures", "00:30"),
    # Retention periods, finished tasks (sent e-mails) included; at night, when nobody works.
    "purge": ("purge_expired_data", "03:00"),
    # Deciders read their reminders when the day starts.
    "deadline_reminders": ("send_deadline_reminders", "07:00"),
    "destruction_reminders": ("send_destruction_reminders", "07:15"),
    # The programme's messages and exercises due today, read in the morning.
    "programme": ("send_programme", "08:00"),
    # Cold questionnaires, six months after the end of a review.
    "cold_evaluations": ("send_cold_evaluations", "09:00"),
    # The worker sends webhooks as they come; this catches up on any left behind.
    "webhooks": ("send_webhooks", "04:00"),
    # The check-in on each agent's action plan, 3 and 6 months after the end of a review.
    "follow_ups": ("send_follow_ups", "09:15"),
}

# Days before a request's decision deadline when its deciders are reminded; on the
# last (smallest) one the HR service is alerted too.
REQUEST_REMINDER_DAYS = sorted(env.list("REQUEST_REMINDER_DAYS", cast=int, default=[15, 3]))

# A postponement is exceptional: it ends at most this many months after it is decided
# (then the request joins the waiting queue as approved). A year at most.
POSTPONEMENT_MAX_MONTHS = env.int("POSTPONEMENT_MAX_MONTHS", default=6)
if not 1 <= POSTPONEMENT_MAX_MONTHS <= 12:
    raise ImproperlyConfigured("POSTPONEMENT_MAX_MONTHS must be between 1 and 12.")

# Webhooks may post to plain http://127.0.0.1 or localhost and to internal addresses
# (development, tests); otherwise HTTPS only, to public addresses only.
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)

# Section 2.5 of the syntheses (health, family, money) is encrypted with these Fernet
# keys, newest first; `manage.py rotate_synthesis_keys` re-encrypts with the first one.
SYNTHESIS_KEYS = env.list("SYNTHESIS_KEYS", default=[])
if not SYNTHESIS_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("SYNTHESIS_KEYS must be set when DEBUG is false.")
    SYNTHESIS_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1zeW50aGVzaXMta2V5ISE="]  # development only

# Seconds after a change in the synthesis editor before its script saves the draft.
SYNTHESIS_AUTOSAVE_SECONDS = env.int("SYNTHESIS_AUTOSAVE_SECONDS", default=10)

# Days after a provider-led cohort ends after which the provider loses all access to its
# syntheses (sooner if the agent has already chosen whether to transmit theirs).
PROVIDER_ACCESS_DAYS = env.int("PROVIDER_ACCESS_DAYS", default=30)


# Sessions and interviews take place on working time (Paris), e.g. WORKING_HOURS=08:00-19:00.
def _working_hours(value: str) -> tuple[datetime.time, datetime.time]:
    try:
        opens, closes = (datetime.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as error:
        raise ImproperlyConfigured("WORKING_HOURS: HH:MM-HH:MM, e.g. 08:00-19:00.") from error
    if opens >= closes:
        raise ImproperlyConfigured("WORKING_HOURS: the day must open before it closes.")
    return opens, closes


WORKING_HOURS = _working_hours(env.str("WORKING_HOURS", default="08:00-19:00"))

# Demo and tests only: the password of every account built by `manage.py seed_demo`.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-bpp-2026")

# Personal data (RGPD): how long each kind of data is kept, in months, before
# `manage.py purge_expired_data` (daily) deletes it; the README says why each default.
RETENTION_MONTHS = {
    # A refused, withdrawn, declined or implicitly rejected request and its history,
    # after it closed.
    "closed_requests": env.int("RETENTION_CLOSED_REQUESTS_MONTHS", default=24),
    # A concluded or cancelled cohort, its sessions, attendance and enrolments (and the
    # requests they served), after it ended.
    "cohorts": env.int("RETENTION_COHORTS_MONTHS", default=36),
    # A synthesis kept for follow-up, after its signature (or the end of the review when
    # it was never signed); the agent may destroy it sooner.
    "syntheses": env.int("RETENTION_SYNTHESES_MONTHS", default=60),
    # Who read a synthesis, after the read.
    "read_logs": env.int("RETENTION_READ_LOGS_MONTHS", default=12),
    # A satisfaction questionnaire (answered or not), after it was sent.
    "questionnaires": env.int("RETENTION_QUESTIONNAIRES_MONTHS", default=24),
    # A finished background task (a sent e-mail holds its whole text), after it finished.
    "finished_tasks": env.int("RETENTION_FINISHED_TASKS_MONTHS", default=1),
    # A notification of the person's space (a copy of a message), after it was sent.
    "notifications": env.int("RETENTION_NOTIFICATIONS_MONTHS", default=12),
}
for _kind, _months in RETENTION_MONTHS.items():
    if not 1 <= _months <= 240:
        raise ImproperlyConfigured(f"RETENTION_{_kind.upper()}_MONTHS must be between 1 and 240.")

# The legal notice (mentions légales) and the contact page.
LEGAL_EDITOR = env.str(
    "LEGAL_EDITOR", default="Le ministère ou l’établissement public qui exploite ce service"
)
LEGAL_EDITOR_ADDRESS = env.str("LEGAL_EDITOR_ADDRESS", default="")
LEGAL_PUBLICATION_DIRECTOR = env.str(
    "LEGAL_PUBLICATION_DIRECTOR", default="Le directeur ou la directrice des ressources humaines"
)
LEGAL_HOST = env.str("LEGAL_HOST", default="L’hébergeur désigné par l’éditeur")
LEGAL_HOST_ADDRESS = env.str("LEGAL_HOST_ADDRESS", default="")
# The address that answers users (help, accessibility feedback, questions on the service).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="contact-bilans@bpp.local")
