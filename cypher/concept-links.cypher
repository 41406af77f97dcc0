// Concepts linked to a public identifier (kb_id, kb_source, url) or not, most-used first.
// Parameters: linked ('yes', 'no' or 'any'), limit (rows, the final LIMIT).
WITH 'no' AS linked
MATCH (c:Concept)
WHERE linked = 'any' OR (linked = 'yes') = (c.kb_id IS NOT NULL)
WITH c, COUNT { MATCH (p:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(c) RETURN DISTINCT p } AS papers
RETURN c.name AS concept, c.type AS type, papers, c.kb_id AS kb_id, c.kb_source AS kb_source, c.url AS url
ORDER BY papers DESC, concept, c.id
LIMIT 25;
