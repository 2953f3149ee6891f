"""`ckan kalmar …`: the region's operator commands."""
from __future__ import annotations

import click

from . import organizations

__all__ = ["kalmar"]


@click.group(short_help="Öppna data i Kalmar län: set-up and maintenance.")
def kalmar():
    """Öppna data i Kalmar län: set-up and maintenance."""


@kalmar.command()
@click.option("--overwrite", is_flag=True,
              help="Replace values edited in the web UI with those of the data file.")
def setup(overwrite: bool):
    """Create or complete the organizations of Kalmar län (idempotent).

    Fields that are empty in the portal are filled from the package data; values the region
    edited in the web UI are kept unless --overwrite is given.
    """
    changes = organizations.sync_organizations(overwrite=overwrite)
    for change in changes:
        line = f"{change.name}: {change.action}"
        if change.fields:
            line += f" ({', '.join(change.fields)})"
        if change.kept:
            line += f"; kept the portal's {', '.join(change.kept)} (use --overwrite to replace)"
        click.echo(line)
    counts = {a: sum(c.action == a for c in changes) for a in ("created", "updated")}
    click.echo(f"organizations: {len(changes)} in the data file, "
               f"{counts['created']} created, {counts['updated']} updated")
