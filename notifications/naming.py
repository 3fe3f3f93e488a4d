"""Names put into a message rendered once for many recipients.

A message is rendered once for each distinct reader with marks where the recipient's and
their partner's names go (notifications.messages), stored once (notifications.models,
MailBody), and each recipient's names put in where it is read: in the inbox when queued,
in the e-mail when sent (notifications.delivery)."""

from __future__ import annotations

from markupsafe import escape


def put_names(
    text: str, marks: tuple[str, str], names: tuple[str, str], *, html: bool = False
) -> str:
    """``text`` with the name mark replaced by the name and the partner mark by the
    partner's name (``marks`` and ``names`` in that order), escaped for HTML when ``html``,
    as the templates escape them. An empty mark stands for nothing: a text named already."""
    name_mark, partner_mark = marks
    name, partner = names
    if html:
        name, partner = str(escape(name)), str(escape(partner))
    if name_mark:
        text = text.replace(name_mark, name)
    if partner_mark:
        text = text.replace(partner_mark, partner)
    return text
