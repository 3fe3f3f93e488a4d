"""Demo data: a FICTIONAL partnership, filled through the domain services only.

Every name, person and text here is invented. The story runs over the past few months
(explicit ``now=`` values, relative to ``decisions.clock.now()``), so the decision log is
numbered and hash-chained exactly as in real use, and one round is still open.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import applications, comments, objections, proposals, rounds, settings, users
from decisions import partners as partners_domain
from decisions.clock import now as clock_now
from decisions.models import Channel, Partner, Proposal, Round, User
from notifications import outbox

PARTNERSHIP = "Coral Sea Prevention Partnership"
TIME_ZONE = "Asia/Singapore"
DOMAIN = "coral-sea.example"  # .example is reserved: no real mailbox gets demo mail

SECRETARIAT_PASSWORD = "demo-secretariat"
PARTNER_PASSWORD = "demo-partner"
OBSERVER_PASSWORD = "demo-observer"

#: (name, ISO country, category, login name or None); invented organisations
PARTNERS = (
    ("Saltmarsh Mediation Circle", "ID", "member", "saltmarsh"),
    ("Banyan Early Warning Network", "MY", "member", "banyan"),
    ("Monsoon Civic Trust", "BD", "member", "monsoon"),
    ("Lantern Harbour Dialogue House", "PH", "member", "lantern"),
    ("Riverstone Rights Collective", "TH", "member", "riverstone"),
    ("Kestrel Ridge Peace Studio", "NP", "member", "kestrel"),
    ("Ironwood Community Listening Post", "PG", "member", "ironwood"),
    ("Blue Reef Humanitarian Desk", "FJ", "member", "bluereef"),
    ("Paddyfield Protection Alliance", "LK", "member", "paddyfield"),
    ("Cloudforest Youth Assembly", "TL", "member", "cloudforest"),
    ("Seagrass Solidarity Lab", "KH", "supporter", None),
    ("Northern Terraces Focal Desk", "MN", "focal_point", None),
)
#: the partner with a second representative, and the one the partnership suspends
TWO_REPRESENTATIVES = "lantern"
SUSPENDED = "ironwood"
#: the kinds whose rounds last 72 hours at least
MEMBERSHIP_KINDS = ("admission", "suspension", "removal")

#: invented people, one per login
PEOPLE = {
    "secretariat": "Nadia Korowai",
    "observer": "Tomas Ilagan",
    "saltmarsh": "Sari Wulandana",
    "banyan": "Farid Osmanto",
    "monsoon": "Rumana Kabiruddin",
    "lantern": "Joel Dimasanta",
    "lantern-2": "Bea Solimar",
    "riverstone": "Pim Charoenkit",
    "kestrel": "Anil Gurungthapa",
    "ironwood": "Kila Maroai",
    "bluereef": "Mere Tuilagovou",
    "paddyfield": "Dilani Perakumar",
    "cloudforest": "Zito Amaralde",
}

Login = tuple[str, str, str]


class DemoRefused(Exception):
    """The database already holds partners: demo data would mix with real data."""


@dataclass
class Cast:
    secretariat: User
    partners: dict[str, Partner]
    representatives: dict[str, User]

    def rep(self, key: str) -> User:
        return self.representatives[key]

    def members(self) -> list[str]:
        return [key for key in self.representatives if not key.endswith("-2")]


def fill(session: Session) -> list[Login]:
    """Fill an empty database with the fictional partnership; return the logins."""
    if session.scalar(select(Partner.id).limit(1)) is not None:
        raise DemoRefused(
            "The database already holds partners: demo data goes only into an empty one."
        )
    today = clock_now()
    settings.update_settings(
        session,
        None,
        name=PARTNERSHIP,
        time_zone=TIME_ZONE,
        regional_focus=sorted({country for _name, country, _cat, _key in PARTNERS}),
        # Admitting, suspending or removing a member takes three days at least, and
        # partners who answer (silence does not count there, by default).
        kind_rules={kind: {"min_round_hours": 72} for kind in MEMBERSHIP_KINDS},
    )
    cast, logins = _register_people(session)
    _decided_work_plan(session, cast, today - timedelta(days=100))
    _blocked_then_amended_statement(session, cast, today - timedelta(days=80))
    _lapsed_study(session, cast, today - timedelta(days=52))
    funding = _blocked_funding(session, cast, today - timedelta(days=46))
    _withdrawn_assembly(session, cast, today - timedelta(days=40))
    _suspension(session, cast, today - timedelta(days=26))
    _open_guidelines(session, cast, today - timedelta(days=3), today + timedelta(days=5))
    _funding_talked_through(session, cast, funding, today - timedelta(days=2))
    _draft_working_group(session, cast, today - timedelta(days=1))
    _applications(session, today - timedelta(days=2))
    # The story's notices stay in the inboxes; e-mailing them now would only fill
    # instance/mail/ with news of the past.
    outbox.discard_unsent(session)
    session.commit()
    return logins


def _register_people(session: Session) -> tuple[Cast, list[Login]]:
    secretariat = users.create_user(
        session,
        None,
        f"secretariat@{DOMAIN}",
        PEOPLE["secretariat"],
        "secretariat",
        password=SECRETARIAT_PASSWORD,
    )
    logins: list[Login] = [("Secretariat", secretariat.email, SECRETARIAT_PASSWORD)]
    observer = users.create_user(
        session,
        None,
        f"observer@{DOMAIN}",
        PEOPLE["observer"],
        "observer",
        password=OBSERVER_PASSWORD,
    )
    logins.append(("Observer", observer.email, OBSERVER_PASSWORD))
    partners: dict[str, Partner] = {}
    representatives: dict[str, User] = {}
    for name, country, category, key in PARTNERS:
        partner = partners_domain.create_partner(session, None, name, country, category)
        if key is None:
            continue
        partners[key] = partner
        for login in (key, f"{key}-2") if key == TWO_REPRESENTATIVES else (key,):
            user = users.create_user(
                session,
                None,
                f"{login}@{DOMAIN}",
                PEOPLE[login],
                "partner",
                partner_id=partner.id,
                password=PARTNER_PASSWORD,
            )
            representatives[login] = user
            label = key.title() + (" (2nd)" if login != key else "")
            logins.append((f"Partner rep: {label}", user.email, PARTNER_PASSWORD))
    return Cast(secretariat, partners, representatives), logins


def _consent_all(
    session: Session, cast: Cast, round_: Round, start: datetime, *, but: tuple[str, ...] = ()
) -> None:
    """Every member in the round's electorate consents, an hour apart, except ``but``."""
    electorate = set(round_.electorate)
    moment = start
    for key in cast.members():
        partner = cast.partners[key]
        if key in but or partner.id not in electorate:
            continue
        rounds.register_position(
            session, cast.rep(key), round_.id, partner.id, "consent", now=moment
        )
        moment += timedelta(hours=1)


