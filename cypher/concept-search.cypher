// Full-text search over concept names and aliases (Lucene syntax, e.g. 'bert*' or 'vision~').
// Parameters: q (Lucene query), limit (rows, the final LIMIT).
WITH 'llama*' AS q
CALL db.index.fulltext.queryNodes('concept_text', q) YIELD node, score
RETURN node.name AS concept, node.type AS type, node.aliases AS aliases, node.paper_count AS papers, score
ORDER BY score DESC, concept
LIMIT 10;
