CREATE STREAM trades (trader VARCHAR, lots INT, ticker VARCHAR)
  WITH (kafka_topic='trades', value_format='JSON', partitions=1);

CREATE STREAM trade_lines AS
  SELECT trader + ' bought ' + CAST(lots AS VARCHAR) + ' lots of ' + ticker AS line
  FROM trades;
