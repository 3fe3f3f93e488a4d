"""Pages and JSON answers go gzipped to a client that asks for it (Flask-Compress): a
proposal page or a list of decisions shrinks five to ten times, which is most of its
transfer time on a slow link.

Pages and JSON are compressed; JSON written as it goes (the API's list of decisions,
megabytes with 10 000 partners) chunk by chunk, so never whole in memory. Files are left
as they are: a letter of intent's PDF, and the stylesheet, which browsers keep in their
cache; so is a calendar feed (text/calendar): calendar programs are the clients least
likely to cope. An answer under COMPRESS_MIN_SIZE gains nothing. Each
setting can be changed in instance/config.py; COMPRESS_REGISTER = False leaves
compression to the reverse proxy.

On BREACH (a secret in a compressed page guessed from its size over many requests): the
one secret in our pages is the CSRF token, whose timestamped signature changes every
second, too fast to be guessed that way; the session cookie is a header, never compressed.
"""

from flask import Flask
from flask_compress import Compress

DEFAULTS = {
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 1024,
    "COMPRESS_STREAMS": True,
    "COMPRESS_ALGORITHM_STREAMING": ["gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "application/json",
        "application/problem+json",
    ],
}


def register(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    Compress(app)
