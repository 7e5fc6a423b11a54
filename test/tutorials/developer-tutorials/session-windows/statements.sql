CREATE STREAM logins (account VARCHAR, device VARCHAR, login_at VARCHAR)
  WITH (kafka_topic='logins', timestamp='login_at', timestamp_format='yyyy-MM-dd''T''HH:mm:ssX',
        partitions=1, value_format='AVRO');

CREATE TABLE account_sessions AS
  SELECT account,
         FORMAT_TIMESTAMP(FROM_UNIXTIME(WINDOWSTART), 'HH:mm:ss', 'UTC') AS session_start,
         COUNT(*) AS logins,
         WINDOWEND - WINDOWSTART AS session_ms
  FROM logins WINDOW SESSION (10 MINUTES)
  GROUP BY account;
