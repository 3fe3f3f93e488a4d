from flask_login import login_required

from app.proposals import bp


@bp.get("/proposals")
@login_required
def index():  # type: ignore[no-untyped-def]
    return "TODO"


@bp.get("/proposals/<int:proposal_id>")
@login_required
def show(proposal_id: int):  # type: ignore[no-untyped-def]
    return "TODO"
