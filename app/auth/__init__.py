from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import invitation, password, tokens, views  # noqa: E402,F401  (routes attach to bp)
