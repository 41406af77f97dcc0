// The most common baselines: concepts that papers compare with (COMPARES_WITH), by the number of papers.
// Parameters: type (Model, Benchmark, Method, Task, Metric or any), limit (rows, the final LIMIT).
WITH 'any' AS type
MATCH (p:Paper)-[:COMPARES_WITH]->(c:Concept)
WHERE type = 'any' OR c.type = type
WITH c, p ORDER BY p.id
WITH c, collect(DISTINCT p.id) AS papers
RETURN c.name AS baseline, c.type AS type, size(papers) AS papers, papers[..5] AS some_papers
ORDER BY papers DESC, baseline, c.id
LIMIT 20;
