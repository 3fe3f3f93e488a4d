"""The shapes of the JSON API: what it reads and what it answers.

The same classes check a request's body (refusing wrong types, unknown fields, unknown
values and over-long text with the field named) and describe it in the OpenAPI
document, and every answer is built through them, so the document and the code cannot
drift apart. The services check the meaning (an objection's reason, a deadline in the
future); these check the shape.
"""

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StringConstraints,
    WithJsonSchema,
    model_serializer,
)

from decisions.application_models import MANDATE_MAX, ApplicationStatus
from decisions.categories import SLUG_MAX
from decisions.consensus import Outcome, Stance
from decisions.deliberation_models import ANSWER_MAX, COMMENT_MAX, ObjectionStatus
from decisions.kind_rules import MAX_ROUND_HOURS
from decisions.log import timestamp
from decisions.lookup import ID_MAX
from decisions.models import (
    BODY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    NOTE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Channel,
    PartnerStatus,
    ProposalKind,
    ProposalStatus,
    Role,
)
from decisions.validation import COUNT_MAX

T = TypeVar("T")

#: a time as the API writes it: UTC, with its offset ("Z"), as the decision log does
Timestamp = Annotated[
    datetime,
    PlainSerializer(timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
#: the one time a client sends: ISO 8601 with its offset; one without is refused
Deadline = Annotated[
    AwareDatetime,
    Field(description="ISO 8601 with a UTC offset, e.g. 2026-03-09T17:00:00+08:00"),
]


class Request(BaseModel):
    """A request body: JSON types as they are (no "5" for 5), nothing unknown."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Answer(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Errors and lists ------------------------------------------------------------------


class ErrorDetail(Answer):
    code: str = Field(description="snake_case, stable: what went wrong")
    message: str = Field(description="for a person")
    field: str | None = Field(default=None, description="the field at fault (422 only)")


class Error(Answer):
    error: ErrorDetail


class Listing(Answer, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int


class PageQuery(Request):
    model_config = ConfigDict(strict=False, extra="ignore")

    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=50, ge=1, le=100)


# People and partners ---------------------------------------------------------------


class Me(Answer):
    id: int
    email: str
    name: str
    role: Role
    partner_id: int | None
    locale: str = Field(
        description="the interface language: the user's choice, else the partnership's"
    )
    time_zone: str = Field(description="IANA: the user's choice, else the partnership's")


class CategoryOut(Answer):
    slug: str
    name: str
    has_standing: bool
    retired: bool = Field(description="off the application form; its partners keep it")


class KindRuleOut(Answer):
    min_round_hours: int = Field(description="a round lasts at least this long")
    allow_silence: bool = Field(description="whether a quorum of 0 is allowed")


class KindRulesOut(Answer):
    """Each kind of proposal's rules as they apply now."""

    general: KindRuleOut
    admission: KindRuleOut
    regional_focus: KindRuleOut
    suspension: KindRuleOut
    removal: KindRuleOut


class PartnershipOut(Answer):
    name: str
    time_zone: str
    default_quorum: int
    reminder_offsets_hours: list[int]
    regional_focus: list[str] = Field(description="ISO 3166 alpha-2 codes; empty admits all")
    categories: list[CategoryOut]
    kind_rules: KindRulesOut
    languages: list[str] = Field(description="the interface languages offered")
    language: str = Field(description="the language of those who chose none")
    public_log: bool = Field(
        description="the log's entries (texts and outcomes, not partners' reasons) are "
        "readable without signing in, on its pages and its feed"
    )


class Patch(Request):
    """A change: a field left out, or null, stays as it is."""

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self if value is not None}


class KindRulePatch(Request):
    min_round_hours: Annotated[int, Field(ge=0, le=MAX_ROUND_HOURS)] | None = None
    allow_silence: bool | None = None


class KindRulesPatch(Request):
    general: KindRulePatch | None = None
    admission: KindRulePatch | None = None
    regional_focus: KindRulePatch | None = None
    suspension: KindRulePatch | None = None
    removal: KindRulePatch | None = None


class CategoryPatch(Request):
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=SLUG_MAX)]
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    has_standing: bool
    retired: bool | None = Field(default=None, description="true takes it off the application form")


class MePatch(Patch):
    locale: Annotated[str, Field(max_length=8, description="en, fr, es, ar or id")] | None = None
    time_zone: Annotated[str, Field(max_length=64, description="IANA, e.g. Asia/Manila")] | None = (
        None
    )


