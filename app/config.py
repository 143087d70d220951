"""Configuration classes.

Every value can be overridden by an environment variable of the same name or by
``instance/config.py``. No secret is stored in the repository: in development a
secret key is generated once into ``instance/secret_key``; in production a missing
``SECRET_KEY`` stops the application at start.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_KEYS = (
    "SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME",
    "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_DEFAULT_SENDER",
    "TRUSTED_HOSTS", "RATELIMIT_STORAGE_URI", "PUBLIC_URL", "SESSION_COOKIE_SECURE",
    "PREFERRED_URL_SCHEME",
)


class ConfigError(RuntimeError):
    """Raised at start when the configuration cannot be used safely."""


class Base:
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "lt"
    BABEL_DEFAULT_TIMEZONE = "Europe/Vilnius"
    LANGUAGES = ("lt", "en")
    # Werkzeug refuses form fields over 500 kB with a bare 413; we accept larger
    # bodies so that the form can say "too long" and give the text back.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 16 * 1024 * 1024
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Talka <noreply@talka.local>"
    MAIL_SUPPRESS = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "10 per minute"
    TRUSTED_HOSTS: list[str] | None = None
    PUBLIC_URL = "http://127.0.0.1:5000"
    EMAIL_TOKEN_MAX_AGE = 48 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    TESTING = False
    DEBUG = False


class Development(Base):
    DEBUG = False
    TRUSTED_HOSTS = ["127.0.0.1", "localhost"]


class Testing(Base):
    TESTING = True
    WTF_CSRF_ENABLED = True
    TRUSTED_HOSTS = ["localhost", "127.0.0.1"]
    RATELIMIT_ENABLED = True
    SECRET_KEY = "testing-only-not-secret"
    PUBLIC_URL = "http://localhost"


class Production(Base):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {"development": Development, "testing": Testing, "production": Production}


def _coerce(value: str):
    low = value.lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    if value.isdigit():
        return int(value)
    return value


def apply_environment(config: dict) -> None:
    """Copy recognised environment variables into ``config``."""
    for key in ENV_KEYS:
        if key in os.environ:
            value = os.environ[key]
            if key == "TRUSTED_HOSTS":
                config[key] = [h.strip() for h in value.split(",") if h.strip()]
            elif key == "DATABASE_URL":
                config["SQLALCHEMY_DATABASE_URI"] = value
            else:
                config[key] = _coerce(value)


def ensure_secret_key(config: dict, instance_path: str, env_name: str) -> None:
    """Make sure a secret key exists without ever committing one."""
    if config.get("SECRET_KEY"):
        return
    if env_name == "production":
        raise ConfigError("SECRET_KEY must be set in production (environment variable SECRET_KEY).")
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    config["SECRET_KEY"] = key_file.read_text().strip()
