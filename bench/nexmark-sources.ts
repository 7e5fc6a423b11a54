/**
 * The Nexmark input topics of the embedded log and the ksqlDB sources over
 * them: `person`, `auction` and `bid` in JSON, persons and auctions keyed by
 * their id (a BIGINT in the KAFKA key format), bids without a key, as Flink's
 * Nexmark tables have none. Persons and auctions are read both as streams and
 * as tables. The side input of q13 is a table of SIDE_INPUT_KEYS rows written
 * before any event.
 */
import type { ProducerRecord } from '../src/broker/broker.js';
import { eventKind, nexmarkEvent, type Auction, type Bid, type NexmarkConfig, type Person } from './nexmark-generator.js';

export const SIDE_INPUT_KEYS = 10_000;

export const TOPICS = { person: 'person', auction: 'auction', bid: 'bid', side: 'side_input' } as const;

const PERSON_COLUMNS = 'name STRING, emailAddress STRING, creditCard STRING, city STRING, state STRING, dateTime TIMESTAMP, extra STRING';
const AUCTION_COLUMNS = 'itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP, expires TIMESTAMP, ' +
  'seller BIGINT, category BIGINT, extra STRING';
const WITH = (topic: string) => `WITH (KAFKA_TOPIC='${topic}', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='dateTime')`;

export const SOURCES: readonly string[] = [
  `CREATE STREAM BID (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP, extra STRING) ${WITH(TOPICS.bid)};`,
  `CREATE STREAM PERSON (id BIGINT KEY, ${PERSON_COLUMNS}) ${WITH(TOPICS.person)};`,
  `CREATE TABLE PERSON_T (id BIGINT PRIMARY KEY, ${PERSON_COLUMNS}) ${WITH(TOPICS.person)};`,
  `CREATE STREAM AUCTION (id BIGINT KEY, ${AUCTION_COLUMNS}) ${WITH(TOPICS.auction)};`,
  `CREATE TABLE AUCTION_T (id BIGINT PRIMARY KEY, ${AUCTION_COLUMNS}) ${WITH(TOPICS.auction)};`,
  `CREATE TABLE SIDE_INPUT (id BIGINT PRIMARY KEY, val STRING) WITH (KAFKA_TOPIC='${TOPICS.side}', PARTITIONS=1, VALUE_FORMAT='JSON');`,
];

export function bigintKey(id: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(BigInt(id));
  return key;
}

export function sideInputValue(id: number): string {
  return `side-${id}`;
}

/** Events by kind. */
export interface NexmarkEvents {
  readonly persons: Person[];
  readonly auctions: Auction[];
  readonly bids: Bid[];
}

/** The events of the first `count` event numbers of the kinds in `kinds`, by kind (for the result checks). */
export function generateEvents(config: NexmarkConfig, count: number, kinds: ReadonlySet<string>): NexmarkEvents {
  const events: NexmarkEvents = { persons: [], auctions: [], bids: [] };
  for (let n = 0; n < count; n++) {
    if (!kinds.has(eventKind(n))) continue;
    const e = nexmarkEvent(config, n);
    if (e.kind === 'person') events.persons.push(e.value);
    else if (e.kind === 'auction') events.auctions.push(e.value);
    else events.bids.push(e.value);
  }
  return events;
}

/** The input records of the first `count` events, restricted to the kinds in `kinds`, in event order. */
export function fillTopics(
  config: NexmarkConfig, count: number, kinds: ReadonlySet<string>,
  append: (topic: string, records: readonly ProducerRecord[]) => void,
): void {
  if (kinds.has('side')) {
    const rows: ProducerRecord[] = [];
    for (let id = 0; id < SIDE_INPUT_KEYS; id++) {
      rows.push({ key: bigintKey(id), value: Buffer.from(JSON.stringify({ VAL: sideInputValue(id) })), timestamp: config.baseTime - 1 });
    }
    append(TOPICS.side, rows);
  }
  for (let n = 0; n < count; n++) {
    const kind = eventKind(n);
    if (!kinds.has(kind)) continue;
    const e = nexmarkEvent(config, n);
    const key = e.kind === 'bid' ? null : bigintKey(e.value.id);
    append(TOPICS[kind], [{ key, value: Buffer.from(JSON.stringify(e.value)), timestamp: e.value.dateTime }]);
  }
}