def _position(
    session: Session,
    cast: Cast,
    round_: Round,
    key: str,
    stance: str,
    reason: str,
    moment: datetime,
    channel: Channel = Channel.WEB,
) -> None:
    rounds.register_position(
        session,
        cast.rep(key),
        round_.id,
        cast.partners[key].id,
        stance,
        reason,
        now=moment,
        channel=channel,
    )


def _draft(
    session: Session,
    author: User,
    title: str,
    body: str,
    moment: datetime,
    kind: str = "general",
    subject: dict[str, int] | None = None,
    translations: dict[str, dict[str, str]] | None = None,
) -> Proposal:
    return proposals.draft_proposal(
        session, author, title, body, kind, subject, now=moment, translations=translations
    )


def _open(
    session: Session,
    cast: Cast,
    proposal: Proposal,
    opened: datetime,
    days: int,
    quorum: int = 0,
) -> Round:
    return rounds.open_round(
        session,
        cast.secretariat,
        proposal.id,
        opened + timedelta(days=days),
        quorum=quorum,
        now=opened,
    )


def _close_after_deadline(session: Session, cast: Cast, round_: Round) -> None:
    rounds.close_round(
        session, cast.secretariat, round_.id, now=round_.deadline + timedelta(hours=2)
    )


def _decided_work_plan(session: Session, cast: Cast, start: datetime) -> None:
    """Adopted: everyone consents but two who stand aside."""
    proposal = _draft(
        session,
        cast.secretariat,
        "Adopt the work plan for the coming year",
        "The partnership adopts the attached work plan, which has three strands:\n\n"
        "1. **Early warning**: a shared monthly briefing on risks in member countries;\n"
        "2. **Capacity**: two online trainings on documenting threats to communities;\n"
        "3. **Outreach**: one joint public event per sub-region.\n\n"
        "The Secretariat reports on progress at each partner assembly.",
        start - timedelta(days=5),
    )
    round_ = _open(session, cast, proposal, start, days=14)
    _position(
        session,
        cast,
        round_,
        "kestrel",
        "stand_aside",
        "We support the plan but cannot commit staff to the trainings this year.",
        start + timedelta(days=1),
    )
    _position(session, cast, round_, "bluereef", "stand_aside", "", start + timedelta(days=2))
    _consent_all(session, cast, round_, start + timedelta(days=3), but=("kestrel", "bluereef"))
    _close_after_deadline(session, cast, round_)


