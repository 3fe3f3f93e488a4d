"""Language selection. English only for now; the catalogues under app/translations
are where other languages will go without touching the code."""

from flask import current_app, has_request_context, request


def available_locales() -> list[str]:
    return ["en"]


def select_locale() -> str | None:
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    if not has_request_context():  # the CLI and the scheduler
        return default
    return request.accept_languages.best_match(available_locales()) or default
