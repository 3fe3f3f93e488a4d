"""Named domain errors. The web layer turns them into form errors, the API into JSON.

Each carries a stable snake_case ``code`` and, for invalid input, the ``field`` at
fault; the HTTP status each answers with is the web's business (app/domain_errors.py).
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    code = "domain_error"
    field: str | None = None
    default_message = _l("The request cannot be carried out.")

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = str(message) if message is not None else str(self.default_message)
        if field is not None:
            self.field = field
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    default_message = _l("Not found.")


class NotAllowed(DomainError):
    code = "forbidden"
    default_message = _l("You are not allowed to do this.")


class NotInElectorate(DomainError):
    code = "not_in_electorate"
    default_message = _l("This partner is not in the electorate of this round.")


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _l("This value is not valid.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    field = "reason"
    default_message = _l("An objection needs a reason.")


class NoteRequired(InvalidInput):
    code = "note_required"
    field = "note"
    default_message = _l("Say how the position was received (letter, e-mail, call…).")


class DeadlineRefused(InvalidInput):
    """A deadline the rules refuse; every such refusal is on the field ``deadline``."""

    field = "deadline"


class DeadlineNotInFuture(DeadlineRefused):
    code = "deadline_not_in_future"
    default_message = _l("The deadline must be in the future.")


class DeadlineNotLater(DeadlineRefused):
    code = "deadline_not_later"
    default_message = _l("The new deadline must be later than the current one.")


class DeadlineTooFar(DeadlineRefused):
    code = "deadline_too_far"
    default_message = _l("The deadline can be at most five years ahead.")


class DeadlinePassed(DomainError):
    code = "deadline_passed"
    default_message = _l("The deadline has passed: no position can be registered any more.")


class RoundNotOpen(DomainError):
    #: the API's contract keeps the code it has always had
    code = "round_closed"
    default_message = _l("This round is closed.")


class RoundAlreadyOpen(DomainError):
    code = "round_open"
    default_message = _l("A round is already open on this proposal.")


class ProposalLocked(DomainError):
    code = "proposal_locked"
    default_message = _l("This proposal cannot be changed now.")


class PartnersPending(DomainError):
    code = "partners_pending"
    default_message = _l(
        "Some partners have not registered a position yet; the round can be closed "
        "before its deadline only when no partner is pending."
    )


class AlreadyExists(InvalidInput):
    code = "already_exists"
    default_message = _l("This already exists.")


class FocusByDecision(DomainError):
    code = "focus_by_decision"
    default_message = _l(
        "The decision log is no longer empty: the regional focus changes by decision."
    )


class ApplicationClosed(DomainError):
    code = "application_closed"
    default_message = _l("This application cannot be changed in its present state.")


class DiscussionClosed(DomainError):
    code = "discussion_closed"
    default_message = _l("The discussion is closed: the proposal was adopted or withdrawn.")


class CommentFixed(DomainError):
    code = "comment_fixed"
    default_message = _l("A comment can be edited only in the first 15 minutes after it is posted.")


class ObjectionSettled(DomainError):
    code = "objection_settled"
    default_message = _l(
        "This objection is settled: a later round resolved it, or the partner maintained it."
    )


class InvitationInvalid(InvalidInput):
    code = "invitation_invalid"
    field = "token"
    default_message = _l("This link is not valid, or has expired or been used already.")


class NotInvitable(DomainError):
    code = "not_invitable"
    default_message = _l("Only an active user who has no password yet can be invited.")


class RoundTooShort(DeadlineRefused):
    code = "round_too_short"
    default_message = _l("A round on this kind of proposal lasts longer.")


class SilenceNotAllowed(InvalidInput):
    code = "silence_not_allowed"
    field = "quorum"
    default_message = _l(
        "Silence cannot count on this kind of proposal: set a quorum of at least 1."
    )
