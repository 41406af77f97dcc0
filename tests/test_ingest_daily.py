"""The daily-papers listing helpers, table by table."""

from __future__ import annotations

import pytest

from papergraph.ingest.daily import line_kind, parse_date_header, strip_chrome


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Subscribe", ""),
        ("new", ""),
        ("Daily Papers", ""),
        ("byAK and the research community", ""),
        ("Get trending papers in your email inbox!", ""),
        ("Get trending papers in your email inbox once a day!", ""),
        ("Get trending papers in your email inbox", ""),
        ("SubscribeRemote Sensing for Everyone", "Remote Sensing for Everyone"),
        ("Get trending papers in your email inbox!SubscribeGlued Twice", "Glued Twice"),
        ("Subscriber Churn Prediction with Graphs", "Subscriber Churn Prediction with Graphs"),
        ("New Bounds for Old Problems", "New Bounds for Old Problems"),
        ("Daily Papers Are Not Peer Reviewed", "Are Not Peer Reviewed"),
    ],
)
def test_strip_chrome(line, expected):
    assert strip_chrome(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("May 20", "--05-20"),
        ("Sep 3", "--09-03"),
        ("Sept. 3rd", "--09-03"),
        ("3 December", "--12-03"),
        ("May 20, 2025", "2025-05-20"),
        ("2024-02-29", "2024-02-29"),
        ("May 32", None),
        ("Mayhem 2", None),
        ("Ma 2", None),
        ("May the Force Be with Transformers", None),
    ],
)
def test_parse_date_header(line, expected):
    assert parse_date_header(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Hogwash! Rethinking Attention as Gossip", "title"),
        ("Can Robots Dream? Probing World Models in Vacuum Cleaners With Many Sensors", "title"),
        ("Compiling Lambdas, Formalized.", "either"),
        ("It works.", "either"),
        ("We propose a method that is short but still a full declarative sentence here.", "abstract"),
        ("One idea. Two results. Three sentences make an abstract even when each of them is really quite short to read", "abstract"),
        ("Short. Sentences. But too few words for an abstract", "title"),
        ("x" * 300, "abstract"),
    ],
)
def test_line_kind(line, expected):
    assert line_kind(line) == expected
