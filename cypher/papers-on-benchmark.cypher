// Papers that name a given benchmark (matched by name or alias, ignoring case), and how.
// Parameters: benchmark (name or alias).
WITH 'GSM8K' AS benchmark
MATCH (b:Concept {type: 'Benchmark'})
WHERE toLower(b.name) = toLower(benchmark)
   OR any(a IN coalesce(b.aliases, []) WHERE toLower(a) = toLower(benchmark))
MATCH (p:Paper)-[r:EVALUATES_ON|USES|PROPOSES|COMPARES_WITH|MENTIONS]->(b)
RETURN b.name AS benchmark, p.id AS paper, p.title AS title, p.date AS date, type(r) AS how
ORDER BY paper;
