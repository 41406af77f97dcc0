// Papers similar to a given paper, ranked by the concepts they share (and the SIMILAR_TO score if the build computed it).
// Parameters: paper (paper id), limit (rows, the final LIMIT).
WITH 'example-003' AS paper
MATCH (p:Paper {id: paper})-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(c:Concept)<-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]-(q:Paper)
WHERE q <> p
WITH p, q, c ORDER BY c.name
WITH p, q, count(DISTINCT c) AS shared_concepts, collect(DISTINCT c.name) AS shared
OPTIONAL MATCH (p)-[s:SIMILAR_TO]-(q)
RETURN q.id AS paper, q.title AS title, shared_concepts, max(s.score) AS similarity, shared[..5] AS some_shared
ORDER BY shared_concepts DESC, paper
LIMIT 10;
