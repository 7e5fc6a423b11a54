CREATE STREAM page_hits (visitor VARCHAR, page VARCHAR, seen VARCHAR)
  WITH (kafka_topic='page-hits', key_format='JSON', value_format='JSON', timestamp='seen',
        timestamp_format='yyyy-MM-dd''T''HH:mm:ssXXX', partitions=1);

CREATE TABLE first_hits AS
  SELECT visitor AS k1, page AS k2, seen AS k3,
         AS_VALUE(visitor) AS visitor, AS_VALUE(page) AS page, AS_VALUE(seen) AS seen
  FROM page_hits WINDOW TUMBLING (SIZE 5 MINUTES, RETENTION 1000 DAYS)
  GROUP BY visitor, page, seen
  HAVING COUNT(*) = 1;

CREATE STREAM first_hits_raw (visitor VARCHAR, page VARCHAR, seen VARCHAR)
  WITH (kafka_topic='FIRST_HITS', key_format='JSON', value_format='JSON');

CREATE STREAM unique_hits AS
  SELECT visitor, page, seen FROM first_hits_raw WHERE visitor IS NOT NULL PARTITION BY visitor;
