// Leaderboard for a benchmark: the results papers report on it, with metric, value and model or method.
// Parameters: benchmark (name or alias), limit (rows, the final LIMIT).
WITH 'Common Voice' AS benchmark
MATCH (b:Concept)
WHERE toLower(b.name) = toLower(benchmark)
   OR any(a IN coalesce(b.aliases, []) WHERE toLower(a) = toLower(benchmark))
MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:ON]->(b)
OPTIONAL MATCH (r)-[:OF]->(s:Concept)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(m:Concept)
WITH b, p, r, coalesce(s.name, r.subject) AS model, coalesce(m.name, r.metric) AS metric
RETURN b.name AS benchmark, model, metric, r.value AS value, r.unit AS unit, r.kind AS kind,
       r.better AS better, p.id AS paper, r.evidence AS evidence
ORDER BY metric IS NULL, metric, kind,
         CASE WHEN kind = 'absolute' AND better = 'lower' THEN value ELSE -value END, paper, model
LIMIT 25;
