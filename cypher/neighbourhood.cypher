// A concept's neighbourhood for Neo4j Browser's graph view: the concept, its papers, results and related concepts.
// Parameters: concept (name or alias), limit (paths, the final LIMIT).
WITH 'GPT-4' AS concept
MATCH (c:Concept)
WHERE toLower(c.name) = toLower(concept)
   OR any(a IN coalesce(c.aliases, []) WHERE toLower(a) = toLower(concept))
MATCH path = (c)-[r]-(n)
RETURN path
ORDER BY type(r), n.id
LIMIT 100;
