// Which benchmarks is a model evaluated on: stated in a sentence (EVALUATED_ON), in a reported result, by papers running it (propose, use, compare) or, weakest, only mentioning it, that evaluate on the benchmark.
// Parameters: model (name or alias of a model or method), limit (rows, the final LIMIT).
WITH 'Whisper' AS model
MATCH (m:Concept)
WHERE toLower(m.name) = toLower(model)
   OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) = toLower(model))
CALL (m) {
  MATCH (m)-[:EVALUATED_ON]->(b:Concept) RETURN b
  UNION
  MATCH (m)<-[:OF]-(:Result)-[:ON]->(b:Concept) RETURN b
  UNION
  MATCH (m)<-[:PROPOSES|USES|COMPARES_WITH|MENTIONS]-(:Paper)-[:EVALUATES_ON]->(b:Concept) RETURN b
}
RETURN m.name AS model, b.name AS benchmark,
       EXISTS { (m)-[:EVALUATED_ON]->(b) } AS stated,
       COUNT { (m)<-[:OF]-(:Result)-[:ON]->(b) } AS results,
       COUNT { MATCH (m)<-[:PROPOSES|USES|COMPARES_WITH]-(p:Paper)-[:EVALUATES_ON]->(b) RETURN DISTINCT p } AS papers,
       COUNT { MATCH (m)<-[:MENTIONS]-(p:Paper)-[:EVALUATES_ON]->(b) RETURN DISTINCT p } AS mentioning_papers
ORDER BY stated DESC, results DESC, papers DESC, mentioning_papers DESC, benchmark, b.id
LIMIT 25;
