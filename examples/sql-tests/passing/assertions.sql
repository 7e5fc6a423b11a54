-- ksqlite's own examples of every ASSERT statement, each passing.

--@test: the records of a declared stream, in order
CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', value_format='JSON');
INSERT INTO orders (rowtime, id, item, qty) VALUES (10, 1, 'pen', 2);
INSERT INTO orders (rowtime, id, item, qty) VALUES (20, 2, 'ink', 5);
ASSERT VALUES orders (rowtime, id, item, qty) VALUES (10, 1, 'pen', 2);
ASSERT VALUES orders (id, item, qty) VALUES (2, 'ink', 5);

--@test: only the named columns are compared
CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', value_format='JSON');
CREATE STREAM big AS SELECT id, UCASE(item) AS item, qty * 10 AS qty FROM orders WHERE qty > 1;
INSERT INTO orders (rowtime, id, item, qty) VALUES (1, 1, 'pen', 1);
INSERT INTO orders (rowtime, id, item, qty) VALUES (2, 2, 'ink', 3);
ASSERT VALUES big (item) VALUES ('INK');
ASSERT STREAM big (id INT KEY, item STRING, qty INT) WITH (kafka_topic='BIG', value_format='JSON');

--@test: a table's tombstones
CREATE TABLE stock (id INT PRIMARY KEY, qty INT) WITH (kafka_topic='stock', value_format='JSON');
CREATE TABLE low AS SELECT * FROM stock WHERE qty < 10;
INSERT INTO stock (id, qty) VALUES (1, 5);
INSERT INTO stock (id, qty) VALUES (1, 50);
ASSERT VALUES low (id, qty) VALUES (1, 5);
ASSERT NULL VALUES low (id) KEY (1);
ASSERT TABLE low (id INT PRIMARY KEY, qty INT) WITH (kafka_topic='LOW', value_format='JSON');

--@test: a missing source fails the statement
--@expected.error: io.confluent.ksql.util.KsqlException
--@expected.message: NOPE does not exist
CREATE STREAM copy AS SELECT * FROM nope;

--@test: a stream is not a table
--@expected.error: KsqlException
--@expected.message: Expected type does not match actual for source S
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
ASSERT TABLE s (id INT PRIMARY KEY, v INT) WITH (kafka_topic='s', value_format='JSON');

--@test: a wrong value format
--@expected.error: io.confluent.ksql.util.KsqlException
--@expected.message: Expected value format does not match actual for source S
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
ASSERT STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='DELIMITED');

--@test: a wrong assertion is an AssertionError
--@expected.error: java.lang.AssertionError
--@expected.message: Expected record does not match actual
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
INSERT INTO s (id, v) VALUES (1, 1);
ASSERT VALUES s (id, v) VALUES (1, 2);
