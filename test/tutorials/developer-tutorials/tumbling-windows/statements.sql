CREATE STREAM plays (track VARCHAR, played_at VARCHAR)
  WITH (kafka_topic='plays', timestamp='played_at', timestamp_format='yyyy-MM-dd HH:mm:ss',
        partitions=1, value_format='AVRO');

CREATE TABLE plays_per_hour WITH (kafka_topic='plays-per-hour') AS
  SELECT track, COUNT(*) AS plays, WINDOWSTART AS hour_start, WINDOWEND AS hour_end
  FROM plays WINDOW TUMBLING (SIZE 1 HOUR)
  GROUP BY track;
