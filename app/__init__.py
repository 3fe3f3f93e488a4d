"""The application factory."""

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from app import config
from decisions.lookup import ID_MAX


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in a route: a whole number no larger than a stored id can be, so a
    path such as /proposals/99999999999999999999 is a 404, not a database overflow."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = ID_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment(list(app.config)))
    app.config.update(overrides or {})
    if app.config["TESTING"] and not (overrides or {}).get("ACCORD_SCHEDULER"):
        app.config["ACCORD_SCHEDULER"] = "off"
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(app.config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    trust_proxies(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_cli(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind a reverse proxy every request comes from the proxy's address: believe its
    X-Forwarded-For (and -Proto), so that the application rate limit sees the client's."""
    hops = int(app.config["ACCORD_PROXIES"] or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    import notifications
    from app import compression, i18n, ratelimit, sessions
    from app.extensions import babel, csrf, login_manager, migrate
    from app.i18n import select_locale
    from decisions.db import db

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    sessions.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)
    ratelimit.init_app(app)
    notifications.init_app(app)
    compression.register(app)


def register_url_converters(app: Flask) -> None:
    """Before the blueprints: a route's converters are fixed when it is registered."""
    app.url_map.converters["int"] = DatabaseIdConverter


def register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.applications import bp as applications_bp
    from app.auth import bp as auth_bp
    from app.extensions import csrf
    from app.health import bp as health_bp
    from app.inbox import bp as inbox_bp
    from app.log import bp as log_bp
    from app.main import bp as main_bp
    from app.members import bp as members_bp
    from app.proposals import bp as proposals_bp
    from app.proposals.discussion import bp as discussion_bp
    from app.rounds import bp as rounds_bp

    for blueprint in (
        main_bp,
        auth_bp,
        members_bp,
        proposals_bp,
        rounds_bp,
        discussion_bp,
        log_bp,
        api_bp,
        inbox_bp,
        applications_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    # The API authenticates each request by its bearer token, never by a cookie, so a
    # forged cross-site request carries nothing to act with: CSRF does not apply.
    csrf.exempt(api_bp)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app import access, formatting, i18n, labels

    formatting.register(app)
    app.context_processor(i18n.page_language)
    app.jinja_env.filters["language_name"] = i18n.language_name
    app.jinja_env.filters["in_reader_language"] = i18n.in_reader_language
    app.jinja_env.globals["labels"] = labels.IN_TEMPLATES
    app.context_processor(lambda: {"may": access.abilities()})


def register_security_headers(app: Flask) -> None:
    from app import security

    security.register(app)


def register_cli(app: Flask) -> None:
    from app.cli import accord
    from decisions import models
    from decisions.db import db

    app.cli.add_command(accord)

    @app.shell_context_processor
    def shell_context() -> dict[str, object]:
        """`flask shell` starts with the database and the models at hand."""
        names = ("Partnership", "Category", "Partner", "User", "Proposal", "Round", "Position")
        return {"db": db, "DecisionEntry": models.DecisionEntry} | {
            name: getattr(models, name) for name in names
        }
