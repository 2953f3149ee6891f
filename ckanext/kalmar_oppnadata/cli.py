"""`ckan kalmar …`: the region's operator commands."""
from __future__ import annotations

import click

from . import demo, organizations

__all__ = ["kalmar"]


@click.group(short_help="Öppna data i Kalmar län: set-up and maintenance.")
def kalmar():
    """Öppna data i Kalmar län: set-up and maintenance."""


@kalmar.command()
@click.option("--overwrite", is_flag=True,
              help="Replace values edited in the web UI with those of the data file.")
@click.option("--no-demo", is_flag=True, help="Do not load the demo datasets.")
def setup(overwrite: bool, no_demo: bool):
    """Create or complete the organizations of Kalmar län and load the demo datasets (idempotent).

    Fields that are empty in the portal are filled from the package data; values the region
    edited in the web UI are kept unless --overwrite is given. Demo datasets that exist are left alone.
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
    if not no_demo:
        loaded = demo.load_demo()
        created = [d.name for d in loaded if d.action == "created"]
        click.echo(f"demo datasets: {len(loaded)} defined, {len(created)} created"
                   + (f" ({', '.join(created)})" if created else ""))
