"""The stance and reason of an e-mail reply as mail programs write them (notifications/
reply_parsing.py): the quote's attribution line of each program and language, Outlook's
header block, signatures, HTML turned into text."""

import pytest

from notifications.reply_parsing import html_to_text, read_reply

ATTRIBUTIONS = [
    "On Mon, 2 Mar 2026 at 09:00, Accord <accord@partnership.example> wrote:",
    "On 2 Mar 2026, at 09:00, Accord <accord@partnership.example> wrote:",
    "On Mon, 2 Mar 2026 at 09:00, Accord <\naccord@partnership.example> wrote:",
    "Le lun. 2 mars 2026 à 09:00, Accord <accord@partnership.example> a écrit :",
    "El lun, 2 mar 2026 a las 9:00, Accord (<accord@partnership.example>) escribió:",
    # Gmail in Arabic, with the marks of direction around the name and address
    "\u202bفي الاثنين، 2 مارس 2026 في 9:00 ص تمت كتابة ما يلي بواسطة \u202aAccord\u202c\u200f "
    "<\u202aaccord@partnership.example\u202c\u200f>:\u202c",
    "في 2 مارس 2026، الساعة 9:00، كتب Accord <accord@partnership.example>:",
    "Pada tanggal Sen, 2 Mar 2026 pukul 09.00 Accord <accord@partnership.example> menulis:",
    "________________________________\nFrom: Accord <accord@partnership.example>",
    "-----Original Message-----\nFrom: Accord <accord@partnership.example>",
]


@pytest.mark.parametrize("attribution", ATTRIBUTIONS)
def test_the_reason_ends_above_the_quote_of_every_mail_program(attribution: str) -> None:
    text = f"Object\nNo budget yet.\nWe need the figures.\n\n{attribution}\nRound 1 is open.\n"
    reply = read_reply(text)
    assert reply is not None and reply.stance == "object"
    assert reply.reason == "No budget yet.\nWe need the figures."


def test_an_answer_below_the_quote_and_a_signature() -> None:
    reply = read_reply("On Mon, Accord wrote:\n> Round 1 is open.\n\nConsent!\n-- \nAna\n")
    assert reply is not None and (reply.stance, reply.reason) == ("consent", "")


def test_a_reason_line_that_starts_like_an_attribution_stays() -> None:
    reply = read_reply("Object\nOn the budget: it is not known.\nEl presupuesto tampoco.\n")
    assert reply is not None
    assert reply.reason == "On the budget: it is not known.\nEl presupuesto tampoco."


def test_no_line_of_its_own_and_no_stance() -> None:
    assert read_reply("\n\n> only the quote\n") is None
    reply = read_reply("Perhaps next week\n")
    assert reply is not None and reply.stance is None and reply.first_line == "Perhaps next week"


def test_html_blocks_breaks_and_quotes_become_lines() -> None:
    html = (
        "<p>Stand&nbsp;aside<br>Not our region.</p><script>x()</script>"
        "<div class='gmail_quote'>On Mon, Accord wrote:"
        "<blockquote><p>Round 1</p></blockquote></div>"
    )
    assert html_to_text(html).splitlines() == [
        "Stand aside",
        "Not our region.",
        "> On Mon, Accord wrote:",
        "> > Round 1",
    ]
    reply = read_reply(html_to_text(html))
    assert reply is not None and (reply.stance, reply.reason) == ("stand_aside", "Not our region.")
