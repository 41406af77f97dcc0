"""`papergraph fetch`: papers from arXiv, arXiv OAI-PMH or Hugging Face daily papers into JSON Lines."""

from __future__ import annotations

import contextlib
import sys

import click

__all__ = ["fetch", "source_options", "client_options", "request_from", "options_from"]


def client_options(f):
    """Politeness, retries and contact, shared by `fetch` and `update`."""
    opts = [
        click.option("--delay", type=click.FloatRange(0), default=None, metavar="SECONDS",
                     help="Seconds between requests [default: 3 for arxiv and arxiv-oai, as arXiv asks; "
                          "1 for hf-daily; 0.2 for openalex]."),
        click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
                     help="Retries per request on 429/5xx, timeouts, cut-short or malformed bodies."),
        click.option("--backoff", type=click.FloatRange(0), default=2.0, show_default=True, metavar="SECONDS",
                     help="Backoff base: retry n waits BACKOFF * 2**n s (a Retry-After header wins)."),
        click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True, metavar="SECONDS",
                     help="Connect and read timeout."),
        click.option("--contact", envvar="PAPERGRAPH_CONTACT", default=None, metavar="EMAIL",
                     help="Your e-mail or URL, sent in the User-Agent so source operators can reach you "
                          "[env PAPERGRAPH_CONTACT]."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def source_options(f):
    """What to fetch, shared by `fetch` and `update`."""
    opts = [
        click.option("-c", "--category", "categories", multiple=True, metavar="CAT",
                     help="arXiv category (cs.CL; repeatable, OR'ed); for arxiv-oai a filter on the records."),
        click.option("--query", default=None, help="arxiv: a search_query expression AND'ed with the rest (ti:agent)."),
        click.option("--set", "oai_set", default=None, help="arxiv-oai: the OAI-PMH set (cs, math, physics:hep-th)."),
        click.option("--page-size", type=click.IntRange(1, 2000), default=100, show_default=True,
                     help="arxiv: results per request (openalex: ids, at most 50)."),
        click.option("--limit", type=click.IntRange(1), default=None, help="Stop after this many papers."),
        click.option("--base-url", default=None, metavar="URL",
                     help="Another endpoint for the source [env PAPERGRAPH_ARXIV_URL, PAPERGRAPH_OAI_URL, "
                          "PAPERGRAPH_HF_URL]."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def request_from(categories, query, oai_set, page_size, limit, base_url, date_from=None, date_until=None,
                 ids_from=None):
    from .fetch import Request

    return Request(categories=tuple(categories), query=query, oai_set=oai_set, page_size=page_size, limit=limit,
                   base_url=base_url, date_from=date_from, date_until=date_until, ids_from=ids_from)


def options_from(source, delay, retries, backoff, timeout, contact):
    from .fetch import DEFAULT_DELAY, ClientOptions

    return ClientOptions(delay=DEFAULT_DELAY[source] if delay is None else delay, retries=retries, backoff=backoff,
                         timeout=timeout, contact=contact)


def _date(ctx, param, value):
    """A YYYY-MM-DD option value."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


@contextlib.contextmanager
def progress_bar(quiet: bool, label: str):
    """A tqdm bar on a TTY (papers so far of the total, when the source says); nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc=label, unit=" papers", file=sys.stderr) as bar:
        def update(done: int, total: int | None) -> None:
            if total is not None and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)
        yield update


@click.command("fetch")
@click.argument("source", type=click.Choice(["arxiv", "arxiv-oai", "hf-daily", "openalex"]))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="JSON Lines file to write (replaced only when the fetch is complete).")
@click.option("--from", "date_from", callback=_date, default=None, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--until", "date_until", callback=_date, default=None, metavar="DATE", help="Last day, inclusive.")
@click.option("--date", "day", callback=_date, default=None, metavar="DATE", help="One day (--from DATE --until DATE).")
@source_options
@client_options
@click.option("--ids-from", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="openalex: the JSON Lines of papers to enrich (e.g. written by fetch arxiv).")
@click.option("--restart", is_flag=True, help="Start again instead of resuming an interrupted fetch.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def fetch(source, output, date_from, date_until, day, categories, query, oai_set, page_size, limit, base_url,
          delay, retries, backoff, timeout, contact, ids_from, restart, quiet):
    """Fetch papers from SOURCE (arxiv, arxiv-oai, hf-daily, openalex) into JSON Lines papergraph reads.

    Each line: id, title, abstract, date (YYYY-MM-DD), authors, url, categories, source (and
    upvotes for hf-daily). `openalex` instead copies the papers of --ids-from, adding the
    citations and venue OpenAlex knows for their arXiv ids. Requests are polite (one every
    3 s for arXiv), retried with backoff on 429/5xx and timeouts; an interrupted fetch resumes
    when run again (state in FILE.part and FILE.fetch.json); FILE is replaced only by a
    complete fetch. A source that keeps failing is exit 6.

    Example:

    \b
        papergraph fetch arxiv -c cs.CL -c cs.LG --from 2025-05-19 --until 2025-05-20 -o new.jsonl
        papergraph fetch hf-daily --date 2025-05-20 -o hf.jsonl --contact me@example.org
        papergraph fetch arxiv-oai --set cs -c cs.CL --from 2025-05-01 -o may.jsonl
        papergraph fetch openalex --ids-from new.jsonl -o new-cited.jsonl --contact me@example.org
    """
    from .fetch import fetch_to_file

    if day and (date_from or date_until):
        raise click.UsageError("--date goes without --from/--until")
    if day:
        date_from = date_until = day
    if date_from and date_until and date_from > date_until:
        raise click.UsageError(f"--from {date_from} is after --until {date_until}")
    if (source == "openalex") != bool(ids_from):
        raise click.UsageError("--ids-from goes with openalex, and openalex needs it")
    req = request_from(categories, query, oai_set, page_size, limit, base_url, date_from, date_until, ids_from)
    with progress_bar(quiet, source) as update:
        summary = fetch_to_file(source, req, output, options=options_from(source, delay, retries, backoff, timeout,
                                                                          contact),
                                restart=restart, progress=update,
                                warn=None if quiet else (lambda m: click.echo(f"warning: {m}", err=True)))
    if not quiet:
        click.echo(summary.format())
