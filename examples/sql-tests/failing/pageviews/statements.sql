CREATE STREAM pageviews (user_id STRING KEY, page STRING, ms BIGINT) WITH (kafka_topic='pageviews', value_format='JSON');
CREATE TABLE views_per_user AS SELECT user_id, COUNT(*) AS views FROM pageviews GROUP BY user_id;
