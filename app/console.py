"""The `accord` console script: the accord commands (app.cli) plus Flask's own (run,
shell…), on the application the factory makes."""

from flask.cli import FlaskGroup

from app import create_app
from app.cli import accord


def main() -> None:
    cli = FlaskGroup(create_app=create_app, help="Accord: consensus decisions for a partnership.")
    for command in accord.commands.values():
        cli.add_command(command)
    cli.main(prog_name="accord")
