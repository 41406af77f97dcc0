// Full-text search over paper titles and abstracts (Lucene syntax: words, "phrases", AND/OR, prefix*).
// Parameters: q (Lucene query), limit (rows).
:param q => 'diffusion';
:param limit => 10;
CALL db.index.fulltext.queryNodes('paper_text', $q) YIELD node, score
RETURN node.id AS paper, node.title AS title, score
ORDER BY score DESC, paper
LIMIT $limit;
