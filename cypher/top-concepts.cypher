// Top concepts of one type, ranked by how many papers name them.
// Parameters: type (Model, Benchmark, Method, Task or Metric), limit (rows).
:param type => 'Model';
:param limit => 10;
MATCH (c:Concept {type: $type})
RETURN c.name AS concept, c.paper_count AS papers, c.aliases AS aliases
ORDER BY papers DESC, concept, c.id
LIMIT $limit;
