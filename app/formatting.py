"""What templates use to show values: times in the reader's zone, Markdown made safe."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import nh3
from babel.dates import format_datetime
from flask import Flask, g
from flask_babel import get_locale
from flask_login import current_user
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from decisions.clock import as_utc
from decisions.db import db
from decisions.models import Partnership
from decisions.settings import get_partnership

# Raw HTML in proposals is not rendered (html=False); nh3 then keeps only safe tags, so
# even a renderer bug cannot put a script on the page.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
#: a proposal's "# Heading" sits below the page's h1 and the section's h2
HEADING_SHIFT = 2


def render_markdown(text: str) -> Markup:
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
        if token.type == "inline" and token.children:
            token.children = [
                replacement for child in token.children for replacement in _local_image(child)
            ]
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(nh3.clean(html, link_rel="noopener noreferrer nofollow"))


def _local_image(token: Token) -> list[Token]:
    """An image from elsewhere would tell its server who reads the proposal, and when:
    it becomes a link that the reader may choose to follow. Accord's own stay images."""
    source = str(token.attrs.get("src", "")) if token.type == "image" else ""
    if not source or (source.startswith("/") and not source.startswith("//")):
        return [token]
    link = Token("link_open", "a", 1, attrs={"href": source})
    alt = "".join(child.content for child in token.children or [])
    words = Token("text", "", 0, content=alt or source)
    return [link, words, Token("link_close", "a", -1)]


def current_partnership() -> Partnership:
    """The partnership's settings, read once per request (every page shows its name and
    every time shown may need its zone)."""
    if "partnership" not in g:
        g.partnership = get_partnership(db.session)
    return g.partnership


def reader_zone() -> str:
    """The signed-in user's time zone, else the partnership's (worked out once a request:
    a page may show a time for each of a thousand partners)."""
    if "reader_zone" not in g:
        own = current_user.time_zone if current_user.is_authenticated else None
        g.reader_zone = own or current_partnership().time_zone
    return g.reader_zone


def local_time(moment: datetime | None, zone: str | None = None, with_zone: bool = True) -> str:
    """``moment`` on the reader's clock, in the reader's language: "21 Nov 2026, 20:59
    (Asia/Singapore, UTC+08:00)"."""
    if moment is None:
        return ""
    zone = zone or reader_zone()
    try:
        local = as_utc(moment).astimezone(ZoneInfo(zone))
    except OverflowError:  # a time at the edge of the calendar: show it as stored
        return f"{as_utc(moment).isoformat()} (UTC)"
    text = format_datetime(local, "d MMM y, HH:mm", locale=get_locale())
    if not with_zone:
        return text
    offset = local.strftime("%z")
    return f"{text} ({zone}, UTC{offset[:3]}:{offset[3:]})"


def translated(words: Mapping[str, Any]) -> dict[str, str]:
    """Labels translated now, once, for a template that shows them in every row."""
    return {key: str(word) for key, word in words.items()}


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.globals["translated"] = translated

    @app.context_processor
    def partnership_context() -> dict[str, object]:
        return {"partnership": current_partnership()}
