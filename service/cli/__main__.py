"""`python -m service.cli` runs the same command line as `rapport`."""

from service.cli import app

app(prog_name="rapport")
