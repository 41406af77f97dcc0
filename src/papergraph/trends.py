"""Concept trends over paper dates: counts per period, rising and new concepts.

Paper dates come from the readers as ``"YYYY-MM-DD"`` (Atom, JSON, CSV, daily headers with a
year) or ``"--MM-DD"`` (daily-listing headers such as "May 20", which give no year; ISO 8601's
year-less form). :func:`parse_date` also accepts an ISO date-time, ``YYYY/MM/DD``, ``YYYY-MM``,
and "20 May 2024"/"May 20, 2024". Year-less dates are kept year-less in trends (they sort by month
and day; ``by="year"`` cannot place them). Where a full date is required (GEXF ``start``) a
year-less date has none unless the caller names a year for it (:func:`full_date`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .errors import ConfigError
from .graph import papers_of

__all__ = ["parse_date", "full_date", "period_of", "concept_counts", "trends", "format_trends", "Trend",
           "TrendReport", "UNDATED_YEAR", "PERIODS"]

#: Leap year used to check that a year-less date ("--02-29") exists.
UNDATED_YEAR = 2000
PERIODS = ("day", "month", "year")

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?:[T ].*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")
_NAMED = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def parse_date(value: str | None) -> tuple[int | None, int, int] | None:
    """``(year or None, month, day)`` of a paper date, or None if it is missing or not a date."""
    if not value:
        return None
    s = value.strip()
    m = _YEARLESS.match(s)
    if m:
        year, month, day = None, int(m[1]), int(m[2])
    elif m := _ISO.match(s):
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
    else:
        for fmt in _NAMED:
            try:
                d = dt.datetime.strptime(s, fmt).date()
                return (d.year, d.month, d.day)
            except ValueError:
                continue
        return None
    try:
        dt.date(year or UNDATED_YEAR, month, day)
    except ValueError:
        return None
    return (year, month, day)


def full_date(value: str | None, *, undated_year: int | None = None) -> str | None:
    """``"YYYY-MM-DD"`` for a paper date, or None.

    Year-less dates ("--05-20") get ``undated_year``, or None when it is not given (or would
    make an invalid date, as 29 February of a common year).
    """
    p = parse_date(value)
    if p is None:
        return None
    year, month, day = p
    if year is None:
        if undated_year is None:
            return None
        try:
            dt.date(undated_year, month, day)
        except ValueError:
            return None
        year = undated_year
    return f"{year:04d}-{month:02d}-{day:02d}"


def period_of(value: str | None, *, by: str = "day") -> str | None:
    """The period label of a date: ``YYYY-MM-DD``/``--MM-DD`` (day), ``YYYY-MM``/``--MM`` (month), ``YYYY``."""
    if by not in PERIODS:
        raise ConfigError(f"by must be one of {', '.join(PERIODS)}, got {by!r}")
    p = parse_date(value)
    if p is None:
        return None
    year, month, day = p
    y = f"{year:04d}" if year else "-"
    if by == "year":
        return y if year else None
    return f"{y}-{month:02d}" if by == "month" else f"{y}-{month:02d}-{day:02d}"


def concept_counts(G: nx.MultiDiGraph, *, by: str = "day") -> tuple[dict[str, Counter], Counter]:
    """Papers naming each concept per period.

    Returns:
        ``({period: Counter(concept node -> papers)}, Counter(period -> papers))``; periods sort
        chronologically as strings. Papers without a usable date are left out.
    """
    per: dict[str, Counter] = defaultdict(Counter)
    papers: Counter = Counter()
    for p in papers_of(G):
        period = period_of(G.nodes[p].get("date"), by=by)
        if period is None:
            continue
        papers[period] += 1
        for c in {v for v in G.successors(p) if G.nodes[v].get("label") == "Concept"}:
            per[period][c] += 1
    return {k: per[k] for k in sorted(papers)}, papers


@dataclass(frozen=True)
class Trend:
    """One concept's change between the earlier periods and the latest one."""

    node: str
    name: str
    type: str
    before: int  # papers naming it in the earlier periods
    after: int  # papers naming it in the latest period
    share_before: float  # before / papers in the earlier periods
    share_after: float

    @property
    def lift(self) -> float:
        """Change in the share of papers naming the concept (percentage points / 100)."""
        return self.share_after - self.share_before


