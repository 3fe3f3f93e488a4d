from app.access import secretariat_required
from app.members import bp


@bp.get("/partners")
@secretariat_required
def partners():  # type: ignore[no-untyped-def]
    return "TODO"


@bp.get("/users")
@secretariat_required
def users():  # type: ignore[no-untyped-def]
    return "TODO"


@bp.get("/settings")
@secretariat_required
def settings():  # type: ignore[no-untyped-def]
    return "TODO"
