from flask_login import login_required

from app.log import bp


@bp.get("/decisions")
@login_required
def index():  # type: ignore[no-untyped-def]
    return "TODO"
