"""What a notice quotes of a text someone wrote: on one line, cut at a word."""

#: how much of a comment, a reason or an answer a notice quotes
EXCERPT = 300


def excerpt(text: str, limit: int = EXCERPT, *, trim: str = "") -> str:
    """``text`` on one line; a longer one than ``limit`` characters is cut at a word,
    less any of the characters ``trim`` the cut leaves at its end, and ends with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(trim) + "…"
