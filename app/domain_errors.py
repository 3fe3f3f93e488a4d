"""What a refusal of the domain answers over HTTP, in one table for the pages and the API.

decisions/errors.py names each refusal by its class and its ``code``; the status it
answers with is the web's business and the API's contract (../shared/API.md). A
subclass answers as its nearest listed ancestor: every InvalidInput is a 422.
"""

from decisions.errors import DomainError, InvalidInput, NotAllowed, NotFound, NotInElectorate

STATUSES: dict[type[DomainError], int] = {
    #: a conflict with the present state: a round not open, a proposal locked, a
    #: discussion closed, a comment past its 15 minutes, an objection settled…
    DomainError: 409,
    NotFound: 404,
    NotAllowed: 403,
    NotInElectorate: 403,
    InvalidInput: 422,
}


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    return STATUSES[DomainError]
