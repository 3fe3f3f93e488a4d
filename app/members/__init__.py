from flask import Blueprint

bp = Blueprint("members", __name__)

from app.members import views  # noqa: E402,F401  (routes attach to bp)
