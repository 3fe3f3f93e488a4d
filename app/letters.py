"""Where the letters of intent sent with applications are kept on disk: one folder for
the public form, the JSON API and the Secretariat's review, all three in the web layer."""

import os

from flask import current_app


def letters_dir() -> str:
    """ACCORD_LETTERS_DIR, else instance/letters/."""
    configured = current_app.config.get("ACCORD_LETTERS_DIR")
    return str(configured or os.path.join(current_app.instance_path, "letters"))
