// papergraph schema: uniqueness constraints and indexes. `papergraph load` runs this before loading;
// every statement is IF NOT EXISTS, so running it again changes nothing.
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (n:Concept) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE INDEX concept_type IF NOT EXISTS FOR (n:Concept) ON (n.type);
CREATE INDEX concept_name IF NOT EXISTS FOR (n:Concept) ON (n.name);
CREATE INDEX paper_date IF NOT EXISTS FOR (n:Paper) ON (n.date);
// Every concept also has its type as a label (:Concept:Model, ...): Browser colours by it (cypher/style.grass)
// and MATCH (m:Model {name: 'GPT-4'}) finds a model through these indexes.
CREATE INDEX model_name IF NOT EXISTS FOR (n:Model) ON (n.name);
CREATE INDEX benchmark_name IF NOT EXISTS FOR (n:Benchmark) ON (n.name);
CREATE INDEX method_name IF NOT EXISTS FOR (n:Method) ON (n.name);
CREATE INDEX task_name IF NOT EXISTS FOR (n:Task) ON (n.name);
CREATE INDEX metric_name IF NOT EXISTS FOR (n:Metric) ON (n.name);
// Full-text search over paper text and concept names/aliases (aliases is a list of strings).
CREATE FULLTEXT INDEX paper_text IF NOT EXISTS FOR (n:Paper) ON EACH [n.title, n.abstract];
CREATE FULLTEXT INDEX concept_text IF NOT EXISTS FOR (n:Concept) ON EACH [n.name, n.aliases];
