// Papers evaluated on a given benchmark (matched by name or alias, ignoring case).
// Parameters: benchmark (name or alias).
:param benchmark => 'MMLU';
MATCH (b:Concept {type: 'Benchmark'})
WHERE toLower(b.name) = toLower($benchmark)
   OR any(a IN coalesce(b.aliases, []) WHERE toLower(a) = toLower($benchmark))
MATCH (p:Paper)-[:EVALUATES_ON]->(b)
RETURN b.name AS benchmark, p.id AS paper, p.title AS title, p.date AS date
ORDER BY paper;
