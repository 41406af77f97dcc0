"""`papergraph concepts ...`: review and curate concept identity (one node per real thing).

Each curation command appends one reviewed entry to the curation file (default
./curation.toml); every later `papergraph build`/`extract` applies the file.
"""

from __future__ import annotations

import click

from .resolve.curation import DEFAULT_FILE

__all__ = ["concepts", "curation_option"]


def curation_option(f):
    """--curation FILE / --no-curation for commands that resolve concepts."""
    f = click.option("--no-curation", is_flag=True, help="Ignore the curation file.")(f)
    return click.option("--curation", type=click.Path(dir_okay=False), envvar="PAPERGRAPH_CURATION",
                        default=None, help=f"Curation file to apply [env PAPERGRAPH_CURATION; default "
                                           f"./{DEFAULT_FILE} when it exists].")(f)


def curation_path(curation: str | None, no_curation: bool) -> str | None:
    """The curation file a build applies: the one given, else ./curation.toml if present."""
    import os

    if no_curation:
        return None
    if curation is None and os.path.isfile(DEFAULT_FILE):
        return DEFAULT_FILE
    return curation


def _file_option(f):
    return click.option("-f", "--file", "path", type=click.Path(dir_okay=False), envvar="PAPERGRAPH_CURATION",
                        default=DEFAULT_FILE, show_default=True,
                        help="Curation file to add to (created if missing) [env PAPERGRAPH_CURATION].")(f)


def _add(path: str, kind: str, **fields) -> None:
    from .api import add_curation

    add_curation(path, kind, **fields)
    click.echo(f"{path}: added [[{kind}]] " + ", ".join(f"{k}={v!r}" for k, v in fields.items()))


@click.group("concepts")
def concepts():
    """Review and curate concept identity: merges, splits, renames, never-merge pairs.

    Entries go to a curation file that every later build applies (--curation).
    """


@concepts.command("merge")
@click.argument("names", nargs=-1, required=True)
@_file_option
def merge_cmd(names, path):
    """Make the concepts named NAMES (two or more names or aliases) one node.

    Example:

        papergraph concepts merge "AIME 2024" AIME24
    """
    if len(names) < 2:
        raise click.UsageError("give at least two names to merge")
    _add(path, "merge", names=list(names))


@concepts.command("split")
@click.argument("concept")
@click.option("--alias", "aliases", multiple=True, required=True, metavar="X",
              help="An alias of CONCEPT that is another thing (repeatable).")
@_file_option
def split_cmd(concept, aliases, path):
    """Take alias X off CONCEPT: X becomes (or joins) a node of its own.

    Example:

        papergraph concepts split "Bayesian inference" --alias inference
    """
    for a in aliases:
        _add(path, "split", concept=concept, alias=a)


@concepts.command("rename")
@click.argument("concept")
@click.argument("new_name")
@_file_option
def rename_cmd(concept, new_name, path):
    """Display the node holding CONCEPT (a name or alias) as NEW_NAME.

    Example:

        papergraph concepts rename LLM "large language model"
    """
    _add(path, "rename", concept=concept, name=new_name)


@concepts.command("never")
@click.argument("name")
@click.argument("other", required=False)
@_file_option
def never_cmd(name, other, path):
    """Never merge NAME with OTHER (or, alone, with anything).

    Example:

        papergraph concepts never accuracy "reasoning accuracy"
    """
    _add(path, "never", names=[name] + ([other] if other else []))


@concepts.command("suspects")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Print at most this many.")
def suspects_cmd(outdir, as_json, limit):
    """List likely identity errors of the graph built in OUTDIR, for review.

    Aliases on several nodes, near-duplicate names, generic aliases or names, and nodes whose
    members disagree on the type; fix them with merge/split/rename/never and rebuild.

    Example:

        papergraph concepts suspects out
    """
    from pathlib import Path

    from .export.json import read_graph_json
    from .resolve.suspects import suspects

    found = suspects(read_graph_json(Path(outdir) / "graph.json"))[:limit]
    for s in found:
        click.echo(s.to_json() if as_json else f"{s.kind}: {' | '.join(s.concepts)}: {s.detail}")
    if not as_json:
        click.echo(f"{len(found)} suspects", err=True)
