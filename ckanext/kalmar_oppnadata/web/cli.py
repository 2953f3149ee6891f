"""`ckan kalmar …`: the region's operator commands."""
from __future__ import annotations

import sys

import click
from rdflib import Graph

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import documents, refresh, shacl
from ckanext.kalmar_oppnadata.digests import editors as editor_digests
from ckanext.kalmar_oppnadata.digests import sending as digest_sending
from ckanext.kalmar_oppnadata.files import queueing
from ckanext.kalmar_oppnadata.freshness import upkeep as freshness_upkeep
from ckanext.kalmar_oppnadata.harvesting import consumers, sources
from ckanext.kalmar_oppnadata.jobs import queue as jobs_queue
from ckanext.kalmar_oppnadata.jobs import worker as jobs_worker
from ckanext.kalmar_oppnadata.links import sweep as link_sweep
from ckanext.kalmar_oppnadata.registers import demo, organizations
from ckanext.kalmar_oppnadata.search import reindexing

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
    # A request context as CKAN's own commands use: text CKAN stores while creating (the titles of the
    # demo's previews) is then in the portal's default language.
    with click.get_current_context().meta["flask_app"].test_request_context():
        _setup(overwrite, no_demo)


def _setup(overwrite: bool, no_demo: bool):
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


@kalmar.command("validate-catalog")
@click.option("--organization", "-o", help="Check one organization's catalog instead of the portal's.")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help="Check an RDF file instead (e.g. a municipality's own catalog before harvesting it).")
@click.option("--hvd", "hvd_only", is_flag=True, help="Check only the catalog of high-value datasets.")
def validate_catalog(organization: str | None, path: str | None, hvd_only: bool):
    """Check that the DCAT-AP-SE catalog can be harvested by Sveriges dataportal.

    Builds the complete catalog (RDF/XML, as dataportal.se fetches it) and the catalog of high-value
    datasets (/catalog/hvd.rdf), then checks each against the EU DCAT-AP 3.0.1 SHACL shapes with the Swedish
    additions, against the Swedish rules, and its high-value datasets against SEMIC's DCAT-AP HVD shapes.
    Prints every violation and exits with status 1 if there is any.
    """
    catalogs: list[tuple[str, Graph]] = []
    if path:
        catalogs.append((path, Graph().parse(path)))
    elif organization:
        org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": organization})
        catalogs.append((f"the catalog of {org['title']}",
                         Graph().parse(data=documents.organization_catalog(org, "rdf")[0], format="xml")))
    else:
        if not hvd_only:
            catalogs.append(("the portal's catalog", Graph().parse(data=documents.portal_catalog("rdf")[0],
                                                                   format="xml")))
        catalogs.append(("the catalog of high-value datasets",
                         Graph().parse(data=documents.hvd_catalog("rdf")[0], format="xml")))
    problems = 0
    for source, graph in catalogs:
        findings = shacl.validate(graph)
        click.echo(f"Checked {source}: {len(graph)} triples, {len(shacl.hvd_datasets(graph))} high-value "
                   "dataset(s).")
        for finding in findings:
            click.echo(f"  {finding}")
        problems += len(findings)
    if problems:
        click.echo(f"{problems} problem(s): Sveriges dataportal may reject this catalog.")
        sys.exit(1)
    click.echo("No problems found: the catalog follows DCAT-AP-SE 3.0.1 (and DCAT-AP HVD) as checked.")


@kalmar.command("harvest-source")
@click.argument("organization")
@click.argument("url")
@click.option("--title", help="The source's title (default: the organization's title and 'egen katalog').")
@click.option("--name", help="The source's URL name (default: from the organization).")
@click.option("--frequency", default="WEEKLY", show_default=True,
              type=click.Choice(["MANUAL", "DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY"]),
              help="How often the source is harvested (the job runner starts scheduled harvests).")
@click.option("--classification-confirmed", is_flag=True,
              help="The organization has confirmed that what the source publishes is classified as public "
                   "(recorded as confirmed by the site user); without it the datasets are harvested as private.")
