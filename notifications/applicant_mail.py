"""What an applicant is told at each step, and the new representative's invitation:
e-mails to people without an account (or without a password yet), so without the inbox,
the account link and the reader's own time zone of the other notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from decisions.application_models import Application, ApplicationStatus
from decisions.languages import direction
from decisions.models import Partnership
from notifications.messages import Content, deadline_in_zone
from notifications.settings import Settings

#: the steps an applicant hears of. A recommendation is the Secretariat's advice to the
#: partners, which it may still revise, not a step of the applicant's; admission comes
#: with the invitation (see ``admitted``).
TOLD = (ApplicationStatus.PROPOSED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


@dataclass(frozen=True)
class DirectEmail:
    """What an e-mail that has no inbox entry says (to an applicant, or to a user who has
    no password yet), before it is rendered from app/templates/mail/applicant.*."""

    subject: str
    paragraphs: list[str]
    why: str
    details: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""
    link: str = ""
    #: a link the reader is expected to follow (a button), not one kept for later
    prominent: bool = False


def applicant_locale(application: Application, partnership: Partnership) -> str:
    """The language the applicant applied in; an application sent before that was kept
    is written to in the partnership's."""
    return application.language or partnership.language


def received(
    settings: Settings, application: Application, partnership: Partnership, withdraw_token: str
) -> Content:
    locale = applicant_locale(application, partnership)
    with force_locale(locale):
        words = _words(application, partnership.name)
        mail = DirectEmail(
            subject=_("We have received your application to %(partnership)s", **words),
            paragraphs=[
                _(
                    "Thank you for applying for membership of %(partnership)s on behalf of "
                    "%(organisation)s. The Secretariat will review the application and "
                    "write to you at each step.",
                    **words,
                ),
                _(
                    "Should you wish to withdraw the application, use the link below. It is "
                    "yours alone: keep this e-mail and do not pass it on.",
                ),
            ],
            details=_details(application),
            action=_("Withdraw the application"),
            link=settings.url_for(
                "applications.withdraw", application_id=application.id, token=withdraw_token
            ),
            why=_why_applicant(words),
        )
        return render_direct_email(settings, mail, application.contact_name, locale)


def status_changed(
    settings: Settings,
    application: Application,
    partnership: Partnership,
    status: ApplicationStatus,
) -> Content:
    locale = applicant_locale(application, partnership)
    with force_locale(locale):
        words = _words(application, partnership.name)
        subject, paragraphs = _step_news(status, words)
        mail = DirectEmail(
            subject=subject,
            paragraphs=paragraphs,
            details=_details(application),
            why=_why_applicant(words),
        )
        return render_direct_email(settings, mail, application.contact_name, locale)


def _step_news(status: ApplicationStatus, words: dict[str, str]) -> tuple[str, list[str]]:
    """The subject and paragraphs telling the applicant of a step (one of ``TOLD``)."""
    if status == ApplicationStatus.PROPOSED:
        return _("Your application is before the partners of %(partnership)s", **words), [
            _(
                "The Secretariat has proposed to the partners of %(partnership)s that "
                "%(organisation)s be admitted. The partners decide by consensus; we will "
                "write to you with their decision.",
                **words,
            ),
            _(
                "Until then you may still withdraw the application, with the link in "
                "the e-mail that confirmed we had received it."
            ),
        ]
    if status == ApplicationStatus.DECLINED:
        return _("Your application to %(partnership)s", **words), [
            _(
                "We regret to tell you that %(organisation)s has not been admitted to "
                "%(partnership)s. Thank you for your interest in the partnership.",
                **words,
            )
        ]
    return _("Your application to %(partnership)s is withdrawn", **words), [
        _(
            "The application of %(organisation)s is withdrawn, as you asked. Nothing "
            "more will be done with it.",
            **words,
        )
    ]