class PartnershipPatch(Patch):
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)] | None = None
    language: Annotated[str, Field(max_length=8, description="one of `languages`")] | None = None
    time_zone: Annotated[str, Field(max_length=64, description="IANA, e.g. Asia/Manila")] | None = (
        None
    )
    default_quorum: Annotated[int, Field(ge=0, le=COUNT_MAX)] | None = None
    reminder_offsets_hours: (
        Annotated[list[Annotated[int, Field(ge=1, le=1440)]], Field(max_length=10)] | None
    ) = None
    regional_focus: Annotated[list[Country], Field(max_length=300)] | None = Field(
        default=None,
        description="only while the decision log is empty; later the focus changes by decision",
    )
    kind_rules: KindRulesPatch | None = Field(
        default=None, description="any subset of the kinds and of their rules"
    )
    categories: Annotated[list[CategoryPatch], Field(max_length=100)] | None = Field(
        default=None,
        description="a new slug adds a category, a known one changes it; those not named "
        "stay as they are",
    )
    public_log: bool | None = Field(
        default=None, description="true opens the decision log to readers who are not signed in"
    )

    def changes(self) -> dict[str, Any]:
        found = super().changes()
        if self.kind_rules is not None:
            found["kind_rules"] = self.kind_rules.model_dump(exclude_none=True)
        if self.categories is not None:
            found["categories"] = [c.model_dump(exclude_none=True) for c in self.categories]
        return found


class PartnerOut(Answer):
    id: int
    name: str
    country: str
    category: str = Field(description="the category's slug")
    status: PartnerStatus
    has_standing: bool


class PartnerIn(Request):
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    country: Country
    category: Annotated[str, Field(min_length=1, max_length=64)] = "member"


# Proposals, rounds, positions ------------------------------------------------------


class PartnerSubject(Request):
    partner_id: Id


class ApplicationSubject(Request):
    application_id: Id


class CountriesSubject(Request):
    countries: Annotated[list[Country], Field(max_length=300)]


Subject = PartnerSubject | ApplicationSubject | CountriesSubject


Language = Annotated[
    str, Field(max_length=8, description="the authoritative text's: en, fr, es, ar or id")
]


class Translation(Request):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    body: Annotated[str, Field(min_length=1, max_length=BODY_MAX, description="Markdown")]


class ProposalIn(Request):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    body: Annotated[str, Field(min_length=1, max_length=BODY_MAX, description="Markdown")]
    kind: ProposalKind = ProposalKind.GENERAL
    subject: Subject | None = Field(
        default=None,
        description='{"partner_id": P} for suspension and removal, {"application_id": A} '
        'for admission, {"countries": [...]} for regional_focus',
    )
    language: Language | None = Field(default=None, description="the partnership's when left out")
    translations: dict[str, Translation] = Field(
        default_factory=dict, description='by language code: {"fr": {"title": …, "body": …}}'
    )


class ProposalPatch(Patch):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)] | None = None
    body: Annotated[str, Field(min_length=1, max_length=BODY_MAX)] | None = None
    language: Language | None = None
    translations: dict[str, Translation | None] | None = Field(
        default=None,
        description="by language code: each one given is added or replaced, "
        "null removes it, those left out stay",
    )

    def changes(self) -> dict[str, Any]:
        changed = super().changes()
        if self.translations is not None:
            changed["translations"] = {
                code: None if parts is None else parts.model_dump()
                for code, parts in self.translations.items()
            }
        return changed


class ProposalQuery(PageQuery):
    status: ProposalStatus | None = None


class RoundIn(Request):
    deadline: Deadline
    quorum: Annotated[int, Field(ge=0, le=COUNT_MAX)] | None = Field(
        default=None, description="the partnership's default when left out"
    )
    auto_close: bool = False


class ExtendIn(Request):
    deadline: Deadline


class PositionIn(Request):
    stance: Stance
    reason: Annotated[str, Field(max_length=REASON_MAX)] = Field(
        default="", description="required, not blank, for object"
    )
    note: Annotated[str, Field(max_length=NOTE_MAX)] = Field(
        default="", description="how the position was received; required from the Secretariat"
    )


class PositionOut(Answer):
    partner_id: int
    stance: Stance
    reason: str
    note: str
    registered_at: Timestamp
    registered_by: int
    on_behalf: bool
    #: how the position reached Accord
    channel: Channel


class TallyOut(Answer):
    consent: int
    stand_aside: int
    object: int
    pending: int


