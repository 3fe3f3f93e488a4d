"""The words shown for stored values (kinds, statuses, stances, outcomes, roles), in one
place so that every page names a thing the same way and translators see it once.

Keys are the stored values; the domain's StrEnum members look them up as well. Every
template reads them as ``labels.stance[...]``, ``labels.outcome[...]``, … (IN_TEMPLATES)."""

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

KIND = {
    "general": _l("General"),
    "admission": _l("Admission"),
    "regional_focus": _l("Regional focus"),
    "suspension": _l("Suspension"),
    "removal": _l("Removal"),
}
PROPOSAL_STATUS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "adopted": _l("Adopted"),
    "not_adopted": _l("Not adopted"),
    "withdrawn": _l("Withdrawn"),
}
STANCE = {
    "consent": _l("Consent"),
    "stand_aside": _l("Stand aside"),
    "object": _l("Object"),
    "pending": _l("Pending"),
}
OUTCOME = {
    "adopted": _l("Adopted"),
    "blocked": _l("Blocked"),
    "lapsed": _l("Lapsed"),
    "withdrawn": _l("Withdrawn"),
}
ROLE = {
    "secretariat": _l("Secretariat"),
    "partner": _l("Partner representative"),
    "observer": _l("Observer"),
}
PARTNER_STATUS = {
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "removed": _l("Removed"),
}
#: an objection's status, from the round that left it to the round that settles it
OBJECTION_STATUS = {
    "open": _l("Open"),
    "answered": _l("Answered"),
    "resolved": _l("Resolved"),
    "maintained": _l("Maintained"),
}
#: what each stance does, said next to the choice on the position form
STANCE_MEANING = {
    "consent": _l("Agrees: the proposal is adopted if no partner objects."),
    "stand_aside": _l("Does not agree, but will not block: the proposal may still be adopted."),
    "object": _l(
        "Blocks the proposal for everyone: it is not adopted while the objection stands. "
        "A reason is required."
    ),
}
#: an application's status, as the Secretariat's pages name it
APPLICATION_STATUS = {
    "received": _l("Received"),
    "recommended": _l("Recommended"),
    "not_recommended": _l("Not recommended"),
    "proposed": _l("Proposed"),
    "admitted": _l("Admitted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}

#: the tables above as every template sees them: the global ``labels``
IN_TEMPLATES = SimpleNamespace(
    kind=KIND,
    proposal_status=PROPOSAL_STATUS,
    stance=STANCE,
    stance_meaning=STANCE_MEANING,
    outcome=OUTCOME,
    role=ROLE,
    partner_status=PARTNER_STATUS,
    application_status=APPLICATION_STATUS,
    objection_status=OBJECTION_STATUS,
)
