CREATE STREAM recordings (catalog_no BIGINT KEY, composer VARCHAR, work VARCHAR)
  WITH (kafka_topic='recordings', partitions=1, value_format='AVRO');

CREATE STREAM bach_recordings WITH (kafka_topic='bach-recordings') AS
  SELECT * FROM recordings WHERE composer = 'J. S. Bach';
