CREATE STREAM loans (loan_id INT, lent_at VARCHAR, member VARCHAR)
  WITH (kafka_topic='loans', value_format='JSON', timestamp='lent_at',
        timestamp_format='yyyy-MM-dd''T''HH:mm:ssX', partitions=2);

CREATE STREAM returns (loan_id INT, returned_at VARCHAR, branch VARCHAR)
  WITH (kafka_topic='returns', value_format='JSON', timestamp='returned_at',
        timestamp_format='yyyy-MM-dd''T''HH:mm:ssX', partitions=2);

CREATE STREAM loan_durations AS
  SELECT l.loan_id AS loan_id, l.member, r.branch,
         (r.ROWTIME - l.ROWTIME) / 1000 / 3600 AS hours_out
  FROM loans l INNER JOIN returns r WITHIN 14 DAYS ON l.loan_id = r.loan_id;
