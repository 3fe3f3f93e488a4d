"""Membership applications become notices: the Secretariat hears of each new one (inbox,
and e-mail as each member's preference allows); the applicant, who has no account, is
e-mailed at each step; an admitted partner's contact gets the link to choose a password.

Each handler runs in the transaction of the change (see notifications.handlers). Keys
name the application and the step, so each message is queued once however often its
event is handled (see notifications.outbox).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import events
from decisions.application_models import Application, ApplicationStatus
from decisions.application_text import country_label
from decisions.credential_models import Invitation
from decisions.models import User
from decisions.settings import get_partnership
from notifications import applicant_mail, outbox, recipients
from notifications.messages import Facts
from notifications.models import Kind
from notifications.settings import Settings


def tell_applicant_received(
    session: Session, event: events.ApplicationReceived, settings: Settings
) -> None:
    application = session.get_one(Application, event.application_id)
    partnership = get_partnership(session)
    outbox.mail(
        session,
        settings,
        f"application:{application.id}:received",
        Kind.APPLICATION_STATUS,
        (application.contact_email, application.contact_name),
        applicant_mail.received(settings, application, partnership, event.withdraw_token),
    )


def notify_secretariat_of_application(
    session: Session, event: events.ApplicationReceived, settings: Settings
) -> None:
    application = session.get_one(Application, event.application_id)
    facts = Facts(
        kind=Kind.APPLICATION_RECEIVED,
        title=application.organisation_name,
        round_number=0,
        link=settings.url_for("applications.show", application_id=application.id),
        category=application.category.name,
        country=country_label(application.headquarters_country),
    )
    drafts = outbox.drafts_for(
        f"application_received:{application.id}", facts.kind, recipients.secretariat(session)
    )
    outbox.queue(session, settings, facts, drafts, application.created_at)


def tell_applicant_status(
    session: Session, event: events.ApplicationStatusChanged, settings: Settings
) -> None:
    status = ApplicationStatus(event.status)
    if status not in applicant_mail.TOLD:
        return
    application = session.get_one(Application, event.application_id)
    outbox.mail(
        session,
        settings,
        f"application:{application.id}:{status.value}",
        Kind.APPLICATION_STATUS,
        (application.contact_email, application.contact_name),
        applicant_mail.status_changed(settings, application, get_partnership(session), status),
    )


def invite_admitted_representative(
    session: Session, event: events.PartnerAdmitted, settings: Settings
) -> None:
    application = session.get_one(Application, event.application_id)
    user = session.get_one(User, event.user_id)
    partnership = get_partnership(session)
    invitation = None
    if event.invitation_token:
        invitation = (event.invitation_token, _newest_invitation(session, user).expires_at)
    # No preference holds this back: it is how the new representative gets in at all.
    outbox.mail(
        session,
        settings,
        f"application:{application.id}:admitted",
        Kind.INVITATION,
        (user.email, user.name),
        applicant_mail.admitted(
            settings,
            application,
            partnership.name,
            user.name,
            invitation,
            (
                user.time_zone or partnership.time_zone,
                # An account the contact had already keeps its own language.
                user.locale or applicant_mail.applicant_locale(application, partnership),
            ),
        ),
        user_id=user.id,
    )


def send_invitation(session: Session, event: events.UserInvited, settings: Settings) -> None:
    user = session.get_one(User, event.user_id)
    partnership = get_partnership(session)
    invitation = _newest_invitation(session, user)
    outbox.mail(
        session,
        settings,
        # The invitation's id: each new link is mailed once, and every one is mailed.
        f"invitation:{invitation.id}",
        Kind.INVITATION,
        (user.email, user.name),
        applicant_mail.invited(
            settings,
            partnership.name,
            user.name,
            event.invitation_token,
            invitation.expires_at,
            (user.time_zone or partnership.time_zone, user.locale or partnership.language),
        ),
        user_id=user.id,
    )


def _newest_invitation(session: Session, user: User) -> Invitation:
    """The user's newest open invitation: the one its event's service made in this
    transaction. Only the token's hash is stored, hence not looked up by token (that also
    checks expiry against the wall clock, which a decision closed "as of" another time
    defeats)."""
    return session.scalars(
        select(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .order_by(Invitation.id.desc())
        .limit(1)
    ).one()
