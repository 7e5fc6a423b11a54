CREATE STREAM pressure (gauge VARCHAR KEY, read_at VARCHAR, kpa BIGINT)
  WITH (kafka_topic='pressure', value_format='JSON', timestamp='read_at',
        timestamp_format='yyyy-MM-dd HH:mm:ss', partitions=1);

CREATE TABLE low_pressure AS
  SELECT gauge AS k, AS_VALUE(gauge) AS gauge,
         TIMESTAMPTOSTRING(WINDOWSTART, 'HH:mm', 'UTC') AS from_time,
         TIMESTAMPTOSTRING(WINDOWEND, 'HH:mm', 'UTC') AS to_time,
         SUM(kpa) / COUNT(kpa) AS mean_kpa
  FROM pressure WINDOW HOPPING (SIZE 10 MINUTES, ADVANCE BY 5 MINUTES)
  GROUP BY gauge HAVING SUM(kpa) / COUNT(kpa) < 100;

CREATE STREAM low_pressure_raw (gauge VARCHAR, from_time VARCHAR, to_time VARCHAR, mean_kpa BIGINT)
  WITH (kafka_topic='LOW_PRESSURE', value_format='JSON');

CREATE STREAM alarms AS
  SELECT gauge, from_time, to_time, mean_kpa FROM low_pressure_raw WHERE gauge IS NOT NULL PARTITION BY gauge;
