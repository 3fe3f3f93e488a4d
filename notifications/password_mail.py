"""The forgotten password's e-mail: the link to choose a new one, queued in the outbox
in the same transaction as the link itself. No preference holds it back, and it has no
inbox entry: whoever asks for it cannot sign in."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from decisions import password_reset
from decisions.models import User
from decisions.settings import get_partnership
from notifications import outbox
from notifications.applicant_mail import DirectEmail, render_direct_email
from notifications.messages import Content, deadline_in_zone
from notifications.models import Kind
from notifications.settings import Settings


def send_link(
    session: Session, settings: Settings, email: str, now: datetime | None = None
) -> None:
    """Make a reset link for the active account that uses ``email`` and queue the
    e-mail that holds it; for any other address, do nothing, and say nothing of it.
    A malformed address is an InvalidInput. Commits."""
    started = password_reset.start(session, email, now)
    if started is not None:
        reset, token = started
        user = reset.user
        partnership = get_partnership(session)
        zone = user.time_zone or partnership.time_zone
        outbox.mail(
            session,
            settings,
            # The link's id: each link is mailed once, and every one is mailed.
            f"password_reset:{reset.id}",
            Kind.INVITATION,
            (user.email, user.name),
            reset_link(
                settings,
                partnership.name,
                user,
                token,
                reset.expires_at,
                (zone, user.locale or partnership.language),
            ),
            user_id=user.id,
        )
    session.commit()


def reset_link(
    settings: Settings,
    partnership: str,
    user: User,
    token: str,
    expires: datetime,
    reader: tuple[str, str],
) -> Content:
    zone, locale = reader  # the account's time zone and language, which the e-mail speaks
    with force_locale(locale):
        mail = DirectEmail(
            subject=_(
                "Choose a new password for %(partnership)s in Accord", partnership=partnership
            ),
            paragraphs=[
                _(
                    "Someone, we hope you, asked for a new password for your account in "
                    "Accord, where %(partnership)s registers its positions and decisions. "
                    "Follow the link below to choose it.",
                    partnership=partnership,
                ),
                _(
                    "The link works once, until %(expires)s.",
                    expires=deadline_in_zone(expires, zone, locale),
                ),
                _(
                    "If you did not ask for it, ignore this e-mail: your password stays as "
                    "it is, and nobody can use the link without this e-mail."
                ),
            ],
            action=_("Choose a new password"),
            link=settings.url_for("auth.reset", token=token),
            prominent=True,
            why=_(
                "You receive this because someone entered your address, %(email)s, on "
                "Accord's forgotten-password page.",
                email=user.email,
            ),
        )
        return render_direct_email(settings, mail, user.name, locale)
