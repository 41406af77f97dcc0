// Papers that propose a model, and the benchmarks each paper evaluates on.
// Parameters: limit (rows, the final LIMIT).
MATCH (p:Paper)-[:PROPOSES]->(m:Concept {type: 'Model'})
OPTIONAL MATCH (p)-[:EVALUATES_ON]->(b:Concept)
WITH p, m, b ORDER BY b.name
WITH p, m, collect(DISTINCT b.name) AS benchmarks
RETURN p.id AS paper, p.title AS title, m.name AS model, benchmarks
ORDER BY paper, model
LIMIT 25;