class RoundOut(Answer):
    id: int
    proposal_id: int
    number: int
    status: Literal["open", "closed"]
    opened_at: Timestamp
    deadline: Timestamp
    closed_at: Timestamp | None
    quorum: int
    auto_close: bool
    electorate: list[int]
    tally: TallyOut
    positions: list[PositionOut]
    outcome: Outcome | None
    decision_id: int | None


class ProposalOut(Answer):
    id: int
    title: str
    body: str
    kind: ProposalKind
    subject: dict[str, Any] | None
    status: ProposalStatus
    created_by: int
    created_at: Timestamp
    rounds: list[RoundOut] = Field(description="oldest first")
    language: str = Field(description="the authoritative text's, which the log records")
    translations: dict[str, Translation] = Field(description="by language code")


class ClosedOut(Answer):
    outcome: Outcome
    decision_id: int


class NoticeOut(Answer):
    id: int
    kind: str = Field(
        description="round_opened, deadline_extended, objection_registered, round_closed, reminder"
    )
    subject: str
    body: str
    link: str = Field(description="the page the notice is about")
    created_at: Timestamp
    read_at: Timestamp | None


# Discussion --------------------------------------------------------------------------

CommentBody = Annotated[
    str, Field(min_length=1, max_length=COMMENT_MAX, description="Markdown; not blank")
]


class CommentIn(Request):
    body: CommentBody
    reply_to: Id | None = Field(
        default=None,
        description="a comment of this proposal; a reply to a reply joins that reply's thread",
    )


class CommentPatch(Request):
    body: CommentBody


class CommentOut(Answer):
    id: int
    proposal_id: int
    author_id: int
    author_name: str
    partner_id: int | None = Field(
        description="the partner the author spoke for; null: the Secretariat"
    )
    body: str = Field(description="Markdown")
    reply_to: int | None = Field(description="the comment this one answers (one level)")
    created_at: Timestamp
    edited_at: Timestamp | None = Field(description="set by the author's edit, within 15 minutes")


# Membership applications ---------------------------------------------------------


class ApplicationIn(Request):
    """Sent as JSON, or as multipart/form-data with the letter of intent (a list as a
    repeated field, a boolean as ``true`` or ``false``)."""

    organisation_name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    mandate: Annotated[str, Field(min_length=1, max_length=MANDATE_MAX)] = Field(
        description="mandate and principal activities"
    )
    headquarters_country: Country
    operating_countries: Annotated[list[Country], Field(min_length=1, max_length=300)]
    legally_registered: bool
    government_controlled: bool = Field(description="government-operated or -controlled")
    agrees_with_principles: bool
    category: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="the category's slug; one with a voice requires a letter of intent"
    )
    contact_name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    contact_email: Annotated[str, Field(min_length=3, max_length=EMAIL_MAX)]


class ReasonOut(Answer):
    code: Literal[
        "outside_focus", "government_controlled", "principles_not_agreed", "not_registered"
    ]
    message: str
    blocking: bool = Field(description="false: a warning only")


class EligibilityOut(Answer):
    eligible: bool
    reasons: list[ReasonOut]


class ApplicationReceivedOut(Answer):
    id: int
    status: ApplicationStatus
    eligibility: EligibilityOut


class ApplicationOut(Answer):
    id: int
    organisation_name: str
    mandate: str
    headquarters_country: str
    operating_countries: list[str]
    legally_registered: bool
    government_controlled: bool
    agrees_with_principles: bool
    category: str = Field(description="the category's slug")
    contact_name: str
    contact_email: str
    has_letter: bool = Field(description="whether a letter of intent came with it")
    status: ApplicationStatus
    eligibility: EligibilityOut
    recommend: bool | None = Field(description="null until the Secretariat recommends")
    recommendation: str
    recommended_by: int | None
    recommended_at: Timestamp | None
    proposal_id: int | None = Field(description="the admission proposal it became")
    partner_id: int | None = Field(description="the partner it became, once admitted")
    created_at: Timestamp
    updated_at: Timestamp


class ApplicationQuery(PageQuery):
    status: ApplicationStatus | None = None


class RecommendationIn(Request):
    recommend: bool
    text: Annotated[str, Field(min_length=1, max_length=REASON_MAX)]


# Objections ------------------------------------------------------------------------


