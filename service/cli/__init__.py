"""The `rapport` command line: one module per group of commands, one Typer app."""
# isort: skip_file
# Importing a module registers its commands; this order is the order `rapport --help` lists.

from service.cli.common import app
from service.cli import workspace
from service.cli import workspace_file
from service.cli import accounts
from service.cli import reading
from service.cli import processes
from service.cli import export
from service.cli import webhooks
from service.cli import users

__all__ = [
    "accounts",
    "app",
    "export",
    "processes",
    "reading",
    "users",
    "webhooks",
    "workspace",
    "workspace_file",
]
