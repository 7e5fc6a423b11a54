CREATE STREAM mixed_events (kindA VARCHAR, kindB VARCHAR)
  WITH (kafka_topic='mixed-events', value_format='JSON', partitions=1);

CREATE STREAM picked AS
  SELECT EXTRACTJSONFIELD(kindA, '$.label') AS label,
         CAST(EXTRACTJSONFIELD(kindB, '$.reading.value') AS DOUBLE) AS reading
  FROM mixed_events;
