CREATE STREAM raw_books (ID INT KEY, label VARCHAR, shelf VARCHAR)
  WITH (kafka_topic='raw-books', partitions=1, value_format='AVRO');

CREATE STREAM books WITH (kafka_topic='books', partitions=1) AS
  SELECT id,
         SPLIT(label, '|')[1] AS title,
         CAST(SPLIT(label, '|')[2] AS INT) AS published,
         shelf
  FROM raw_books;
