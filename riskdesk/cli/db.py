"""`riskdesk db …`: team database commands (issue 14)."""

from __future__ import annotations

import argparse

from riskdesk.cli.team_setup import add_setup_commands


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="set up and manage a team database (PostgreSQL)",
                       description="Team database commands; see docs/team.md.")
    db = p.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    add_setup_commands(db)
