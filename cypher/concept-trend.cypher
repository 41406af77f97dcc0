// Trend by listing date: papers per date that name each concept of a type.
// Parameters: type (Model, Benchmark, Method, Task or Metric), min_papers (skip rarer concepts).
:param type => 'Model';
:param min_papers => 2;
MATCH (c:Concept {type: $type})<-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]-(p:Paper)
WITH c, collect(DISTINCT p) AS papers
WHERE size(papers) >= $min_papers
UNWIND papers AS p
RETURN coalesce(p.date, 'unknown') AS date, c.name AS concept, count(p) AS papers
ORDER BY date, papers DESC, concept;
