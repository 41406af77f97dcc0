"""``papergraph columnar``: the columnar graph stage over extraction record files (and ``build --big``'s options)."""

from __future__ import annotations

import click

from .cli_concepts import curation_option, curation_path

__all__ = ["columnar", "stage_options"]


def stage_options(f):
    """Options of the columnar graph stage shared by ``columnar`` and ``build --big``."""
    opts = [
        click.option("--top-n", type=click.IntRange(1), default=2000, show_default=True,
                     help="Concepts (most papers first) in graph-top.gexf, its communities and layout."),
        click.option("--memory-limit", default="1.5GB", show_default=True,
                     help="Memory of each local Dask worker; above it the worker spills to disk."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


@click.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output directory (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(1), default=2, show_default=True,
              help="Worker processes of the local Dask cluster.")
@click.option("--scheduler", envvar="PAPERGRAPH_DASK_SCHEDULER", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://HOST:8786) [default: a local cluster of --jobs workers].")
@click.option("--skip-bad", is_flag=True, help="Skip (and report) bad record lines instead of stopping.")
@stage_options
@curation_option
@click.option("--kb/--no-kb", default=True, show_default=True,
              help="Link concepts to the knowledge base (kb_id, kb_source, url).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def columnar(records, outdir, jobs, scheduler, skip_bad, top_n, memory_limit, curation, no_curation, kb, quiet):
    """Run the columnar graph stage on extraction RECORDS (JSON Lines, one paper a line:
    {"paper": {...}, "extraction": {...}}), never building the whole graph in memory.

    Writes OUTDIR/tables/ (Parquet extraction tables), OUTDIR/neo4j-import/ (bulk-import CSVs
    and import.sh), OUTDIR/parquet/ (node and edge tables) and OUTDIR/graph-top.gexf (the
    --top-n concepts, their co-occurrence, communities and layout). Resolution is per key:
    see the README, "The columnar build". `papergraph build --engine dask --big` runs the
    same stage straight from extraction.

    Example:

        papergraph columnar records.jsonl -o out/big
        out/big/neo4j-import/import.sh
    """
    from .columnar.build import from_records

    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    rep = from_records(list(records), outdir, skip_bad=skip_bad, curation=curation_path(curation, no_curation),
                       kb=kb, scheduler=scheduler, workers=jobs, memory_limit=memory_limit, top_n=top_n,
                       warn=lambda m: say(f"warning: {m}"), done=lambda s: say(f"done: {s}"))
    if not quiet:
        click.echo(rep.format())


def build_big(inputs, outdir, *, big, no_cache, to_neo4j, quiet, **kwargs) -> bool:
    """``build --big`` (or ``--engine dask`` on a large corpus): True if the columnar build ran."""
    from .columnar.build import BIG_PAPERS, build_big as run
    from .errors import ConfigError

    if big and to_neo4j:
        raise ConfigError("--big writes bulk-import files (OUTDIR/neo4j-import/import.sh), not a Bolt load: "
                          "drop --neo4j")
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    rep = run(list(inputs), outdir, use_cache=not no_cache, min_papers=0 if big else BIG_PAPERS,
              warn=lambda m: say(f"warning: {m}"), done=lambda s: say(f"done: {s}"), **kwargs)
    if rep is None:
        return False
    if not quiet:
        click.echo(rep.format())
    return True
