"""Full-text search of the decision log's titles and texts, on either database.

A search is words: an entry matches when each word of the search begins a word of its
title or its text, whatever the case and the order (``restor`` finds "restoration";
``dams`` finds "river dams", ``ams`` does not). PostgreSQL finds the matches from a GIN
index on ``to_tsvector('simple', title || ' ' || text)`` (migration 0010) and counts them
in ``decisions_fts``, a narrow table of each entry's words (``title || ' ' || text``)
under a GIN index on the same tsvector, kept in step by a trigger (migration 0015);
SQLite does both from the FTS5 table of the same name, which triggers keep in step with
``decisions`` (migration 0010). Each is created on its own database only; the models do
not declare them.
"""

import re
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, TextClause, false, literal, select, text
from sqlalchemy.orm import Session

#: objects of one database only, which the models do not declare (migrations 0010, 0015)
INDEX = "ix_decisions_fulltext"
FTS_TABLE = "decisions_fts"
#: at most this many words count; a search is at most 200 characters anyway
MAX_WORDS = 32

# Letters and digits, in any script; the rest (punctuation, "_", "%") separates words,
# as it does for both databases' tokenizers.
_WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The search's words, lower-cased, each once, in their order."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))[:MAX_WORDS]


def matching(session: Session, query: str, *, indexed: bool = True) -> ColumnElement[bool]:
    """The condition on ``DecisionEntry`` that the search ``query`` holds. ``indexed``:
    written for the full-text index, which gives every match at once; else written so
    that the database tests it entry by entry, as it walks the list's order (for a word
    most entries have, the page is found after testing a few dozen)."""
    found = words(query)
    if not found:
        # nothing to look for: no entry matches, as with a word no entry has
        return false()
    if _is_postgresql(session):
        # Written as the index is, so that PostgreSQL uses it; IS TRUE hides it from the
        # index, the same test on each entry's own text. Not through the narrow table:
        # PostgreSQL guesses any prefix search matches 2 % of the rows, and would then
        # read that table whole, to join it to the log, rather than use its index.
        test = (
            "to_tsvector('simple', decisions.title || ' ' || decisions.text)"
            " @@ to_tsquery('simple', :fulltext)"
        )
        condition = text(test if indexed else f"({test}) IS TRUE")
    else:
        # unary + keeps SQLite from looking the matches' ids up in the primary key
        condition = text(
            ("" if indexed else "+")
            + f"decisions.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fulltext)"
        )
    # a condition in SQL text, which SQLAlchemy puts in a WHERE as it is
    return cast(ColumnElement[bool], _searching(session, condition, found))


def counted(session: Session, query: str) -> Select[Any]:
    """How many entries the search ``query`` matches, with no other filter: counted in
    the table of words alone, a narrow row for each entry of the log, never through the
    log's wide rows (their texts, their positions). For a word 7 entries in 10 have, of
    100 000, that reads a third of the pages on PostgreSQL, and is twenty times quicker
    on SQLite."""
    found = words(query)
    if not found:
        return select(literal(0))
    match = (
        f"to_tsvector('simple', {FTS_TABLE}.words) @@ to_tsquery('simple', :fulltext)"
        if _is_postgresql(session)
        else f"{FTS_TABLE} MATCH :fulltext"
    )
    return (
        select(text("count(*)"))
        .select_from(text(FTS_TABLE))
        .where(_searching(session, text(match), found))
    )


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _searching(session: Session, clause: TextClause, found: list[str]) -> TextClause:
    """``clause`` given the words as its database's query syntax writes them: each word
    the beginning of a word, every one of them required."""
    if _is_postgresql(session):
        return clause.bindparams(fulltext=" & ".join(f"{w}:*" for w in found))
    return clause.bindparams(fulltext=" ".join(f'"{w}"*' for w in found))