class ObjectionOut(Answer):
    id: int
    proposal_id: int
    round_id: int = Field(description="the round whose close recorded it")
    partner_id: int
    reason: str = Field(description="the partner's reason as it stood when the round closed")
    status: ObjectionStatus = Field(
        description="open, answered, then resolved or maintained when a later round closes"
    )
    answer: str = Field(description="how the proposal meets it; empty until answered")
    answered_by: int | None
    answered_at: Timestamp | None
    previous_id: int | None = Field(description="the earlier objection this one maintains")
    settled_in_round_id: int | None = Field(
        description="the later round whose close resolved or maintained it"
    )


class AnswerIn(Request):
    answer: Annotated[str, Field(max_length=ANSWER_MAX)] = Field(description="not blank")


# The decision log ------------------------------------------------------------------


class RecordedPositionOut(Answer):
    partner_id: int
    partner: str = Field(description="the partner's name when the round closed")
    stance: Literal["consent", "stand_aside", "object", "pending"]
    reason: str
    on_behalf: bool
    note: str
    registered_at: str | None = Field(json_schema_extra={"format": "date-time"})


class DecisionOut(Answer):
    id: int
    number: str = Field(description="per year, e.g. 2026/007")
    proposal_id: int
    round_id: int
    title: str
    kind: ProposalKind
    text: str
    outcome: Outcome
    closed_at: Timestamp
    tally: dict[str, int]
    positions: list[RecordedPositionOut] | None = Field(
        description="every partner's final position; null in a list asked for with "
        "`positions=false`"
    )
    effects: list[dict[str, Any]]
    hash: str
    prev_hash: str
    resolved_objections: list[int] = Field(
        description="the objections this entry's round resolved (not part of the hash)"
    )


class DecisionFilters(Request):
    """The log's filters, which its list and its exports share."""

    model_config = ConfigDict(strict=False, extra="ignore")

    outcome: Outcome | None = None
    kind: ProposalKind | None = None
    year: Annotated[int, Field(ge=1, le=9999)] | None = None
    q: Annotated[str, Field(max_length=200)] | None = None
    since: str | None = Field(
        default=None,
        description="closed at or after: a time with its offset, or a date (that UTC day)",
        max_length=40,
    )
    until: str | None = Field(
        default=None,
        description="closed at or before: a time with its offset, or a date (that whole UTC day)",
        max_length=40,
    )


class DecisionQuery(PageQuery, DecisionFilters):
    positions: bool = Field(
        default=True,
        description="`false`: each entry with `positions: null`, a few hundred bytes "
        "where a partnership of a thousand partners has a hundred KB of positions in each; "
        "`GET /decisions/{id}` has them",
    )
    before: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None,
        description="an entry's id: the entries just older than it, in the list's order "
        "(the next page is `before` the last item's id; it costs what the first page "
        "does, however deep). `page` then only numbers the answer",
    )


class VerificationOut(Answer):
    ok: bool
    count: int
    first_bad: int | None
    receipt_found: bool | None = Field(
        default=None,
        description="only when a receipt was asked about: whether an entry with its hash "
        "is in the intact chain (it and every entry before it hold)",
    )

    @model_serializer(mode="wrap")
    def _asked(self, write: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        """Without a receipt, the answer is as it was before receipts."""
        written: dict[str, Any] = write(self)
        if self.receipt_found is None:
            written.pop("receipt_found", None)
        return written


class VerifyQuery(Request):
    model_config = ConfigDict(strict=False, extra="ignore")

    receipt: str | None = Field(
        default=None,
        description="an entry's hash (64 hexadecimal digits), as its outcome's e-mail gave it",
        max_length=100,
    )


class ExportedEntryOut(Answer):
    """An entry with everything its hash covers (the README gives the canonical form)."""

    id: int = Field(description="not covered by the hash")
    number: str
    proposal_id: int
    round_id: int
    title: str
    kind: ProposalKind
    text: str
    outcome: Outcome
    closed_at: str = Field(json_schema_extra={"format": "date-time"})
    tally: dict[str, int]
    positions: list[dict[str, Any]] = Field(description="as the log recorded them")
    effects: list[dict[str, Any]]
    prev_hash: str
    hash: str


class ExportOut(Answer):
    partnership: str = Field(description="the partnership's name")
    exported_at: str = Field(json_schema_extra={"format": "date-time"})
    count: int = Field(description="how many entries follow")
    head: str | None = Field(description="the hash of the last entry; null when none")
    entries: list[ExportedEntryOut] = Field(description="oldest first, in the chain's order")
