"""Rules per kind of proposal (shared API.md, "Rules per kind of proposal"): how long a
round on it lasts at least, and whether silence may count as consent there.

The partnership stores only what differs from DEFAULTS (``Partnership.kind_rules``);
``rules_of`` gives every kind with both of its rules as they apply now.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from decisions import deadlines
from decisions.errors import InvalidInput, RoundTooShort, SilenceNotAllowed
from decisions.models import Partnership, ProposalKind

FIELD = "kind_rules"
#: the longest minimum a kind may ask for: a year (a deadline lies at most five years
#: ahead, and a longer minimum is a slip of the keyboard)
MAX_ROUND_HOURS = 24 * 365


class Rule(TypedDict):
    #: a round on this kind lasts at least this many hours from its opening
    min_round_hours: int
    #: whether a quorum of 0 (silence counts as consent) is allowed on this kind
    allow_silence: bool


#: **Changed** in December 2026: a member is admitted, suspended or removed only by
#: partners who answered
DEFAULTS: dict[str, Rule] = {
    ProposalKind.GENERAL: {"min_round_hours": 0, "allow_silence": True},
    ProposalKind.ADMISSION: {"min_round_hours": 0, "allow_silence": False},
    ProposalKind.REGIONAL_FOCUS: {"min_round_hours": 0, "allow_silence": True},
    ProposalKind.SUSPENSION: {"min_round_hours": 0, "allow_silence": False},
    ProposalKind.REMOVAL: {"min_round_hours": 0, "allow_silence": False},
}

#: "An admission round lasts at least 72 hours: …", one sentence per kind
TOO_SHORT = {
    ProposalKind.GENERAL: _l(
        "A round on a general proposal lasts at least %(length)s: choose a deadline on or "
        "after %(when)s."
    ),
    ProposalKind.ADMISSION: _l(
        "An admission round lasts at least %(length)s: choose a deadline on or after %(when)s."
    ),
    ProposalKind.REGIONAL_FOCUS: _l(
        "A round on the regional focus lasts at least %(length)s: choose a deadline on or "
        "after %(when)s."
    ),
    ProposalKind.SUSPENSION: _l(
        "A suspension round lasts at least %(length)s: choose a deadline on or after %(when)s."
    ),
    ProposalKind.REMOVAL: _l(
        "A removal round lasts at least %(length)s: choose a deadline on or after %(when)s."
    ),
}
NO_SILENCE = {
    ProposalKind.GENERAL: _l(
        "Silence cannot count on a general proposal: set a quorum of at least 1."
    ),
    ProposalKind.ADMISSION: _l("Silence cannot count on an admission: set a quorum of at least 1."),
    ProposalKind.REGIONAL_FOCUS: _l(
        "Silence cannot count on the regional focus: set a quorum of at least 1."
    ),
    ProposalKind.SUSPENSION: _l(
        "Silence cannot count on a suspension: set a quorum of at least 1."
    ),
    ProposalKind.REMOVAL: _l("Silence cannot count on a removal: set a quorum of at least 1."),
}


def hours(n: int) -> str:
    return str(lazy_ngettext("%(num)d hour", "%(num)d hours", n))


def rules_of(partnership: Partnership) -> dict[str, Rule]:
    """Every kind with both its rules: the stored overrides over DEFAULTS."""
    stored = partnership.kind_rules or {}
    merged: dict[str, Rule] = {}
    for kind, default in DEFAULTS.items():
        own = stored.get(str(kind)) or {}
        merged[str(kind)] = {
            "min_round_hours": int(own.get("min_round_hours", default["min_round_hours"])),
            "allow_silence": bool(own.get("allow_silence", default["allow_silence"])),
        }
    return merged


def rule_for(partnership: Partnership, kind: str) -> Rule:
    return rules_of(partnership)[str(kind)]


def changed(partnership: Partnership, value: object) -> dict[str, dict[str, Any]]:
    """The overrides to store after a change of ``value`` (any subset of kinds and of
    their keys): what then differs from DEFAULTS. Anything malformed is refused with
    the field ``kind_rules``."""
    if not isinstance(value, dict):
        raise InvalidInput(_l("For each kind, its min_round_hours and allow_silence."), field=FIELD)
    rules = rules_of(partnership)
    for kind, change in value.items():
        if kind not in rules:
            allowed = ", ".join(DEFAULTS)
            raise InvalidInput(
                _l("Unknown kind of proposal; the kinds are: %(allowed)s.", allowed=allowed),
                field=FIELD,
            )
        if not isinstance(change, dict):
            raise InvalidInput(_l("Give min_round_hours, allow_silence or both."), field=FIELD)
        for key, setting in change.items():
            if key == "min_round_hours":
                rules[kind]["min_round_hours"] = _round_hours(setting)
            elif key == "allow_silence":
                if not isinstance(setting, bool):
                    raise InvalidInput(_l("allow_silence is true or false."), field=FIELD)
                rules[kind]["allow_silence"] = setting
            else:
                raise InvalidInput(
                    _l("Each kind takes min_round_hours and allow_silence only."), field=FIELD
                )
    overrides: dict[str, dict[str, Any]] = {}
    for kind, rule in rules.items():
        default = DEFAULTS[kind]
        own: dict[str, Any] = {}
        if rule["min_round_hours"] != default["min_round_hours"]:
            own["min_round_hours"] = rule["min_round_hours"]
        if rule["allow_silence"] != default["allow_silence"]:
            own["allow_silence"] = rule["allow_silence"]
        if own:
            overrides[kind] = own
    return overrides


def _round_hours(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            _l("min_round_hours is a whole number of hours, 0 or more."), field=FIELD
        )
    if value > MAX_ROUND_HOURS:
        raise InvalidInput(
            _l("A round's minimum length is at most %(n)d hours (a year).", n=MAX_ROUND_HOURS),
            field=FIELD,
        )
    return value


def earliest_deadline(rule: Rule, moment: datetime) -> datetime:
    return moment + timedelta(hours=rule["min_round_hours"])


def check_round(
    rules: dict[str, Rule],
    kind: str,
    deadline: datetime,
    quorum: int,
    now: datetime,
    zone: str = "UTC",
) -> None:
    """Refuses a round on ``kind`` whose deadline comes sooner than the kind's minimum
    length after ``now`` (exactly the minimum is allowed), or whose quorum is 0 where
    silence may not count. ``zone``: the reader's, in which the earliest deadline is
    said."""
    rule = rules[str(kind)]
    earliest = earliest_deadline(rule, now)
    if deadline < earliest:
        raise RoundTooShort(
            str(TOO_SHORT[ProposalKind(kind)])
            % {
                "length": hours(rule["min_round_hours"]),
                "when": _minute_on_or_after(earliest, zone),
            }
        )
    if quorum == 0 and not rule["allow_silence"]:
        raise SilenceNotAllowed(str(NO_SILENCE[ProposalKind(kind)]))


def _minute_on_or_after(moment: datetime, zone: str) -> str:
    """``moment`` as a form takes it, on the clock of ``zone``, to the minute: the first
    minute that is not earlier ("2026-03-05 09:00 (Asia/Manila)")."""
    local = moment.astimezone(ZoneInfo(zone))
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


def suggested_quorum(rule: Rule, default_quorum: int) -> int:
    """The quorum a new round on the kind is offered: the partnership's usual one, but 1
    at least where silence may not count."""
    return default_quorum if default_quorum or rule["allow_silence"] else 1


def suggested_deadline(rule: Rule, moment: datetime, zone: str) -> datetime:
    """The deadline a new round on the kind is offered: the usual week, or the kind's
    minimum length when it is longer, to the next whole hour on the clock of ``zone``."""
    usual = deadlines.suggested_deadline(moment, zone)
    earliest = earliest_deadline(rule, moment)
    if usual >= earliest:
        return usual
    local = earliest.astimezone(ZoneInfo(zone))
    whole = local.replace(minute=0, second=0, microsecond=0)
    if whole < local:
        whole += timedelta(hours=1)
    return whole.astimezone(UTC)
