"""Membership applications become notices: the Secretariat hears of each new one (inbox,
and e-mail as each member's preference allows); the applicant, who has no account, is
e-mailed at each step; an admitted partner's contact gets the link to choose a password.

Keys name the application and the step, so each message is queued once however often
its event is handled (see notifications.outbox).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import events
from decisions.applications import country_label
from decisions.membership import get_partnership
from decisions.models import Application, ApplicationStatus, Invitation, User
from notifications import applicant_mail, outbox, recipients
from notifications.messages import Facts
from notifications.models import Kind
from notifications.settings import Settings


def on_event(session: Session, event: events.Event) -> None:
    if isinstance(event, events.ApplicationReceived):
        _received(session, Settings.of_app(), event)
    elif isinstance(event, events.ApplicationStatusChanged):
        _status_changed(session, Settings.of_app(), event)
    elif isinstance(event, events.PartnerAdmitted):
        _admitted(session, Settings.of_app(), event)
    elif isinstance(event, events.UserInvited):
        _invited(session, Settings.of_app(), event)


def application_path(application_id: int) -> str:
    return f"/applications/{application_id}"


def _received(session: Session, settings: Settings, event: events.ApplicationReceived) -> None:
    application = session.get_one(Application, event.application_id)
    partnership = get_partnership(session).name
    outbox.mail(
        session,
        settings,
        f"application:{application.id}:received",
        Kind.APPLICATION_STATUS,
        (application.contact_email, application.contact_name),
        applicant_mail.received(settings, application, partnership, event.withdraw_token),
    )
    facts = Facts(
        kind=Kind.APPLICATION_RECEIVED,
        title=application.organisation_name,
        round_number=0,
        path=application_path(application.id),
        category=application.category.name,
        country=country_label(application.headquarters_country),
    )
    drafts = outbox.drafts_for(
        f"application_received:{application.id}", facts.kind, recipients.secretariat(session)
    )
    outbox.queue(session, settings, facts, drafts, application.created_at)


def _status_changed(
    session: Session, settings: Settings, event: events.ApplicationStatusChanged
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
        applicant_mail.status_changed(settings, application, get_partnership(session).name, status),
    )


def _admitted(session: Session, settings: Settings, event: events.PartnerAdmitted) -> None:
    application = session.get_one(Application, event.application_id)
    user = session.get_one(User, event.user_id)
    partnership = get_partnership(session)
    invitation = None
    if event.invitation_token:
        # Only the token's hash is stored: its row is the user's newest unused invitation,
        # made in this same transaction. (Not looked up by token: that also checks expiry
        # against the wall clock, which a decision closed "as of" another time defeats.)
        made = _newest_invitation(session, user)
        if made is not None:
            invitation = (event.invitation_token, made.expires_at)
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
            user.time_zone or partnership.time_zone,
        ),
        user_id=user.id,
    )


def _invited(session: Session, settings: Settings, event: events.UserInvited) -> None:
    user = session.get_one(User, event.user_id)
    partnership = get_partnership(session)
    invitation = _newest_invitation(session, user)
    if invitation is None:  # cannot be: it was made in this transaction
        return
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
            user.time_zone or partnership.time_zone,
        ),
        user_id=user.id,
    )


def _newest_invitation(session: Session, user: User) -> Invitation | None:
    """The user's newest open invitation: the one made in this transaction."""
    return session.scalar(
        select(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .order_by(Invitation.id.desc())
        .limit(1)
    )
