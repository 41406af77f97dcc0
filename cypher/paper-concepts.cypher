// Everything extracted from one paper: its concepts by role, with the sentence that gave each one.
// Parameters: paper (paper id).
WITH 'example-003' AS paper
MATCH (p:Paper {id: paper})-[r]->(c:Concept)
RETURN type(r) AS role, c.type AS type, c.name AS concept, r.evidence AS evidence
ORDER BY role, type, concept;
