"""`papergraph neo4j import`: a build into the local server through neo4j-admin's bulk import."""

from __future__ import annotations

import re
from pathlib import Path

import click

__all__ = ["neo4j_import"]


def _size(ctx, param, value):
    if value is not None and not re.fullmatch(r"[1-9][0-9]*[kmgKMG]?", value):
        raise click.BadParameter(f"{value!r}: give a size such as 512m or 4g")
    return value


@click.command("import")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--csv-dir", type=click.Path(file_okay=False), default=None,
              help="Where the import CSVs are written [default: OUTDIR/neo4j-import].")
@click.option("--home", envvar="PAPERGRAPH_NEO4J_HOME", type=click.Path(file_okay=False), default=None,
              help="Cache directory for Neo4j [env PAPERGRAPH_NEO4J_HOME; default ~/.cache/papergraph/neo4j].")
@click.option("--bolt-port", type=click.IntRange(1, 65535), default=7687, show_default=True,
              help="Bolt port of the local server (also names the instance).")
@click.option("--http-port", type=click.IntRange(1, 65535), default=7474, show_default=True,
              help="HTTP port of the local server.")
@click.option("--password", envvar="NEO4J_PASSWORD", default=None,
              help="Password of user neo4j, 8+ characters [env NEO4J_PASSWORD].")
@click.option("--no-auth", is_flag=True, help="The instance runs without authentication.")
@click.option("--heap", default="1g", show_default=True, help="JVM heap of the restarted server.")
@click.option("--pagecache", default="512m", show_default=True, help="Page cache of the restarted server.")
@click.option("--admin-heap", default=None, metavar="SIZE", callback=_size,
              help="JVM heap of neo4j-admin for the import, e.g. 4g [default: a quarter of the available "
                   "memory, 1g to 4g].")
@click.option("--timeout", type=click.IntRange(1), default=180, show_default=True,
              help="Seconds to wait for Bolt after the import.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def neo4j_import(outdir, csv_dir, home, bolt_port, http_port, password, no_auth, heap, pagecache, admin_heap, timeout,
                 quiet):
    """Replace the local server's database with the build in OUTDIR, by bulk import.

    The fast path for a big first load. Writes the CSVs of `papergraph export neo4j-import`,
    then, because Neo4j 5 imports only into a stopped database: stops the local server of
    `papergraph neo4j start` (if it runs), runs `neo4j-admin database import full neo4j
    --overwrite-destination` with the jars papergraph fetched and the instance's own
    neo4j.conf, starts the server again and creates the constraints and indexes of
    cypher/schema.cypher. Everything the database held before is replaced. For another
    Neo4j installation use `papergraph export neo4j-import` and its import.sh.

    Example:

        NEO4J_PASSWORD=secret123 papergraph neo4j import out
    """
    from .export.json import read_graph_json
    from .neo4j.bulk import bulk_import
    from .neo4j.server import ServerOptions, default_home

    opts = ServerOptions(home=home or default_home(), bolt_port=bolt_port, http_port=http_port, password=password,
                         auth=not no_auth, heap=heap, pagecache=pagecache, admin_heap=admin_heap)
    G = read_graph_json(Path(outdir) / "graph.json")
    echo = (lambda line: None) if quiet else (lambda line: click.echo(line, err=True))
    stats = bulk_import(G, opts, csv_dir or Path(outdir) / "neo4j-import", timeout=timeout, echo=echo)
    if not quiet:
        click.echo(stats.format())