def _blocked_then_amended_statement(session: Session, cast: Cast, start: datetime) -> None:
    """Blocked by one reasoned objection, amended, then adopted in a second round."""
    proposal = _draft(
        session,
        cast.rep("banyan"),
        "Joint statement on sharing early-warning data",
        "The partners publish a joint statement calling on governments in the region to "
        "share early-warning data with civil society **within 48 hours** of an alert.",
        start - timedelta(days=3),
    )
    first = _open(session, cast, proposal, start, days=10)
    _position(
        session,
        cast,
        first,
        "riverstone",
        "object",
        "Naming a 48-hour limit could endanger partners in countries where "
        "civil-society access to such data is a criminal offence.",
        start + timedelta(days=2),
    )
    _consent_all(session, cast, first, start + timedelta(days=3), but=("riverstone",))
    _close_after_deadline(session, cast, first)
    amended_at = first.deadline + timedelta(days=2)
    _answer_and_amend(
        session,
        cast.rep("banyan"),
        proposal,
        "The amended text names no time limit: data is shared without undue delay and in "
        "ways that keep the people receiving it safe.",
        amended_at,
        body="The partners publish a joint statement calling on governments in the region "
        "to share early-warning data with civil society **without undue delay**, in ways "
        "that keep the people who receive it safe.",
    )
    second = _open(session, cast, proposal, amended_at + timedelta(days=2), days=10)
    _consent_all(session, cast, second, amended_at + timedelta(days=3))
    _close_after_deadline(session, cast, second)


def _lapsed_study(session: Session, cast: Cast, start: datetime) -> None:
    """Lapsed: the quorum of six responses is not met (only three reply)."""
    proposal = _draft(
        session,
        cast.secretariat,
        "Commission a regional risk-mapping study",
        "The Secretariat commissions an independent study mapping risk factors for "
        "identity-based violence across the regional focus, to be discussed at the next "
        "assembly. Cost: within the existing budget line for research.",
        start - timedelta(days=2),
    )
    round_ = _open(session, cast, proposal, start, days=10, quorum=6)
    for offset, key in enumerate(("saltmarsh", "monsoon", "cloudforest")):
        _position(session, cast, round_, key, "consent", "", start + timedelta(days=1 + offset))
    _close_after_deadline(session, cast, round_)


def _blocked_funding(session: Session, cast: Cast, start: datetime) -> Proposal:
    """Blocked by an objection; talked through and amended afterwards, in
    ``_funding_talked_through``."""
    proposal = _draft(
        session,
        cast.secretariat,
        "Accept core funding from a regional intergovernmental fund",
        "The Secretariat accepts a three-year grant for its core costs from a regional "
        "intergovernmental fund, reporting to the fund twice a year.",
        start - timedelta(days=2),
    )
    round_ = _open(session, cast, proposal, start, days=10)
    _position(
        session,
        cast,
        round_,
        "kestrel",
        "object",
        "Core funding from governments would put our independence in doubt with the "
        "communities we work with; project funding could be discussed.",
        start + timedelta(days=1),
    )
    _position(
        session,
        cast,
        round_,
        "monsoon",
        "stand_aside",
        "We would prefer a shorter grant, but will not block.",
        start + timedelta(days=2),
    )
    _consent_all(session, cast, round_, start + timedelta(days=3), but=("kestrel", "monsoon"))
    _close_after_deadline(session, cast, round_)
    return proposal


