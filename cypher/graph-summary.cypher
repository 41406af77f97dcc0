// Graph summary: the number of nodes of each label and relationships of each type.
// Parameters: none.
MATCH (n) UNWIND labels(n) AS name
RETURN 'node' AS kind, name, count(*) AS count
UNION ALL
MATCH ()-[r]->()
RETURN 'relationship' AS kind, type(r) AS name, count(*) AS count;
