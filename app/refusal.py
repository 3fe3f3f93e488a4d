"""A service's refusal, shown on the form that asked for it: the one way every page
answers a DomainError.

    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            partners.create_partner(db.session, ...)
            return redirect(...)          # not reached when refused
    return render_template(...), refusal.page_status()

A refused service has kept nothing of the change (its unit of work rolled it back), so
a refusal is only shown: the message by the field it names, or at the top of the form.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType

from flask_wtf import FlaskForm

from app.domain_errors import status_of
from app.forms import show_domain_error
from decisions.errors import DomainError


@dataclass
class Refusal:
    """A ``with`` block on ``form``: a DomainError inside it is shown on the form, and
    kept with the status the page answers with."""

    form: FlaskForm
    #: a field the service names, by the form's name for it (the form may split one
    #: value of the service into several fields)
    fields: Mapping[str, str] = field(default_factory=dict)
    #: the page's HTTP status once refused (409, 422…); None while nothing was refused
    status: int | None = None
    error: DomainError | None = None

    def __enter__(self) -> "Refusal":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, DomainError):
            return False
        if error.field in self.fields:
            error.field = self.fields[error.field]
        show_domain_error(self.form, error)
        self.error, self.status = error, status_of(error)
        return True

    def page_status(self) -> int:
        """The status of the page that shows the form again: the refusal's; else 422 for
        a submitted form whose input did not validate; else 200."""
        if self.status is not None:
            return self.status
        return 422 if self.form.is_submitted() else 200


def refusal_on(form: FlaskForm, fields: Mapping[str, str] | None = None) -> Refusal:
    """A ``with`` block whose DomainError is shown on ``form`` instead of raised."""
    return Refusal(form, fields or {})
