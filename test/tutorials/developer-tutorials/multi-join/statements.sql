CREATE TABLE members (member_id VARCHAR PRIMARY KEY, member_name VARCHAR)
  WITH (kafka_topic='members', value_format='JSON', partitions=1);

CREATE TABLE titles (title_id VARCHAR PRIMARY KEY, title_name VARCHAR)
  WITH (kafka_topic='titles', value_format='JSON', partitions=1);

CREATE TABLE title_notes (title_id VARCHAR PRIMARY KEY, note VARCHAR)
  WITH (kafka_topic='title-notes', value_format='JSON', partitions=1);

CREATE STREAM borrowings (borrow_id VARCHAR KEY, member_id VARCHAR, title_id VARCHAR)
  WITH (kafka_topic='borrowings', value_format='JSON', partitions=1);

CREATE TABLE annotated_titles AS
  SELECT t.title_id, t.title_name, n.note
  FROM titles t INNER JOIN title_notes n ON t.title_id = n.title_id;

CREATE STREAM borrowings_enriched AS
  SELECT members.member_id AS member_id, members.member_name, borrowings.borrow_id,
         titles.title_id, titles.title_name
  FROM borrowings
    LEFT JOIN members ON borrowings.member_id = members.member_id
    LEFT JOIN titles ON borrowings.title_id = titles.title_id;
