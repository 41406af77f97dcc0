// Quality checks: orphans and broken links, one row per check with a count and example ids (all counts 0 is healthy).
// Parameters: examples (ids shown per check).
WITH 5 AS examples
CALL () {
  MATCH (c:Concept) WHERE NOT EXISTS { (:Paper)-->(c) } WITH c ORDER BY c.id
  WITH count(c) AS n, collect(c.id) AS ids RETURN 'concept named by no paper' AS check, n, ids
  UNION ALL
  MATCH (p:Paper) WHERE NOT EXISTS { (p)-->(:Concept) } WITH p ORDER BY p.id
  WITH count(p) AS n, collect(p.id) AS ids RETURN 'paper with no concept' AS check, n, ids
  UNION ALL
  MATCH (r:Result) WHERE NOT EXISTS { (:Paper)-[:REPORTS]->(r) } WITH r ORDER BY r.id
  WITH count(r) AS n, collect(r.id) AS ids RETURN 'result reported by no paper' AS check, n, ids
  UNION ALL
  MATCH (r:Result) WHERE NOT EXISTS { (r)-[:ON|OF|MEASURED_BY]->(:Concept) } WITH r ORDER BY r.id
  WITH count(r) AS n, collect(r.id) AS ids RETURN 'result linked to no concept' AS check, n, ids
  UNION ALL
  MATCH (c:Concept)
  WHERE c.paper_count IS NULL
     OR c.paper_count <> COUNT { MATCH (p:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(c) RETURN DISTINCT p }
  WITH c ORDER BY c.id
  WITH count(c) AS n, collect(c.id) AS ids RETURN 'concept paper_count out of date' AS check, n, ids
  UNION ALL
  MATCH (x) WHERE NOT (x:Paper OR x:Concept OR x:Result) OR x.id IS NULL WITH x ORDER BY elementId(x)
  WITH count(x) AS n, collect(elementId(x)) AS ids RETURN 'node outside the papergraph schema' AS check, n, ids
}
RETURN check, n AS count, ids[..examples] AS examples;
