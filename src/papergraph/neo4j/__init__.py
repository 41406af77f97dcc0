"""Neo4j: a local server (server.py), the Bolt loader (loader.py), Cypher text (queries.py) and the cypher/ library."""
