// Which concept does a name or acronym stand for? Exact match on names and aliases, ignoring case.
// Parameters: alias (a name, acronym or other alias). Edit the value on the WITH line to ask about another.
WITH 'LoRA' AS alias
MATCH (c:Concept)
WHERE toLower(c.name) = toLower(alias)
   OR any(a IN coalesce(c.aliases, []) WHERE toLower(a) = toLower(alias))
RETURN c.name AS concept, c.type AS type, c.aliases AS aliases, c.paper_count AS papers, c.id AS id
ORDER BY papers DESC, concept, id;
