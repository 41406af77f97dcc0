// Full-text search over paper titles and abstracts (Lucene syntax: words, "phrases", AND/OR, prefix*).
// Parameters: q (Lucene query), limit (rows, the final LIMIT).
WITH 'diffusion' AS q
CALL db.index.fulltext.queryNodes('paper_text', q) YIELD node, score
RETURN node.id AS paper, node.title AS title, score
ORDER BY score DESC, paper
LIMIT 10;
