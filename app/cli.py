"""The `accord` command group (`flask --app wsgi accord …`, or the `accord` script)."""

import socket
import sys
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from decisions import log, log_pages, log_verify_file, partners, settings, tokens, users
from decisions.db import db
from decisions.errors import DomainError
from decisions.models import Partner, User
from notifications import handlers
from notifications import lmtp as lmtp_module
from notifications import mail_in as mail_in_module
from notifications import scheduler as scheduler_module
from notifications.settings import Settings

#: sysexits.h: a mail server tries the delivery again later
EX_TEMPFAIL = 75

accord = AppGroup("accord", help="Accord: consensus decisions for a partnership.")


def _fail(error: DomainError) -> None:
    where = f" ({error.field})" if error.field else ""
    raise click.ClickException(f"{error.message}{where}")


def init_database() -> None:
    upgrade()
    settings.ensure_partnership(db.session)
    db.session.commit()


@accord.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema (idempotent)."""
    init_database()
    click.echo("Database is at the latest schema.")


@accord.command("create-partner")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 alpha-2 code")
@click.option("--category", default="member", show_default=True)
def create_partner(name: str, country: str, category: str) -> None:
    """Register a founding partner; prints its id."""
    try:
        partner = partners.create_partner(db.session, None, name, country, category)
    except DomainError as error:
        _fail(error)
    click.echo(partner.id)


@accord.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["secretariat", "partner", "observer"]))
@click.option("--partner-id", type=int)
@click.option("--password")
def create_user(
    email: str, name: str, role: str, partner_id: int | None, password: str | None
) -> None:
    """Create a user; prints the new user's id."""
    try:
        user = users.create_user(db.session, None, email, name, role, partner_id, password)
    except DomainError as error:
        _fail(error)
    click.echo(user.id)


@accord.command("create-token")
@click.option("--email", required=True)
@click.option("--label", default="")
def create_token(email: str, label: str) -> None:
    """Print a new API token for the user (shown once, stored hashed)."""
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    _row, token = tokens.create_token(db.session, user, label)
    click.echo(token)


@accord.command("demo")
def demo() -> None:
    """Fill an empty database with a fictional partnership and print the logins."""
    from app.demo import DemoRefused, fill

    settings.ensure_partnership(db.session)
    try:
        logins = fill(db.session)
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    print_logins(logins)


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo("Demo logins (e-mail / password):")
    for role, email, password in logins:
        click.echo(f"  {role:<28} {email:<34} {password}")


@accord.command("verify-log")
@click.option(
    "--file",
    "export",
    type=click.Path(dir_okay=False),
    help="Check this JSON export of the log (GET /decisions/export.json) instead of the "
    "database, from the file alone.",
)
@click.option(
    "--receipt",
    help="An entry's hash, as its outcome's e-mail gave it: exit 1 also when no entry of "
    "the intact chain has it.",
)
def verify_log(export: str | None, receipt: str | None) -> None:
    """Check the decision log's hash chain: exit 0 when intact, 1 otherwise."""
    try:
        wanted = None if receipt is None else log.receipt_hash(receipt)
    except DomainError as error:
        _fail(error)
    if export is not None:
        _verify_file(export, wanted)
        return
    progress = _progress()
    result = log.verify(db.session, wanted, progress)
    if progress is not None:
        click.echo(err=True)  # below the progress line
    if result.ok:
        click.echo(f"Decision log intact: {result.count} entries.")
    else:
        click.echo(
            f"Decision log ALTERED: entry id {result.first_bad} does not match its hash "
            f"chain ({result.count} entries).",
            err=True,
        )
    if not _receipt_answered(result.receipt_found) or not result.ok:
        sys.exit(1)


def _verify_file(path: str, receipt: str | None) -> None:
    try:
        with open(path, "rb") as export:
            result = log_verify_file.check_export(export, receipt)
    except OSError as error:  # not there, not readable: no intact export either
        click.echo(f"Cannot read {path}: {error.strerror}.", err=True)
        sys.exit(1)
    if result.ok:
        click.echo(f"Export intact: {result.count} entries, chained from the first.")
    for problem in result.problems:
        click.echo(f"Export ALTERED: {problem}", err=True)
    if not _receipt_answered(result.receipt_found) or not result.ok:
        sys.exit(1)


