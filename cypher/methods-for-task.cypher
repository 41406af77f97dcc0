// Methods used for a task: methods APPLIED_TO it, and methods proposed or used by papers that name it.
// Parameters: task (name or alias), limit (rows, the final LIMIT).
WITH 'mathematical reasoning' AS task
MATCH (t:Concept {type: 'Task'})
WHERE toLower(t.name) = toLower(task)
   OR any(a IN coalesce(t.aliases, []) WHERE toLower(a) = toLower(task))
MATCH (m:Concept {type: 'Method'})
WHERE EXISTS { (m)-[:APPLIED_TO]->(t) }
   OR EXISTS { (m)<-[:PROPOSES|USES]-(:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(t) }
RETURN m.name AS method,
       COUNT { MATCH (m)<-[:PROPOSES|USES]-(p:Paper)-[:PROPOSES|USES|EVALUATES_ON|COMPARES_WITH|MENTIONS]->(t) RETURN DISTINCT p } AS papers,
       EXISTS { (m)-[:APPLIED_TO]->(t) } AS applied_to
ORDER BY papers DESC, method, m.id
LIMIT 20;