def admitted(
    settings: Settings,
    application: Application,
    partnership: str,
    name: str,
    invitation: tuple[str, datetime] | None,
    reader: tuple[str, str],
) -> Content:
    """To the contact person, now a user: with ``invitation`` (token, expiry) the link to
    choose a password; without, the contact had an account already and signs in with it.
    ``reader``: the user's time zone and language, which the e-mail speaks."""
    with force_locale(reader[1]):
        words = _words(application, partnership)
        news = _("The partners of %(partnership)s have decided to admit %(organisation)s.", **words)
        if invitation is not None:
            subject = _("Welcome to %(partnership)s: choose your password", **words)
        else:
            subject = _("Welcome to %(partnership)s", **words)
        first_steps, action, link = _first_steps(settings, invitation, reader)
        mail = DirectEmail(
            subject=subject,
            paragraphs=[news, *first_steps],
            details=_details(application),
            action=action,
            link=link,
            prominent=True,
            why=_why_applicant(words),
        )
        return render_direct_email(settings, mail, name, reader[1])


def _first_steps(
    settings: Settings, invitation: tuple[str, datetime] | None, reader: tuple[str, str]
) -> tuple[list[str], str, str]:
    """What an admitted contact does next: choose a password by the link, or sign in."""
    if invitation is None:
        steps = [_("Sign in to Accord with the account you have already.")]
        return steps, _("Sign in"), settings.url_for("auth.login")
    token, expires = invitation
    steps = [
        _(
            "You are its first representative in Accord, where the partnership "
            "registers its positions and decisions. Choose your password to sign in.",
        ),
        _link_works_once(expires, reader),
    ]
    return steps, _("Choose your password"), settings.url_for("auth.invitation", token=token)


def invited(
    settings: Settings,
    partnership: str,
    name: str,
    token: str,
    expires: datetime,
    reader: tuple[str, str],
) -> Content:
    """A new set-password link, sent by the Secretariat to a user who has no password
    yet (the first one expired, or none was ever sent). ``reader``: the user's time zone
    and language, which the e-mail speaks."""
    with force_locale(reader[1]):
        words = {"partnership": partnership}
        mail = DirectEmail(
            subject=_("Choose your password for %(partnership)s in Accord", **words),
            paragraphs=[
                _(
                    "The Secretariat of %(partnership)s invites you to Accord, where the "
                    "partnership registers its positions and decisions. Choose your password "
                    "to sign in.",
                    **words,
                ),
                _link_works_once(expires, reader),
                _("Links sent to you before this one no longer work."),
            ],
            action=_("Choose your password"),
            link=settings.url_for("auth.invitation", token=token),
            prominent=True,
            why=_(
                "You receive this because the Secretariat of %(partnership)s has given you "
                "an account in Accord.",
                **words,
            ),
        )
        return render_direct_email(settings, mail, name, reader[1])


def _link_works_once(expires: datetime, reader: tuple[str, str]) -> str:
    zone, locale = reader
    return _(
        "The link works once, until %(expires)s. Should it no longer work, ask the "
        "Secretariat for a new one.",
        expires=deadline_in_zone(expires, zone, locale),
    )


def _words(application: Application, partnership: str) -> dict[str, str]:
    return {"partnership": partnership, "organisation": application.organisation_name}


def _details(application: Application) -> list[tuple[str, str]]:
    return [
        (_("Organisation"), application.organisation_name),
        (_("Category applied for"), application.category.name),
        (_("Reference"), _("Application %(number)d", number=application.id)),
    ]


def _why_applicant(words: dict[str, str]) -> str:
    return _(
        "You receive this as the contact person of %(organisation)s for its application to "
        "%(partnership)s.",
        **words,
    )


def render_direct_email(settings: Settings, mail: DirectEmail, name: str, locale: str) -> Content:
    """``locale``: the language the mail was worded in."""
    context = {"mail": mail, "name": name, "lang": locale, "dir": direction(locale)}
    env = settings.templates
    text = env.get_template("mail/applicant.txt").render(context)
    html = env.get_template("mail/applicant.html").render(context)
    return Content(
        subject=mail.subject,
        summary=mail.paragraphs[0],
        text=text,
        html=html,
        link=mail.link,
    )
