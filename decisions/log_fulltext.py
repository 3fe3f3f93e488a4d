"""Full-text search of the decision log's titles and texts, on either database.

A search is words: an entry matches when each word of the search begins a word of its
title or its text, whatever the case and the order (``restor`` finds "restoration";
``dams`` finds "river dams", ``ams`` does not). PostgreSQL answers from a GIN index on
``to_tsvector('simple', title || ' ' || text)``, SQLite from the FTS5 table
``decisions_fts`` that triggers keep in step with ``decisions``; migration 0010 creates
both, each on its own database only.
"""

import re
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, false, func, select, text
from sqlalchemy.orm import Session

#: objects of one database only, which the models do not declare (see migration 0010)
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
    if session.get_bind().dialect.name == "postgresql":
        # written as the index is, so that PostgreSQL uses it; IS TRUE hides it from the
        # index, the same test on each entry's own text
        test = (
            "to_tsvector('simple', decisions.title || ' ' || decisions.text)"
            " @@ to_tsquery('simple', :fulltext)"
        )
        condition = text(test if indexed else f"({test}) IS TRUE").bindparams(
            fulltext=" & ".join(f"{w}:*" for w in found)
        )
    else:
        # unary + keeps SQLite from looking the matches' ids up in the primary key
        condition = text(
            ("" if indexed else "+")
            + f"decisions.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fulltext)"
        ).bindparams(fulltext=" ".join(f'"{w}"*' for w in found))
    # a condition in SQL text, which SQLAlchemy puts in a WHERE as it is
    return cast(ColumnElement[bool], condition)


def counted(session: Session, query: str) -> Select[Any]:
    """How many entries the search ``query`` matches, with no other filter: on SQLite
    counted in the FTS5 table alone (its rows are the log's entries, one each), which
    is twenty times quicker than through the log's table for a word most entries have."""
    found = words(query)
    if found and session.get_bind().dialect.name != "postgresql":
        return (
            select(text("count(*)"))
            .select_from(text(FTS_TABLE))
            .where(
                text(f"{FTS_TABLE} MATCH :fulltext").bindparams(
                    fulltext=" ".join(f'"{w}"*' for w in found)
                )
            )
        )
    return select(func.count()).select_from(text("decisions")).where(matching(session, query))
