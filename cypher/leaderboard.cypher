// Leaderboard for a benchmark: the results papers report on it, with metric, value and model or method.
// Parameters: benchmark (name or alias), limit (rows, the final LIMIT).
WITH 'Common Voice' AS benchmark
MATCH (b:Concept)
WHERE toLower(b.name) = toLower(benchmark)
   OR any(a IN coalesce(b.aliases, []) WHERE toLower(a) = toLower(benchmark))
MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:ON]->(b)
OPTIONAL MATCH (r)-[:OF]->(s:Concept)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(m:Concept)
RETURN b.name AS benchmark, coalesce(m.name, r.metric) AS metric, r.value AS value, r.unit AS unit,
       r.kind AS kind, coalesce(s.name, r.subject) AS subject, p.id AS paper, r.text AS text
ORDER BY metric, value DESC, paper
LIMIT 25;
