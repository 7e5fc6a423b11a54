/**
 * concepts/stream-processing.md: its derived stream, its stream-table join
 * aggregation, its stream-stream join, and the page's page_view_metrics,
 * whose GROUP BY leaves out a selected column and is refused as in ksqlDB.
 * (materialized-views.md, lambda-functions.md and queries.md have no
 * statements to replay.)
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the page\'s statements and their rows', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM rock_songs (artist VARCHAR, title VARCHAR)
    WITH (kafka_topic='rock_songs', partitions=2, value_format='avro');
CREATE STREAM title_cased_songs AS
    SELECT artist, UCASE(title) AS capitalized_song
    FROM rock_songs
    EMIT CHANGES;
INSERT INTO rock_songs (artist, title) VALUES ('Queen', 'We will rock you');
CREATE TABLE products (product_name VARCHAR PRIMARY KEY, cost DOUBLE)
    WITH (kafka_topic='products', partitions=1, value_format='json');

CREATE STREAM orders (product_name VARCHAR KEY)
    WITH (kafka_topic='orders', partitions=1, value_format='json');
INSERT INTO products (ROWTIME, product_name, cost) VALUES (0, 'pen', 1.5);
INSERT INTO orders (ROWTIME, product_name) VALUES (1000, 'pen');
INSERT INTO orders (ROWTIME, product_name) VALUES (2000, 'pen');
CREATE TABLE order_metrics AS
    SELECT p.product_name, COUNT(*) AS count, SUM(p.cost) AS revenue
    FROM orders o JOIN products p ON p.product_name = o.product_name
    GROUP BY p.product_name EMIT CHANGES;
CREATE STREAM impressions (user VARCHAR KEY, impression_id BIGINT, url VARCHAR)
    WITH (kafka_topic='impressions', partitions=1, value_format='json');

CREATE STREAM clicks (user VARCHAR KEY, url VARCHAR)
    WITH (kafka_topic='clicks', partitions=1, value_format='json');
CREATE STREAM clicked_impressions AS
    SELECT * FROM impressions i JOIN clicks c WITHIN 1 minute ON i.user = c.user
    WHERE i.url = c.url
    EMIT CHANGES;
INSERT INTO impressions (ROWTIME, user, impression_id, url) VALUES (1000, 'bob', 1, 'x.com');
INSERT INTO clicks (ROWTIME, user, url) VALUES (2000, 'bob', 'y.com');
INSERT INTO clicks (ROWTIME, user, url) VALUES (3000, 'bob', 'x.com');`);
  t.deepEqual((await tut.push('SELECT * FROM title_cased_songs EMIT CHANGES;', 1)).rows, [['Queen', 'WE WILL ROCK YOU']]);
  t.deepEqual(await tut.pullUntil('SELECT * FROM order_metrics;', [['pen', 2, 3]]), [['pen', 2, 3]]);
  const clicked = await tut.push('SELECT * FROM clicked_impressions EMIT CHANGES;', 1);
  t.deepEqual(clicked.columnNames, ['I_USER', 'I_IMPRESSION_ID', 'I_URL', 'C_USER', 'C_URL']);
  t.deepEqual(clicked.rows, [['bob', 1, 'x.com', 'bob', 'x.com']]);
  await tut.run("CREATE STREAM page_views (url VARCHAR, location_id INT) WITH (kafka_topic='page_views', partitions=1, value_format='json');");
  t.is(await tut.fail(`CREATE TABLE page_view_metrics AS
    SELECT url, location_id, COUNT(*) AS count
    FROM page_views GROUP BY url EMIT CHANGES;`),
  'Non-aggregate SELECT expression(s) not part of GROUP BY: LOCATION_ID\nEither add the column(s) to the GROUP BY or remove them from the SELECT.');
});
