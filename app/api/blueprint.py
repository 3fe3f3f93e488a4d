"""The JSON API's blueprint, /api/v1: each topic's module (applications, log, members,
proposals, docs) adds its routes to it; errors.py answers every refusal in JSON."""

from flask import Blueprint

from app.api.errors import register as answer_errors_in_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")
answer_errors_in_json(bp)
