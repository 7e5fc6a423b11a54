CREATE STREAM ticket_sales (show VARCHAR, sold_at VARCHAR, price INT)
  WITH (kafka_topic='ticket-sales', partitions=1, value_format='AVRO', timestamp='sold_at',
        timestamp_format='yyyy-MM-dd''T''HH:mm:ssX');

CREATE TABLE show_figures AS
  SELECT show, COUNT(price) AS sold, SUM(price) AS takings, MIN(price) AS cheapest, MAX(price) AS dearest
  FROM ticket_sales GROUP BY show;
