"""Shared foundations: settings, database, ORM models, migrations, errors, logging, job app."""
