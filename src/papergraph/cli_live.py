"""`papergraph update` (the daily job) and `papergraph digest` (what is new, as Markdown and HTML)."""

from __future__ import annotations

import click

from .cli import _progress, _read_built, _settings, cache_dir_option, connection_options
from .cli_fetch import _date, client_options, options_from, progress_bar

__all__ = ["update", "digest"]


@click.command("update")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-s", "--source", "sources", multiple=True, type=click.Choice(["arxiv", "arxiv-oai", "hf-daily"]),
              help="A source to follow (repeatable); given on the first run, remembered in DIRECTORY/update.json.")
@click.option("-c", "--category", "categories", multiple=True, metavar="CAT",
              help="arXiv category for arxiv and arxiv-oai (repeatable).")
@click.option("--query", default=None, help="arxiv: a search_query expression AND'ed with the categories.")
@click.option("--set", "oai_set", default=None, help="arxiv-oai: the OAI-PMH set (cs).")
@click.option("--since", callback=_date, default=None, metavar="DATE",
              help="First run: the first day to fetch [default: --until].")
@click.option("--until", callback=_date, default=None, metavar="DATE",
              help="Last day to fetch [default: yesterday, UTC: the last complete day].")
@client_options
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for spaCy.")
@click.option("--no-cache", is_flag=True, help="Re-extract every paper (ignore the extraction cache).")
@cache_dir_option
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Load the build into Neo4j so the database equals it (see --uri ...).")
@connection_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def update(directory, sources, categories, query, oai_set, since, until, delay, retries, backoff, timeout, contact,
           jobs, no_cache, cache_dir, to_neo4j, uri, user, password, database, quiet):
    """Fetch the papers new since the last run into DIRECTORY, rebuild, load Neo4j, write a digest.

    The first run names the sources; later runs fetch the days after the last one fetched
    (state in DIRECTORY/update.json), rebuild DIRECTORY/graph with the extraction cache
    (only new papers are extracted), with --neo4j make the database equal to the build, and
    write DIRECTORY/digest/digest.md and digest.html. A failed run changes no state: run it
    again. Endpoints can be changed with PAPERGRAPH_ARXIV_URL, PAPERGRAPH_OAI_URL, PAPERGRAPH_HF_URL.

    Example:

    \b
        papergraph update ~/field -s arxiv -c cs.CL -s hf-daily --since 2025-05-01 --contact me@example.org
        NEO4J_PASSWORD=secret123 papergraph update ~/field --neo4j     # every day, e.g. from cron
    """
    from .update import Followed, run_update

    followed = [Followed(s, tuple(categories), query, oai_set) for s in dict.fromkeys(sources)]
    neo4j = _settings(uri, user, password, database) if to_neo4j else None
    if neo4j is not None:  # fail before fetching if the server is down or the password is wrong
        from .neo4j.loader import connect

        with connect(neo4j):
            pass
    summary = run_update(
        directory, sources=followed or None, until=until, since=since,
        options=lambda s: options_from(s, delay, retries, backoff, timeout, contact),
        build_options={"jobs": jobs, "use_cache": not no_cache, "cache_dir": cache_dir}, neo4j=neo4j,
        progress=_progress(quiet), fetch_bar=lambda source: progress_bar(quiet, source),
        warn=None if quiet else (lambda m: click.echo(f"warning: {m}", err=True)))
    if not quiet:
        click.echo(summary.format())


@click.command("digest")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--since", callback=_date, default=None, metavar="DATE",
              help="First day of the period [default: the latest day with papers].")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="Directory for digest.md and digest.html [default: OUTDIR].")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="Rising methods listed.")
@click.option("--min-papers", type=click.IntRange(1), default=2, show_default=True,
              help="New papers a method needs to count as rising.")
def digest(outdir, since, output, top, min_papers):
    """Write what is new in the build OUTDIR since DATE as digest.md and a self-contained digest.html.

    New models and benchmarks (proposed by a new paper), methods rising by share of papers,
    new results on known benchmarks (a leaderboard per benchmark), and for each new paper the
    most similar earlier ones.

    Example:

        papergraph digest out --since 2025-05-19
    """
    from .digest import make_digest
    from .export.digest import write_digest

    dg = make_digest(_read_built(outdir), since=since, top=top, min_papers=min_papers)
    for path in write_digest(dg, output or outdir):
        click.echo(f"wrote {path}")
