"""Rows and read models as the API shows them (app/api/schemas.py)."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from flask import Response, current_app, stream_with_context
from pydantic import BaseModel

from app.api.schemas import (
    ApplicationOut,
    CategoryOut,
    CommentOut,
    DecisionOut,
    EligibilityOut,
    KindRulesOut,
    Listing,
    Me,
    ObjectionOut,
    PartnerOut,
    PartnershipOut,
    PositionOut,
    ProposalOut,
    ReasonOut,
    RoundOut,
    TallyOut,
)
from decisions import kind_rules
from decisions.application_models import Application
from decisions.closing import CurrentPosition
from decisions.deliberation_models import Comment, Objection
from decisions.eligibility import Eligibility
from decisions.languages import LANGUAGES
from decisions.models import Category, DecisionEntry, Partner, Partnership, Position, User
from decisions.paging import Page
from decisions.queries import ProposalOverview, RoundSummary

T = TypeVar("T")


def listing(page: Page[T], show: Callable[[T], BaseModel]) -> Listing[Any]:
    """A page of rows as the API lists them: ``{items, page, per_page, total}``."""
    return Listing(
        items=[show(row) for row in page.items],
        page=page.number,
        per_page=page.per_page,
        total=page.total,
    )


def streamed_listing(page: Page[Any], items: Iterable[str]) -> Response:
    """A listing written item by item as ``items`` yields them, each already JSON, never
    whole in memory: the same JSON as ``listing``, for items of megabytes."""

    def written() -> Iterator[str]:
        yield '{"items":['
        for number, item in enumerate(items):
            yield ("," if number else "") + item
        yield f'],"page":{page.number},"per_page":{page.per_page},"total":{page.total}}}\n'

    return current_app.response_class(stream_with_context(written()), mimetype="application/json")


def me(user: User, settings: Partnership) -> Me:
    return Me(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        partner_id=user.partner_id,
        locale=user.locale or settings.language,
        time_zone=user.time_zone or settings.time_zone,
    )


def partnership(settings: Partnership, categories: Sequence[Category]) -> PartnershipOut:
    return PartnershipOut(
        name=settings.name,
        time_zone=settings.time_zone,
        default_quorum=settings.default_quorum,
        reminder_offsets_hours=list(settings.reminder_offsets_hours or []),
        regional_focus=list(settings.regional_focus or []),
        categories=[CategoryOut.model_validate(c) for c in categories],
        kind_rules=KindRulesOut.model_validate(kind_rules.rules_of(settings)),
        languages=list(LANGUAGES),
        language=settings.language,
        public_log=settings.public_log,
    )


def partner(row: Partner) -> PartnerOut:
    return PartnerOut(
        id=row.id,
        name=row.name,
        country=row.country,
        category=row.category.slug,
        status=row.status,
        has_standing=row.has_standing,
    )


def position(row: Position | CurrentPosition) -> PositionOut:
    return PositionOut(
        partner_id=row.partner_id,
        stance=row.stance,
        reason=row.reason,
        note=row.note,
        registered_at=row.registered_at,
        registered_by=row.registered_by_id,
        on_behalf=row.on_behalf,
        channel=row.channel,
    )


def round_(summary: RoundSummary) -> RoundOut:
    r = summary.round
    return RoundOut(
        id=r.id,
        proposal_id=r.proposal_id,
        number=r.number,
        status="open" if r.is_open else "closed",
        opened_at=r.opened_at,
        deadline=r.deadline,
        closed_at=r.closed_at,
        quorum=r.quorum,
        auto_close=r.auto_close,
        electorate=summary.electorate,
        tally=TallyOut(
            consent=summary.tally.consent,
            stand_aside=summary.tally.stand_aside,
            object=summary.tally.object,
            pending=summary.tally.pending,
        ),
        positions=[
            position(row.position)
            for row in sorted(summary.rows, key=lambda row: row.partner.id)
            if row.position is not None
        ],
        outcome=r.outcome,
        decision_id=summary.decision_id,
    )


def proposal(overview: ProposalOverview) -> ProposalOut:
    p = overview.proposal
    return ProposalOut(
        id=p.id,
        title=p.title,
        body=p.body,
        kind=p.kind,
        subject=p.subject,
        status=p.status,
        created_by=p.created_by_id,
        created_at=p.created_at,
        rounds=[round_(summary) for summary in reversed(overview.rounds)],
        language=p.language,
        translations=p.translations or {},
    )


def decision(
    entry: DecisionEntry,
    resolved_objections: Sequence[int],
    positions: Sequence[dict[str, Any]] | None,
) -> DecisionOut:
    """``resolved_objections``: the ids of the objections the entry's round resolved;
    ``positions``: the entry's as the log keeps them (read apart from it, in a list, one
    entry at a time), or None for a list asked for without them. Validated from plain
    values in one call: with a thousand positions, building each ``RecordedPositionOut``
    apart took a third of the time."""
    return DecisionOut.model_validate(
        {
            "id": entry.id,
            "number": entry.number,
            "proposal_id": entry.proposal_id,
            "round_id": entry.round_id,
            "title": entry.title,
            "kind": entry.kind,
            "text": entry.text,
            "outcome": entry.outcome,
            "closed_at": entry.closed_at,
            "tally": entry.tally,
            "positions": positions,
            "effects": entry.effects,
            "hash": entry.hash,
            "prev_hash": entry.prev_hash,
            "resolved_objections": list(resolved_objections),
        }
    )


#: an entry written without its positions: the key appears once, as every quote inside
#: a JSON string is escaped
_NO_POSITIONS = '"positions":null'


def decision_json(
    entry: DecisionEntry, resolved_objections: Sequence[int], positions_json: str | None
) -> str:
    """The entry as ``decision`` answers it, written as JSON (by pydantic itself, twice as
    fast as through Python's dicts), with ``positions_json``, its positions as the log
    stores them (decisions/closing.py writes them with RecordedPositionOut's fields), put
    in as they are: with a thousand partners, reading, validating and writing them again
    was nine tenths of a list's time. None: ``"positions": null``."""
    written = decision(entry, resolved_objections, None).model_dump_json()
    if positions_json is None:
        return written
    return written.replace(_NO_POSITIONS, f'"positions":{positions_json}', 1)


def objection(row: Objection) -> ObjectionOut:
    return ObjectionOut(
        id=row.id,
        proposal_id=row.proposal_id,
        round_id=row.round_id,
        partner_id=row.partner_id,
        reason=row.reason,
        status=row.status,
        answer=row.answer,
        answered_by=row.answered_by_id,
        answered_at=row.answered_at,
        previous_id=row.previous_id,
        settled_in_round_id=row.settled_in_round_id,
    )


def eligibility(checked: Eligibility) -> EligibilityOut:
    return EligibilityOut(
        eligible=checked.eligible,
        reasons=[
            ReasonOut(code=r.code, message=r.message, blocking=r.blocking)  # type: ignore[arg-type]
            for r in checked.reasons
        ],
    )


def application(row: Application, checked: Eligibility) -> ApplicationOut:
    return ApplicationOut(
        id=row.id,
        organisation_name=row.organisation_name,
        mandate=row.mandate,
        headquarters_country=row.headquarters_country,
        operating_countries=list(row.operating_countries or []),
        legally_registered=row.legally_registered,
        government_controlled=row.government_controlled,
        agrees_with_principles=row.agrees_with_principles,
        category=row.category.slug,
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        has_letter=bool(row.letter_file),
        status=row.status,
        eligibility=eligibility(checked),
        recommend=row.recommend,
        recommendation=row.recommendation,
        recommended_by=row.recommended_by_id,
        recommended_at=row.recommended_at,
        proposal_id=row.proposal_id,
        partner_id=row.partner_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def comment(row: Comment) -> CommentOut:
    return CommentOut(
        id=row.id,
        proposal_id=row.proposal_id,
        author_id=row.author_id,
        author_name=row.author.name,
        partner_id=row.partner_id,
        body=row.body,
        reply_to=row.reply_to_id,
        created_at=row.created_at,
        edited_at=row.edited_at,
    )
