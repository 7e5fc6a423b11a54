CREATE STREAM reviews (review_id INT KEY, book_id INT, stars DOUBLE)
  WITH (kafka_topic='reviews', partitions=2, value_format='AVRO');

CREATE STREAM reviews_by_book WITH (kafka_topic='reviews-by-book') AS
  SELECT * FROM reviews PARTITION BY book_id;
