// Concepts that co-occur with a given concept: papers naming both, plus the CO_OCCURS weight and NPMI if the build computed them.
// Parameters: concept (name or alias), limit (rows, the final LIMIT).
WITH 'GSM8K' AS concept
MATCH (c:Concept)
WHERE toLower(c.name) = toLower(concept)
   OR any(a IN coalesce(c.aliases, []) WHERE toLower(a) = toLower(concept))
MATCH (c)<-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]-(p:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(o:Concept)
WHERE o <> c
WITH c, o, count(DISTINCT p) AS shared_papers
OPTIONAL MATCH (c)-[co:CO_OCCURS]-(o)
WITH c, o, shared_papers, max(co.weight) AS cooccurs_weight, max(co.npmi) AS npmi
RETURN o.name AS concept, o.type AS type, shared_papers, cooccurs_weight, npmi
ORDER BY shared_papers DESC, concept, o.id
LIMIT 15;
