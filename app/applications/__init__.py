"""Membership: the public application, the Secretariat's review of applications, the
partner directory and the membership categories."""

from flask import Blueprint

bp = Blueprint("applications", __name__)


@bp.record_once
def _check_rate(state) -> None:  # type: ignore[no-untyped-def]
    from app.applications import ratelimit

    ratelimit.init_app(state.app)


from app.applications import categories, directory, public, review  # noqa: E402,F401  (routes attach to bp)