def harvest_source(organization: str, url: str, title: str | None, name: str | None, frequency: str,
                   classification_confirmed: bool):
    """Add a DCAT-AP-SE catalog (RDF/XML or Turtle at URL) as a harvest source of ORGANIZATION.

    Its datasets are harvested into that organization, as private ones unless the classification is
    confirmed. The same can be done in the web interface at /harvest/new by the organization's admins.
    """
    try:
        source = sources.create(organization, url, title=title, name=name, frequency=frequency,
                                classification_confirmed=classification_confirmed)
    except tk.ObjectNotFound:
        sys.exit(f"No organization '{organization}'.")
    except tk.ValidationError as error:
        for field, messages in error.error_dict.items():
            click.echo(f"{field}: {' '.join(str(m) for m in messages)}", err=True)
        sys.exit(1)
    click.echo(f"Harvest source '{source['name']}' ({source['id']}) added to {organization}: {url}")
    click.echo(f"Harvest it now: ckan harvester job {source['id']}")


@kalmar.command("harvest-consumer")
@click.argument("queue", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(queue: str):
    """Run ckanext-harvest's QUEUE consumer, waiting again whenever Redis's socket timeout ends a wait."""
    # In a request context, as `kalmar setup`: validation errors in the job reports are then in the
    # portal's default language.
    with click.get_current_context().meta["flask_app"].test_request_context():
        consumers.consume(queue)


@kalmar.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
@click.option("--max-idle-time", default=None, type=click.INT, help="Stop after this many seconds idle.")
@click.option("--no-scheduler", is_flag=True, help="Do not enqueue scheduled jobs from this worker.")
@click.argument("queues", nargs=-1)
def jobs_worker_command(burst: bool, max_idle_time: int | None, no_scheduler: bool, queues: tuple[str, ...]):
    """Run the background jobs of QUEUES (CKAN's default queue if none), as `ckan jobs worker` does but
    without loading CKAN again for each job (jobs/worker.py): the worker the portal runs."""
    jobs_worker.work(list(queues), burst=burst, max_idle_time=max_idle_time, with_scheduler=not no_scheduler)


@kalmar.command("queue-pending")
def queue_pending():
    """Queue the background work that is missing or stale (after Redis was unreachable, say).

    Looks at every dataset, also private and draft ones: each CSV of a dataset that follows a
    specification with no report for its current file is queued for checking, and each CSV or XLSX file
    not loaded into the DataStore as it is now is queued for loading. Jobs already waiting are not queued
    twice. The jobs worker then runs them. The refresh of the kept catalogs is queued too (after a
    deployment, every part is made again: in the background rather than in a visitor's request).
    """
    seen, queued = queueing.queue_pending()
    click.echo(f"{seen} dataset(s) looked at; {queued} job(s) queued.")
    if refresh.queue():
        click.echo("The catalogs' refresh queued.")


@kalmar.command("index-reconcile")
def index_reconcile():
    """Make the search index hold the datasets of the database, now: entries of datasets the database does
    not hold (a save whose web process died before its commit) are removed once older than the longest
    request, datasets missing from the index are indexed. Cheaper than `ckan search-index rebuild`, which
    indexes every dataset; upkeep runs it every hour."""
    removed, indexed = reindexing.reconcile()
    click.echo(f"{removed} index entry(ies) without a dataset removed; {indexed} dataset(s) indexed.")


@kalmar.command()
def upkeep():
    """Queue the portal's periodic upkeep for the jobs worker: datasets whose freshness has changed with
    time are indexed again (the "Aktualitet" facet), subscribers get their daily digests, editors their
    weekly summaries, linked files not checked for ckanext.kalmar_oppnadata.link_check_days are checked,
    and the search index is made to hold the datasets of the database (see index-reconcile). The stack runs
    this every hour; production from cron (docs/operations.md)."""
    queued = jobs_queue.enqueue_unique(freshness_upkeep.refresh, "kalmar-upkeep-freshness",
                                       "Re-index the datasets whose freshness changed")
    queued += jobs_queue.enqueue_unique(digest_sending.send_due, "kalmar-upkeep-digests",
                                        "Send the subscribers' daily digests")
    queued += jobs_queue.enqueue_unique(editor_digests.send_weekly, "kalmar-upkeep-editor-digests",
                                        "Send the editors' weekly summaries")
    queued += jobs_queue.enqueue_unique(link_sweep.sweep, "kalmar-upkeep-links", "Check the linked files",
                                        timeout=6 * 3600)
    queued += jobs_queue.enqueue_unique(reindexing.reconcile, "kalmar-upkeep-index",
                                        "Make the search index hold the datasets of the database")
    click.echo(f"{queued} upkeep job(s) queued.")
