// Trend by listing date: papers per date that name each concept of a type.
// Parameters: type (Model, Benchmark, Method, Task, Metric or any), min_papers (skip rarer concepts).
WITH 'Benchmark' AS type, 2 AS min_papers
MATCH (c:Concept)<-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]-(p:Paper)
WHERE type = 'any' OR c.type = type
WITH c, min_papers, collect(DISTINCT p) AS papers
WHERE size(papers) >= min_papers
UNWIND papers AS p
RETURN coalesce(p.date, 'unknown') AS date, c.name AS concept, count(p) AS papers
ORDER BY date, papers DESC, concept;
