from flask import Blueprint

bp = Blueprint("log", __name__)

from app.log import views  # noqa: E402,F401  (routes attach to bp)
