"""Where a form may send its reader back to: a path on this site, never another site."""

from urllib.parse import urlsplit

from flask import url_for


def local_target(target: str | None) -> str:
    """``target`` when it is a path here, else the home page. "//host" and "/\\host" are
    other sites to a browser, though they start with a slash."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.home")