def _receipt_answered(found: bool | None) -> bool:
    """Say what became of the receipt asked about; False when it is not in the chain."""
    if found is None:
        return True
    if found:
        click.echo("Receipt found: its entry is in the intact chain, unchanged.")
    else:
        click.echo(
            "Receipt NOT found: no entry of the intact chain has that hash (the entry was "
            "changed or removed, or the receipt is not from this log).",
            err=True,
        )
    return found


def _progress() -> Callable[[int], None] | None:
    """On a terminal, "Checked 1200 of 100000 entries" kept up to date on one line;
    nothing when standard error goes to a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    total = log_pages.log_facts(db.session).total

    def show(checked: int) -> None:
        click.echo(f"\rChecked {checked} of {total} entries", err=True, nl=False)

    return show


@accord.command("mail-in")
@click.option(
    "--lmtp",
    metavar="HOST:PORT",
    help="Listen for LMTP on HOST:PORT instead of reading one message on standard input.",
)
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    help="The envelope recipient, as the mail server gives it (Postfix: ${recipient}).",
)
def mail_in(lmtp: str | None, recipients: tuple[str, ...]) -> None:
    """Register a position from an e-mail reply, as a mail server's pipe delivers it on
    standard input: exit 0 when dealt with (registered or refused), 75 when it should be
    tried again later (the database cannot be reached)."""
    if lmtp:
        host, _, port = lmtp.rpartition(":")
        if not host or not port.isdigit():
            raise click.BadParameter("HOST:PORT, e.g. 127.0.0.1:2003", param_hint="--lmtp")
        lmtp_module.serve(
            current_app._get_current_object(), host.strip("[]"), int(port), click.echo
        )
        return
    raw = mail_in_module.read_message(sys.stdin.buffer)
    try:
        dealt = mail_in_module.deal_with(db.session, Settings.of_app(), raw, recipients)
    except mail_in_module.UNREACHABLE as error:
        click.echo(f"The database cannot be reached: try again later ({error.orig}).", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(dealt.describe())


@accord.command("tick")
def tick() -> None:
    """Do once, now, everything that is due, and exit."""
    done = scheduler_module.run_due(db.session())
    click.echo(f"Closed {len(done.closed)} round(s) at their deadline: {', '.join(done.closed)}")
    click.echo(f"Queued {done.reminded} reminder(s).")
    sent = done.sent
    click.echo(f"E-mail: {sent.sent} sent, {sent.retrying} to retry later, {sent.failed} refused.")
    for error in sent.errors[:5]:
        click.echo(f"  {error}", err=True)


@accord.command("scheduler")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=scheduler_module.INTERVAL_SECONDS,
    show_default=True,
    help="Seconds between runs, and between a standing-by scheduler's tries for the lock.",
)
def scheduler(interval: float) -> None:
    """Run the scheduler in the foreground, one on every host: on PostgreSQL only the one
    holding the lock works, the others stand by and take over when it stops."""
    click.echo(f"Scheduler running: every {interval:g} s it does what is due (Ctrl+C stops it).")
    try:
        scheduler_module.run_in_turn(current_app._get_current_object(), click.echo, interval)
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")


@accord.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Set up the database (demo data on first run) and run the development server."""
    from app.demo import fill

    init_database()
    if db.session.scalar(db.select(Partner.id).limit(1)) is None:
        print_logins(fill(db.session))
    else:
        click.echo("The database already holds a partnership: sign in with its accounts.")
    # End this command's transaction: on SQLite an open one would lock out the requests.
    db.session.remove()
    app = current_app._get_current_object()
    if not app.config["ACCORD_BASE_URL"]:
        # Links in e-mails lead back to this server, on whatever port it was given.
        app.config["ACCORD_BASE_URL"] = own_address(host, port)
        handlers.wire(app)  # the notices' settings were taken at start-up: take them anew
    click.echo(f"Links in e-mails point to {app.config['ACCORD_BASE_URL']}/ (ACCORD_BASE_URL).")
    if app.config["ACCORD_SCHEDULER"] == "embedded":
        scheduler_module.build(app).start()
        click.echo("The scheduler runs in this process (ACCORD_SCHEDULER=embedded).")
    click.echo(f"Accord is running at http://{host}:{port}/  (Ctrl+C stops it)")
    # No reloader: it would run a second process, and with it a second scheduler.
    # (app.run() refuses to start under the flask CLI, so call Werkzeug directly.)
    run_simple(host, port, app, use_reloader=False, threaded=True)


def own_address(host: str, port: int) -> str:
    """The address people reach this server at: a wildcard host is no address, so the
    machine's own name stands in for it."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()
    elif ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"
