-- Tests that fail, each for another reason (ksqlite-test reports all three).

--@test: one record too many asserted
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
INSERT INTO s (rowtime, id, v) VALUES (5, 1, 1);
ASSERT VALUES s (rowtime, id, v) VALUES (5, 1, 1);
ASSERT VALUES s (rowtime, id, v) VALUES (6, 2, 2);

--@test: an expected error that never comes
--@expected.error: io.confluent.ksql.util.KsqlException
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');

--@test: a schema that differs
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
ASSERT STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', value_format='JSON');
