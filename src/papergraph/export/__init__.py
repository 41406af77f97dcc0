"""Sinks for a built graph: one module per format (gexf, json, concepts jsonl, neo4j csv)."""
