"""Full-text search of the decision log's titles and texts, on either database.

A search is words: an entry matches when each word of the search begins a word of its
title or its text, whatever the case and the order (``restor`` finds "restoration";
``dams`` finds "river dams", ``ams`` does not). PostgreSQL answers from a GIN index on
``to_tsvector('simple', title || ' ' || text)``, SQLite from the FTS5 table
``decisions_fts`` that triggers keep in step with ``decisions``; migration 0010 creates
both, each on its own database only.
"""

import re
from typing import cast

from sqlalchemy import ColumnElement, false, text
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


def matching(session: Session, query: str) -> ColumnElement[bool]:
    """The condition on ``DecisionEntry`` that the search ``query`` holds."""
    found = words(query)
    if not found:
        # nothing to look for: no entry matches, as with a word no entry has
        return false()
    if session.get_bind().dialect.name == "postgresql":
        # written as the index is, so that PostgreSQL uses it
        condition = text(
            "to_tsvector('simple', decisions.title || ' ' || decisions.text)"
            " @@ to_tsquery('simple', :fulltext)"
        ).bindparams(fulltext=" & ".join(f"{w}:*" for w in found))
    else:
        condition = text(
            f"decisions.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fulltext)"
        ).bindparams(fulltext=" ".join(f'"{w}"*' for w in found))
    # a condition in SQL text, which SQLAlchemy puts in a WHERE as it is
    return cast(ColumnElement[bool], condition)