def _funding_talked_through(
    session: Session, cast: Cast, proposal: Proposal, second_round: datetime
) -> None:
    """The whole cycle of deliberation: after the block, a discussion; the Secretariat
    answers the objection, amends the text, and a second round is open, the objecting
    partner still to answer."""
    start = proposal.rounds[0].closed_at or second_round
    _funding_discussion(session, cast, proposal, start)
    _answer_and_amend(
        session,
        cast.secretariat,
        proposal,
        "The amended text accepts only a two-year grant for the early-warning project, "
        "and says that the fund has no say over the partnership's statements or membership.",
        start + timedelta(days=6),
        title="Accept a project grant from a regional intergovernmental fund",
        body="The Secretariat accepts a **two-year** grant from a regional "
        "intergovernmental fund for the early-warning project only, reporting to the fund "
        "twice a year. The fund has no say over the partnership's statements or membership.",
    )
    round_ = _open(session, cast, proposal, second_round, days=6)
    for offset, key in enumerate(("monsoon", "saltmarsh", "lantern")):
        moment = second_round + timedelta(hours=3 + offset)
        _position(session, cast, round_, key, "consent", "", moment)


def _funding_discussion(session: Session, cast: Cast, proposal: Proposal, start: datetime) -> None:
    opening = comments.post_comment(
        session,
        cast.secretariat,
        proposal.id,
        "Thank you for the frank positions. Kestrel Ridge objects to **core** funding from "
        "governments. Would a grant limited to our early-warning project meet the objection?",
        now=start + timedelta(days=1),
    )
    comments.post_comment(
        session,
        cast.rep("kestrel"),
        proposal.id,
        "A project grant could work, if the fund has no say over what the partnership "
        "publishes or over who joins it.",
        reply_to=opening.id,
        now=start + timedelta(days=2),
    )
    comments.post_comment(
        session,
        cast.rep("monsoon"),
        proposal.id,
        "We stood aside over the length. Two years instead of three would let us consent.",
        now=start + timedelta(days=3),
    )


def _answer_and_amend(
    session: Session,
    actor: User,
    proposal: Proposal,
    answer: str,
    amended_at: datetime,
    **text: str,
) -> None:
    """Answer the proposal's (first) objection, then amend its ``text`` an hour later."""
    objection = objections.objections_of(session, proposal.id)[0]
    answered_at = amended_at - timedelta(hours=1)
    objections.answer_objection(session, actor, objection.id, answer, now=answered_at)
    proposals.amend_proposal(session, actor, proposal.id, now=amended_at, **text)


def _withdrawn_assembly(session: Session, cast: Cast, start: datetime) -> None:
    """Withdrawn by its proposer while the round was open."""
    proposal = _draft(
        session,
        cast.rep("paddyfield"),
        "Hold the next partner assembly in person",
        "The next partner assembly meets in person for three days, hosted by a member, "
        "with travel support for partners from small island states.",
        start - timedelta(days=2),
    )
    round_ = _open(session, cast, proposal, start, days=10)
    _position(session, cast, round_, "saltmarsh", "consent", "", start + timedelta(days=1))
    proposals.withdraw_proposal(
        session, cast.rep("paddyfield"), proposal.id, now=start + timedelta(days=3)
    )


def _suspension(session: Session, cast: Cast, start: datetime) -> None:
    """Consensus minus one: the partner concerned has no say; adopted, it is suspended."""
    partner = cast.partners[SUSPENDED]
    proposal = _draft(
        session,
        cast.secretariat,
        f"Suspend {partner.name}",
        f"{partner.name} has taken part in no round and answered none of the "
        "Secretariat's letters for over a year. The partnership suspends its membership "
        "until it confirms that it still subscribes to the partnership's principles.",
        start - timedelta(days=2),
        kind="suspension",
        subject={"partner_id": partner.id},
    )
    round_ = _open(session, cast, proposal, start, days=10, quorum=3)
    _consent_all(session, cast, round_, start + timedelta(days=1))
    _close_after_deadline(session, cast, round_)


