CREATE STREAM shipments (
    ref VARCHAR,
    sent_at VARCHAR,
    weight DOUBLE,
    sender STRUCT<name VARCHAR, address STRUCT<city VARCHAR, postcode VARCHAR>>,
    item STRUCT<code VARCHAR, maker STRUCT<brand VARCHAR, origin VARCHAR>>)
  WITH (kafka_topic='shipments', value_format='JSON', timestamp='sent_at',
        timestamp_format='yyyy-MM-dd HH:mm:ss', partitions=1);

CREATE STREAM flat_shipments AS
  SELECT ref AS shipment_ref,
         weight AS shipment_weight,
         sender->name AS sender_name,
         sender->address->city AS sender_city,
         sender->address->postcode AS sender_postcode,
         item->code AS item_code,
         item->maker->brand AS item_brand,
         item->maker->origin AS item_origin
  FROM shipments;
