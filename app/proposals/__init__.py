from flask import Blueprint

bp = Blueprint("proposals", __name__)

from app.proposals import views  # noqa: E402,F401  (routes attach to bp)
