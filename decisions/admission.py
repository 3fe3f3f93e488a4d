"""What the partnership's decision on an admission proposal does to the application.

Adopted: the organisation becomes an active partner in the category applied for, and
its contact person its first representative, invited to set a password. Blocked or
lapsed: the application is declined. Both happen in the transaction that closes the
round (decisions/closing.py), so the log entry and the change cannot part.
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions import events
from decisions.application_models import Application, ApplicationStatus
from decisions.invitations import invite
from decisions.lookup import is_row_id
from decisions.models import Partner, PartnerStatus, Proposal, Role, User

Effect = dict[str, object]

#: an application in these states is past the partnership's decision
SETTLED = (ApplicationStatus.ADMITTED, ApplicationStatus.WITHDRAWN)


def _application(session: Session, proposal: Proposal) -> Application | None:
    application_id = (proposal.subject or {}).get("application_id")
    if not is_row_id(application_id):
        return None
    return session.get(Application, application_id)


def admit(session: Session, proposal: Proposal) -> list[Effect]:
    application = _application(session, proposal)
    if application is None:
        return []
    effect: Effect = {
        "effect": "admission",
        "application_id": application.id,
        "organisation": application.organisation_name,
    }
    if application.status in SETTLED:
        return [{**effect, "unchanged": True}]
    moment = proposal.updated_at  # the closing's time
    partner = session.scalar(
        select(Partner).where(func.lower(Partner.name) == application.organisation_name.lower())
    )
    if partner is not None and partner.status != PartnerStatus.REMOVED:
        # Names are unique: a partner of that name registered meanwhile is not made twice.
        return [{**effect, "partner_id": partner.id, "unchanged": True}]
    partner = _admitted_partner(session, application, partner, moment)
    user, token = _first_representative(session, application, partner, moment)
    application.partner_id = partner.id
    application.status = ApplicationStatus.ADMITTED
    application.updated_at = moment
    session.flush()
    events.publish(
        session,
        events.ApplicationStatusChanged(
            application_id=application.id, status=str(ApplicationStatus.ADMITTED)
        ),
    )
    events.publish(
        session,
        events.PartnerAdmitted(
            application_id=application.id,
            partner_id=partner.id,
            user_id=user.id,
            invitation_token=token,
        ),
    )
    return [{**effect, "partner_id": partner.id, "partner": partner.name, "user_id": user.id}]


def _admitted_partner(
    session: Session, application: Application, removed: Partner | None, moment: datetime
) -> Partner:
    """A new active partner for the application; or ``removed``, a partner of that name
    removed earlier, active again (a removed partner returns only by admission)."""
    if removed is None:
        partner = Partner(
            name=application.organisation_name,
            country=application.headquarters_country,
            category_id=application.category_id,
            status=PartnerStatus.ACTIVE,
            created_at=moment,
        )
        session.add(partner)
    else:
        partner = removed
        partner.status = PartnerStatus.ACTIVE
        partner.country = application.headquarters_country
        partner.category_id = application.category_id
    session.flush()
    return partner


def _first_representative(
    session: Session, application: Application, partner: Partner, moment: datetime
) -> tuple[User, str | None]:
    """The contact person as the partner's representative, invited to set a password.
    An e-mail that has an account already keeps it as it is (never moved to another
    partner or role by a decision); it is invited only if it never set a password."""
    email = application.contact_email.lower()
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            name=application.contact_name,
            role=Role.PARTNER,
            partner_id=partner.id,
            password_hash="",
            # The invitation and every later notice speak the language it applied in.
            locale=application.language,
            created_at=moment,
        )
        session.add(user)
        session.flush()
    if user.password_hash:
        return user, None
    return user, invite(session, user, moment)


def decline_not_adopted(session: Session, proposal: Proposal) -> list[Effect]:
    """A blocked or lapsed admission round declines the application."""
    application = _application(session, proposal)
    if application is None or application.status in (*SETTLED, ApplicationStatus.DECLINED):
        return []
    application.status = ApplicationStatus.DECLINED
    application.updated_at = proposal.updated_at
    session.flush()
    events.publish(
        session,
        events.ApplicationStatusChanged(
            application_id=application.id, status=str(ApplicationStatus.DECLINED)
        ),
    )
    return [
        {
            "effect": "application_declined",
            "application_id": application.id,
            "organisation": application.organisation_name,
        }
    ]