@dataclass
class TrendReport:
    """Rising and new concepts of the recent periods against the earlier ones."""

    periods: list[str]  # every dated period, in order
    papers: dict[str, int]  # period -> dated papers
    since: str | None = None  # first recent period (None: fewer than two periods)
    series: dict[str, dict[str, int]] = field(default_factory=dict)  # concept node -> period -> n
    rising: list[Trend] = field(default_factory=list)
    new: list[Trend] = field(default_factory=list)
    undated: int = 0


def trends(G: nx.MultiDiGraph, *, by: str = "day", since: str | None = None, top: int = 10,
           min_papers: int = 2) -> TrendReport:
    """Compare the recent periods (from ``since`` on) with the earlier ones.

    A concept is *new* if no earlier paper names it, and *rising* if the share of papers naming
    it grew; both need at least ``min_papers`` recent papers.

    Args:
        G: a papergraph graph.
        by: period length, one of :data:`PERIODS`.
        since: first date of the recent window (default: the latest period alone).
        top: how many rising and new concepts to keep.
        min_papers: recent papers a concept needs to be listed.

    Returns:
        A :class:`TrendReport` (rising sorted by the growth of their share, new by paper count).

    Raises:
        ConfigError: ``since`` is not a date.
    """
    counts, papers = concept_counts(G, by=by)
    periods = list(counts)
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for period in periods:
        for c, n in counts[period].items():
            series[c][period] = n
    report = TrendReport(periods, dict(papers), series=dict(series),
                         undated=len(papers_of(G)) - sum(papers.values()))
    cut = period_of(since, by=by) if since else (periods[-1] if periods else None)
    if since and cut is None:
        raise ConfigError(f"--since: not a date: {since!r} (expected e.g. 2024-05-20 or --05-20)")
    recent, earlier = [p for p in periods if p >= cut], [p for p in periods if p < cut]
    if not recent or not earlier:
        return report
    report.since = recent[0]
    n_after, n_before = sum(papers[p] for p in recent), sum(papers[p] for p in earlier)
    for c in {c for p in recent for c in counts[p]}:
        after = sum(counts[p][c] for p in recent)
        if after < min_papers:
            continue
        before = sum(counts[p][c] for p in earlier)
        d = G.nodes[c]
        t = Trend(c, d.get("name", c), d.get("type", ""), before, after, before / n_before, after / n_after)
        if before == 0:
            report.new.append(t)
        elif t.lift > 0:
            report.rising.append(t)
    report.rising.sort(key=lambda t: (-t.lift, -t.after, t.name))
    report.new.sort(key=lambda t: (-t.after, t.name))
    report.rising, report.new = report.rising[:top], report.new[:top]
    return report


def format_trends(report: TrendReport) -> str:
    """The report as plain-text tables."""
    lines = ["papers per period: " + ", ".join(f"{p} {n}" for p, n in report.papers.items())]
    if report.undated:
        lines.append(f"papers without a usable date: {report.undated}")
    if report.since is None:
        lines.append("no dated papers before the recent window: nothing to compare")
        return "\n".join(lines)
    last = report.since if report.since == report.periods[-1] else f"{report.since} .. {report.periods[-1]}"
    lines.append(f"\nnew in {last} (not named before):")
    lines += [f"  {t.after:4d}  {t.name} ({t.type})" for t in report.new] or ["  (none)"]
    lines.append(f"\nrising in {last} (share of papers before -> after):")
    lines += [f"  {100 * t.share_before:5.1f}% -> {100 * t.share_after:5.1f}%  {t.name} ({t.type})"
              for t in report.rising] or ["  (none)"]
    return "\n".join(lines)
