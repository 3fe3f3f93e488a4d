"""The decision log as an Atom feed, for feed readers: its newest entries, each with its
number, title and outcome, a link to its page, its closing time and its tally. Nothing a
partner said (reasons, notes) nor who registered a position is in it, so that the same
feed serves a member's secret address and, when the log is public, everyone.

Feed readers cannot sign in: a member's feed has a secret address of its own
(notifications.feed_tokens, the user's ``log_feed_token``), renewed or revoked on the
account page; a public log's feed has a plain one (app/log/feed.py)."""

from __future__ import annotations

from datetime import datetime

from feedgen.feed import FeedGenerator
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from decisions import log_search
from decisions.models import DecisionEntry
from notifications.settings import Settings
from notifications.wording import outcome_label, tally_lines

#: the entries a feed holds: the newest ones (a reader keeps those it has seen)
FEED_SIZE = 50
MIMETYPE = "application/atom+xml"


def feed(
    session: Session,
    settings: Settings,
    *,
    name: str,
    locale: str,
    address: str,
    now: datetime,
) -> bytes:
    """The feed of the partnership ``name``'s log, worded in ``locale``; ``address`` is
    the feed's own (its ``self`` link). ``updated`` is the newest entry's closing time
    (``now`` while the log is empty), so that a feed without news reads the same."""
    entries = log_search.search_log(session, page=1, per_page=FEED_SIZE).items
    with force_locale(locale):
        generator = FeedGenerator()
        log_page = settings.url_for("log.index")
        generator.id(log_page)
        generator.title(_("%(name)s: decision log", name=name))
        generator.subtitle(_("Every closed round, whatever its outcome, newest first."))
        generator.author(name=name)
        generator.link(href=log_page, rel="alternate", type="text/html")
        generator.link(href=address, rel="self", type=MIMETYPE)
        generator.language(locale)
        generator.updated(entries[0].closed_at if entries else now)
        for entry in entries:
            _add_entry(generator, settings, entry)
        return bytes(generator.atom_str(pretty=True))


def _add_entry(generator: FeedGenerator, settings: Settings, entry: DecisionEntry) -> None:
    page = settings.url_for("log.show", decision_id=entry.id)
    outcome = outcome_label(entry.outcome)
    tally = ", ".join(f"{label} {count}" for label, count in tally_lines(entry.tally))
    item = generator.add_entry(order="append")
    # The entry's address never changes: a reader shows each decision once.
    item.id(page)
    item.title(
        _(
            "%(number)s %(title)s: %(outcome)s",
            number=entry.number,
            title=entry.title,
            outcome=outcome,
        )
    )
    item.link(href=page, rel="alternate", type="text/html")
    item.updated(entry.closed_at)
    item.published(entry.closed_at)
    item.summary(_("Outcome: %(outcome)s. Tally: %(tally)s.", outcome=outcome, tally=tally))
