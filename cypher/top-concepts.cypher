// Top concepts of one type, ranked by how many papers name them.
// Parameters: type (Model, Benchmark, Method, Task, Metric or any), limit (rows, the final LIMIT).
WITH 'Model' AS type
MATCH (c:Concept)
WHERE type = 'any' OR c.type = type
RETURN c.name AS concept, c.paper_count AS papers, c.aliases AS aliases
ORDER BY papers DESC, concept, c.id
LIMIT 10;
