"""The application factory."""
from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy import bindparam, select

from app import config as config_module
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | dict | None = None) -> Flask:
    """Build the app. ``config`` may be a dict, a config class, or None (environment)."""
    app = Flask(__name__.split(".")[0], instance_relative_config=True)
    env_name = os.environ.get("TALKA_ENV", "development")
    if isinstance(config, dict) and config.get("TESTING"):
        env_name = "testing"
    app.config.from_object(config_module.CONFIGS.get(env_name, config_module.Development))
    app.config.from_pyfile("config.py", silent=True)
    config_module.apply_environment(app.config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "talka.sqlite")
    config_module.ensure_secret_key(app.config, app.instance_path, env_name)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)

    from app.accounts.models import configure_hasher

    configure_hasher(app.config.get("ARGON2_PARAMS"))
    _init_extensions(app)
    _register_blueprints(app)

    from app.core.errors import init_errors
    from app.core.formatting import init_formatting
    from app.core.headers import init_headers
    from app.core.mail import init_mail
    from app.core.security import enforce_declared_access
    from app.municipalities.tenancy import init_tenancy

    init_tenancy(app)
    init_errors(app)
    init_headers(app)
    init_mail(app)
    init_formatting(app)
    app.before_request(enforce_declared_access)
    _init_template_context(app)

    from app.core import metrics_foundation

    metrics_foundation.register()

    from app.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.i18n import _l, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Vilnius",
                   default_locale="lt")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.municipalities.tenancy import prefetched_user

        loaded, user = prefetched_user(int(user_id))
        if loaded:
            return user
        # A statement built once rather than Session.get(), which builds one per request.
        return db.session.execute(_user_by_id(), {"id": int(user_id)}).scalar_one_or_none()


@cache
def _user_by_id():
    from app.accounts.models import User

    return select(User).where(User.id == bindparam("id"))


def _register_blueprints(app: Flask) -> None:
    # Import models so that metadata (and Alembic) see every table.
    from app import models  # noqa: F401
    from app.accounts import bp as accounts_bp
    from app.municipalities import bp as municipalities_bp

    app.register_blueprint(municipalities_bp)
    app.register_blueprint(accounts_bp)
    for bp in _feature_blueprints():
        app.register_blueprint(bp)


def _feature_blueprints() -> list:
    """Feature packages, each a blueprint under /<municipality>/…"""
    from app.budgeting import bp as budgeting_bp
    from app.consultations import bp as consultations_bp
    from app.discussion import bp as discussion_bp
    from app.initiatives import bp as initiatives_bp
    from app.organisations import bp as organisations_bp
    from app.pilot import bp as pilot_bp

    return [discussion_bp, initiatives_bp, budgeting_bp, organisations_bp, consultations_bp, pilot_bp]


def _init_template_context(app: Flask) -> None:
    from flask_babel import get_locale

    from app.accounts.forms import LanguageForm
    from app.core.forms import ConfirmForm
    from app.core.registry import NAV_ITEMS

    @app.context_processor
    def inject():
        municipality = g.get("municipality")
        nav = []
        if municipality is not None:
            for item in NAV_ITEMS:
                if item.role and not (current_user.is_authenticated
                                      and current_user.has_role(municipality, item.role)):
                    continue
                nav.append(item)
        lang_form = LanguageForm(formdata=None, lang=str(get_locale()),
                                 next=request.full_path.rstrip("?") if request else "/")
        return {
            "municipality": municipality,
            "nav_items": nav,
            "lang_form": lang_form,
            "logout_form": ConfirmForm(formdata=None),
            "current_locale": str(get_locale()),
        }
