"""Who is asking, the partnership's settings, and its partners."""

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.operations import operation
from app.api.schemas import (
    Listing,
    Me,
    MePatch,
    NoticeOut,
    PageQuery,
    PartnerIn,
    PartnerOut,
    PartnershipOut,
    PartnershipPatch,
)
from decisions import categories, settings, users
from decisions import partners as partners_domain
from decisions.db import db
from decisions.models import Role, User
from decisions.paging import paginate
from notifications import inbox

SECRETARIAT = (Role.SECRETARIAT,)


@operation(bp, "GET", "/me", summary="The token's user", answer=Me)
def me(user: User) -> Me:
    return represent.me(user, settings.get_partnership(db.session))


@operation(
    bp,
    "PATCH",
    "/me",
    summary="Choose one's interface language and time zone",
    body=MePatch,
    answer=Me,
)
def change_me(user: User, body: MePatch) -> Me:
    """An unknown language or IANA zone is refused with 422, naming the field."""
    users.update_user(db.session, None, user.id, **body.changes())
    return represent.me(user, settings.get_partnership(db.session))


@operation(
    bp,
    "GET",
    "/me/notifications",
    summary="The token user's inbox, newest first",
    query=PageQuery,
    answer=Listing[NoticeOut],
)
def my_notifications(user: User, query: PageQuery) -> Listing[NoticeOut]:
    """Every notice, whatever the user's e-mail preference; ``read_at`` is set once it
    was marked read on the inbox page."""
    page = inbox.notifications_of(db.session, user, query.page, query.per_page)
    return represent.listing(page, NoticeOut.model_validate)


@operation(bp, "GET", "/partnership", summary="The partnership's settings", answer=PartnershipOut)
def partnership(user: User) -> PartnershipOut:
    return _partnership()


@operation(
    bp,
    "PATCH",
    "/partnership",
    summary="Change the settings",
    who=SECRETARIAT,
    body=PartnershipPatch,
    answer=PartnershipOut,
    also=(409,),
)
def change_partnership(user: User, body: PartnershipPatch) -> PartnershipOut:
    """The regional focus changes here only while the decision log is empty (the
    founding); afterwards only by decision, and a change here is refused with 409."""
    settings.update_settings(db.session, user, **body.changes())
    return _partnership()


def _partnership() -> PartnershipOut:
    return represent.partnership(
        settings.get_partnership(db.session), categories.categories(db.session)
    )


@operation(
    bp,
    "GET",
    "/partners",
    summary="Every partner, by name",
    query=PageQuery,
    answer=Listing[PartnerOut],
)
def partners(user: User, query: PageQuery) -> Listing[PartnerOut]:
    page = paginate(db.session, partners_domain.partners_query(), query.page, query.per_page)
    return represent.listing(page, represent.partner)


@operation(
    bp,
    "POST",
    "/partners",
    summary="Register a founding partner",
    who=SECRETARIAT,
    body=PartnerIn,
    status=201,
    answer=PartnerOut,
)
def create_partner(user: User, body: PartnerIn) -> PartnerOut:
    """Later partners join by an admission decision."""
    created = partners_domain.create_partner(
        db.session, user, body.name, body.country, body.category
    )
    return represent.partner(created)
