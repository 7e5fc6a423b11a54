CREATE STREAM patients (visit_id INT, full_name VARCHAR, born VARCHAR, ward VARCHAR)
  WITH (kafka_topic='patients', value_format='JSON', partitions=1);

CREATE STREAM visits_anonymous WITH (kafka_topic='visits-anonymous') AS
  SELECT visit_id, ward FROM patients;

CREATE STREAM visits_masked WITH (kafka_topic='visits-masked') AS
  SELECT MASK(full_name) AS full_name, MASK(born) AS born, visit_id, ward FROM patients;
