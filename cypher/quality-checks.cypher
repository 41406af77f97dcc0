// Quality checks: orphans and broken links, one row per check with a count and example ids (all counts 0 is healthy).
// Parameters: examples (ids shown per check).
:param examples => 5;
MATCH (c:Concept) WHERE NOT EXISTS { (:Paper)-->(c) } WITH c ORDER BY c.id
RETURN 'concept named by no paper' AS check, count(c) AS count, collect(c.id)[..$examples] AS examples
UNION ALL
MATCH (p:Paper) WHERE NOT EXISTS { (p)-->(:Concept) } WITH p ORDER BY p.id
RETURN 'paper with no concept' AS check, count(p) AS count, collect(p.id)[..$examples] AS examples
UNION ALL
MATCH (r:Result) WHERE NOT EXISTS { (:Paper)-[:REPORTS]->(r) } WITH r ORDER BY r.id
RETURN 'result reported by no paper' AS check, count(r) AS count, collect(r.id)[..$examples] AS examples
UNION ALL
MATCH (r:Result) WHERE NOT EXISTS { (r)-[:ON|OF|MEASURED_BY]->(:Concept) } WITH r ORDER BY r.id
RETURN 'result linked to no concept' AS check, count(r) AS count, collect(r.id)[..$examples] AS examples
UNION ALL
MATCH (c:Concept)
WHERE c.paper_count IS NULL
   OR c.paper_count <> COUNT { MATCH (p:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(c) RETURN DISTINCT p }
WITH c ORDER BY c.id
RETURN 'concept paper_count out of date' AS check, count(c) AS count, collect(c.id)[..$examples] AS examples
UNION ALL
MATCH (n) WHERE NOT (n:Paper OR n:Concept OR n:Result) OR n.id IS NULL WITH n ORDER BY elementId(n)
RETURN 'node outside the papergraph schema' AS check, count(n) AS count, collect(elementId(n))[..$examples] AS examples;
