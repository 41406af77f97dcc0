// papergraph schema: uniqueness constraints and indexes. `papergraph load` runs this before loading;
// every statement is IF NOT EXISTS, so running it again changes nothing.
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (n:Concept) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE INDEX concept_type IF NOT EXISTS FOR (n:Concept) ON (n.type);
CREATE INDEX concept_name IF NOT EXISTS FOR (n:Concept) ON (n.name);
CREATE INDEX paper_date IF NOT EXISTS FOR (n:Paper) ON (n.date);
// Full-text search over paper text and concept names/aliases (aliases is a list of strings).
CREATE FULLTEXT INDEX paper_text IF NOT EXISTS FOR (n:Paper) ON EACH [n.title, n.abstract];
CREATE FULLTEXT INDEX concept_text IF NOT EXISTS FOR (n:Concept) ON EACH [n.name, n.aliases];
