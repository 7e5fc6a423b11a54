CREATE STREAM deliveries (courier VARCHAR, parcel VARCHAR, region VARCHAR)
  WITH (kafka_topic='deliveries', partitions=1, value_format='AVRO');

CREATE STREAM deliveries_north AS SELECT courier, parcel FROM deliveries WHERE region = 'north';

CREATE STREAM deliveries_south AS SELECT courier, parcel FROM deliveries WHERE region = 'south';

CREATE STREAM deliveries_elsewhere AS
  SELECT courier, parcel, region FROM deliveries WHERE region != 'north' AND region != 'south';
