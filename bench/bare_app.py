"""A bare Flask application, the yardstick of bench/load.py's comparison: the same PUT
path as Accord's position registration, answered with a position-sized JSON body and no
database, so that what separates the two is Accord's own work.

    gunicorn -c gunicorn.conf.py bench.bare_app:app
"""

from datetime import UTC, datetime

from flask import Flask, jsonify, request

from decisions.db import db

app = Flask(__name__)
# Only so that the repository's gunicorn.conf.py (its post_fork forgets the database
# engine's connections) serves both applications unchanged; no request touches it.
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


@app.put("/api/v1/rounds/<int:round_id>/positions/<int:partner_id>")
def register_position(round_id: int, partner_id: int):  # type: ignore[no-untyped-def]
    body = request.get_json()
    return jsonify(
        partner_id=partner_id,
        stance=body.get("stance", "consent"),
        reason="",
        note="",
        registered_at=datetime.now(UTC).isoformat(),
        registered_by=1,
        on_behalf=False,
    )