def _open_guidelines(session: Session, cast: Cast, start: datetime, deadline: datetime) -> None:
    """Still open: some positions in, one by e-mail reply, one stand-aside with a reason,
    one recorded by the Secretariat on a partner's behalf."""
    proposal = _draft(
        session,
        cast.secretariat,
        "Guidelines for urgent joint statements",
        "When a situation calls for a public reaction within days, the Secretariat may "
        "circulate a draft statement with a **72-hour** decision round, quorum zero "
        "(silence procedure). Any partner may object and so stop the statement.",
        start - timedelta(days=1),
        translations=GUIDELINES_TRANSLATED,
    )
    days = max(1, round((deadline - start) / timedelta(days=1)))
    round_ = _open(session, cast, proposal, start, days=days)
    # answered from the field by replying to the round's e-mail (accord mail-in)
    moment = start + timedelta(hours=5)
    _position(session, cast, round_, "saltmarsh", "consent", "", moment, Channel.EMAIL)
    _position(session, cast, round_, "lantern", "consent", "", start + timedelta(hours=20))
    _position(
        session,
        cast,
        round_,
        "monsoon",
        "stand_aside",
        "Seventy-two hours is too short for our board to meet; we will not block.",
        start + timedelta(days=1),
    )
    rounds.register_position(
        session,
        cast.secretariat,
        round_.id,
        cast.partners["cloudforest"].id,
        "consent",
        note="Received by e-mail from the coordinator while travelling without access.",
        now=start + timedelta(days=2),
    )


#: the open proposal, as the Secretariat had it translated for partners who read other
#: languages; the English text is the one decided on
GUIDELINES_TRANSLATED = {
    "fr": {
        "title": "Lignes directrices pour les déclarations communes urgentes",
        "body": "Lorsqu’une situation appelle une réaction publique en quelques jours, le "
        "Secrétariat peut diffuser un projet de déclaration avec un tour de décision de "
        "**72 heures**, quorum zéro (procédure d’approbation tacite). Tout partenaire peut "
        "formuler une objection et arrêter ainsi la déclaration.",
    },
    "es": {
        "title": "Directrices para declaraciones conjuntas urgentes",
        "body": "Cuando una situación exige una reacción pública en pocos días, la Secretaría "
        "puede hacer circular un borrador de declaración con una ronda de decisión de "
        "**72 horas** y quórum cero (procedimiento de acuerdo tácito). Cualquier socio puede "
        "presentar una objeción y detener así la declaración.",
    },
    "ar": {
        "title": "إرشادات البيانات المشتركة العاجلة",
        "body": "عندما يستدعي وضعٌ ما ردَّ فعلٍ علنيًا في غضون أيام، يجوز للأمانة تعميم مشروع "
        "بيان مع جولة قرار مدتها **72 ساعة** ونصاب صفري (إجراء الصمت). ويجوز لأي شريك أن "
        "يعترض فيوقف بذلك البيان.",
    },
    "id": {
        "title": "Pedoman pernyataan bersama yang mendesak",
        "body": "Bila suatu situasi menuntut tanggapan publik dalam beberapa hari, Sekretariat "
        "dapat mengedarkan draf pernyataan dengan putaran keputusan **72 jam** dan kuorum "
        "nol (prosedur diam). Setiap mitra dapat mengajukan keberatan dan dengan demikian "
        "menghentikan pernyataan itu.",
    },
}


def _draft_working_group(session: Session, cast: Cast, moment: datetime) -> None:
    _draft(
        session,
        cast.rep("lantern"),
        "Create a working group on displacement and disasters",
        "A working group of volunteer partners studies how sudden-onset disasters change "
        "the risks faced by displaced communities, and reports within six months.",
        moment,
    )


#: applications waiting for the Secretariat: one eligible, one not (invented organisations;
#: categories without a voice, so no letter of intent is needed)
APPLICATIONS = (
    ("Tidewater Listening Radio", "PH", ["PH", "ID"], False, "supporter", "Luz Aranda"),
    ("Harbour District Liaison Office", "MY", ["MY"], True, "observer", "Hadi Rahmanto"),
)


def _applications(session: Session, moment: datetime) -> None:
    for name, headquarters, countries, governmental, category, contact in APPLICATIONS:
        slug = name.lower().split()[0]
        applications.submit_application(
            session,
            applications.ApplicationInput(
                organisation_name=name,
                mandate=f"{name} works with communities on early warning and dialogue.",
                headquarters_country=headquarters,
                operating_countries=countries,
                legally_registered=True,
                government_controlled=governmental,
                agrees_with_principles=True,
                category=category,
                contact_name=contact,
                contact_email=f"contact@{slug}.{DOMAIN}",
            ),
            None,
            letters_dir="",  # no letter: nothing is written
            now=moment,
        )
