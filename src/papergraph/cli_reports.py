"""`papergraph view`, `stats` and `trends`: read a build's graph and show it (a map, tables, what is rising)."""

from __future__ import annotations

import click

from .cli import _read_built

__all__ = ["view_cmd", "stats_cmd", "trends_cmd"]


@click.command("view")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="HTML file to write ('-' for stdout) [default: OUTDIR/map.html].")
@click.option("--title", default=None, help="Page title [default: papergraph: OUTDIR].")
def view_cmd(outdir, output, title):
    """Write an offline interactive map of the concept graph in OUTDIR (one HTML file).

    Open it in a browser, no network needed. It opens on the most important concepts
    (labelled by paper count, then PageRank) with an overview inset; search concepts and
    aliases (exact, then prefix, then word-prefix matches; Enter takes the best), filter by
    type, colour by type or community, click a concept for its papers and evidence sentences,
    or search papers in the Papers tab.

    Example:

        papergraph view out -o out/map.html
    """
    from pathlib import Path

    from .view import write_map

    path = output or str(Path(outdir) / "map.html")
    write_map(_read_built(outdir), path, title=title or f"papergraph: {Path(outdir).name}")
    click.echo(f"wrote {path}", err=path == "-")  # '-' is stdout: the page itself


@click.command("stats")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Concepts and communities listed per table.")
@click.option("--plots", "plots_dir", type=click.Path(file_okay=False), default=None,
              help="Also write PNG charts into this directory (needs the 'plots' extra: matplotlib).")
def stats_cmd(outdir, top, plots_dir):
    """Print tables about the graph in OUTDIR: counts by type, top concepts, degrees, communities.

    Example:

        papergraph stats out --plots out/plots
    """
    from .stats import format_stats, graph_stats, write_plots

    G = _read_built(outdir)
    click.echo(format_stats(graph_stats(G, top=top)))
    if plots_dir:
        for path in write_plots(G, plots_dir, top=top):
            click.echo(f"wrote {path}")


@click.command("trends")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--by", type=click.Choice(["day", "month", "year"]), default="day", show_default=True,
              help="Period length.")
@click.option("--since", metavar="DATE", default=None,
              help="First date of the recent window compared with earlier papers [default: the latest period].")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Rising and new concepts listed.")
@click.option("--min-papers", type=click.IntRange(1), default=2, show_default=True,
              help="Recent papers a concept needs to be listed.")
def trends_cmd(outdir, by, since, top, min_papers):
    """List concepts that are new or rising in the latest papers of OUTDIR, by paper date.

    Example:

        papergraph trends out --by month --since 2024-05
    """
    from .trends import format_trends, trends

    report = trends(_read_built(outdir), by=by, since=since, top=top, min_papers=min_papers)
    click.echo(format_trends(report))
