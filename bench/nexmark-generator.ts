/**
 * A deterministic Nexmark event generator, after the model Beam and Flink's
 * Nexmark use: event number n is a Person, an Auction or a Bid by its place
 * in each group of 50 (1:3:46), ids grow with the event number, bids go
 * mostly to hot auctions and come mostly from hot bidders, and event time
 * advances by 1,000,000 / rate microseconds per event. Each event draws its
 * fields from a PRNG seeded with (seed, event number), so any event can be
 * made alone and the same seed always gives the same stream. Field names and
 * order are Flink's; times are epoch milliseconds (what a ksqlDB TIMESTAMP
 * column reads from JSON).
 */
const PERSON_PROPORTION = 1;
const AUCTION_PROPORTION = 3;
const TOTAL_PROPORTION = 50;
const FIRST_PERSON_ID = 1000;
const FIRST_AUCTION_ID = 1000;
const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
const NUM_ACTIVE_PEOPLE = 1000;
const NUM_IN_FLIGHT_AUCTIONS = 100;
/** Ids not generated yet that a reference may name, so some references precede their entity. */
const ID_LEAD = 10;
const HOT_AUCTION_RATIO = 2;
const HOT_SELLER_RATIO = 4;
const HOT_BIDDER_RATIO = 4;
/** Hot ids are the first (sellers) or second (bidders) of each group of this many. */
const HOT_GROUP = 100;
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const CHANNELS = 10_000;
const AVG_PERSON_BYTES = 200;
const AVG_AUCTION_BYTES = 500;
const AVG_BID_BYTES = 100;
const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];

export interface NexmarkConfig {
  readonly seed: number;
  /** Events per second of event time. */
  readonly rate: number;
  /** Event time of event 0, epoch ms. */
  readonly baseTime: number;
}

export interface Person {
  id: number; name: string; emailAddress: string; creditCard: string; city: string; state: string; dateTime: number; extra: string;
}
export interface Auction {
  id: number; itemName: string; description: string; initialBid: number; reserve: number; dateTime: number; expires: number;
  seller: number; category: number; extra: string;
}
export interface Bid {
  auction: number; bidder: number; price: number; channel: string; url: string; dateTime: number; extra: string;
}
export type NexmarkEvent =
  | { readonly kind: 'person'; readonly value: Person }
  | { readonly kind: 'auction'; readonly value: Auction }
  | { readonly kind: 'bid'; readonly value: Bid };

/** A small seeded PRNG (mulberry32 over a mixed seed). */
class EventRandom {
  private state: number;

  constructor(seed: number, eventNumber: number) {
    let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(eventNumber + 0x632be5ab, 0xc2b2ae35) ^ Math.floor(eventNumber / 0x100000000);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    this.state = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  }

  nextDouble(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.nextDouble() * bound);
  }
}

export function eventTime(config: NexmarkConfig, eventNumber: number): number {
  return config.baseTime + Math.floor((eventNumber * 1000) / config.rate);
}

export function eventKind(eventNumber: number): NexmarkEvent['kind'] {
  const offset = eventNumber % TOTAL_PROPORTION;
  return offset < PERSON_PROPORTION ? 'person' : offset < PERSON_PROPORTION + AUCTION_PROPORTION ? 'auction' : 'bid';
}

/** The base-0 id of the latest person at or before event `n`. */
function lastPersonId(n: number): number {
  const epoch = Math.floor(n / TOTAL_PROPORTION);
  const offset = Math.min(n % TOTAL_PROPORTION, PERSON_PROPORTION - 1);
  return epoch * PERSON_PROPORTION + offset;
}

/** The base-0 id of the latest auction at or before event `n`. */
function lastAuctionId(n: number): number {
  let epoch = Math.floor(n / TOTAL_PROPORTION);
  let offset = n % TOTAL_PROPORTION;
  if (offset < PERSON_PROPORTION) {
    epoch--;
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
    offset = AUCTION_PROPORTION - 1;
  } else {
    offset -= PERSON_PROPORTION;
  }
  return epoch * AUCTION_PROPORTION + offset;
}

/** One of the active people, or one of the next few not created yet. */
function randomPersonId(n: number, random: EventRandom): number {
  const people = lastPersonId(n) + 1;
  const active = Math.min(people, NUM_ACTIVE_PEOPLE);
  return people - active + random.nextInt(active + ID_LEAD);
}

/** One of the auctions likely still open, or one of the next few not created yet. */
function randomAuctionId(n: number, random: EventRandom): number {
  const last = lastAuctionId(n);
  const min = Math.max(last - NUM_IN_FLIGHT_AUCTIONS, 0);
  return min + random.nextInt(last - min + 1 + ID_LEAD);
}

/** Prices spread over six orders of magnitude, in cents. */
function nextPrice(random: EventRandom): number {
  return Math.round(Math.pow(10, random.nextDouble() * 6) * 100);
}

/** Lower-case letters with a space now and then, 1 to `maxLength` characters. */
function nextString(random: EventRandom, maxLength: number, space = ' '): string {
  const length = 1 + random.nextInt(maxLength);
  let s = '';
  for (let i = 0; i < length; i++) s += random.nextInt(13) === 0 ? space : String.fromCharCode(97 + random.nextInt(26));
  return s.trim();
}

/** Letters filling an event out to about `averageSize` bytes (within 20%), as Nexmark's `extra`. */
function nextExtra(random: EventRandom, currentSize: number, averageSize: number): string {
  if (currentSize > averageSize) return '';
  const wanted = averageSize - currentSize;
  const delta = Math.round(wanted * 0.2);
  const size = wanted - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(97 + random.nextInt(26));
  return s;
}

function baseUrl(random: EventRandom): string {
  return `https://www.nexmark.com/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/item.htm?query=1`;
}

/** The auction length: on average the time until NUM_IN_FLIGHT_AUCTIONS more auctions exist. */
function auctionLengthMs(config: NexmarkConfig, n: number, timestamp: number, random: EventRandom): number {
  const eventsForAuctions = Math.floor((NUM_IN_FLIGHT_AUCTIONS * TOTAL_PROPORTION) / AUCTION_PROPORTION);
  const horizon = eventTime(config, n + eventsForAuctions) - timestamp;
  return 1 + random.nextInt(Math.max(horizon * 2, 1));
}

/** Event number `n` of the stream `config` describes. */
export function nexmarkEvent(config: NexmarkConfig, n: number): NexmarkEvent {
  const random = new EventRandom(config.seed, n);
  const dateTime = eventTime(config, n);
  const kind = eventKind(n);
  if (kind === 'person') {
    const name = `${FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[random.nextInt(LAST_NAMES.length)]}`;
    const emailAddress = `${nextString(random, 7)}@${nextString(random, 5)}.com`;
    const creditCard = [0, 1, 2, 3].map(() => String(random.nextInt(10_000)).padStart(4, '0')).join(' ');
    const city = US_CITIES[random.nextInt(US_CITIES.length)]!;
    const state = US_STATES[random.nextInt(US_STATES.length)]!;
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    const extra = nextExtra(random, size, AVG_PERSON_BYTES);
    return { kind, value: { id: lastPersonId(n) + FIRST_PERSON_ID, name, emailAddress, creditCard, city, state, dateTime, extra } };
  }
  if (kind === 'auction') {
    const seller = FIRST_PERSON_ID + (random.nextInt(HOT_SELLER_RATIO) > 0
      ? Math.floor(lastPersonId(n) / HOT_GROUP) * HOT_GROUP
      : randomPersonId(n, random));
    const category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
    const initialBid = nextPrice(random);
    const expires = dateTime + auctionLengthMs(config, n, dateTime, random);
    const itemName = nextString(random, 20);
    const description = nextString(random, 100);
    const reserve = initialBid + nextPrice(random);
    const extra = nextExtra(random, 8 + itemName.length + description.length + 40, AVG_AUCTION_BYTES);
    return {
      kind,
      value: { id: lastAuctionId(n) + FIRST_AUCTION_ID, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra },
    };
  }
  const auction = FIRST_AUCTION_ID + (random.nextInt(HOT_AUCTION_RATIO) > 0
    ? Math.floor(lastAuctionId(n) / HOT_GROUP) * HOT_GROUP
    : randomAuctionId(n, random));
  const bidder = FIRST_PERSON_ID + (random.nextInt(HOT_BIDDER_RATIO) > 0
    ? Math.floor(lastPersonId(n) / HOT_GROUP) * HOT_GROUP + 1
    : randomPersonId(n, random));
  const price = nextPrice(random);
  let channel: string;
  let url: string;
  if (random.nextInt(100) > 0) {
    channel = HOT_CHANNELS[random.nextInt(HOT_CHANNELS.length)]!;
    url = baseUrl(random);
  } else {
    const number = random.nextInt(CHANNELS);
    channel = `channel-${number}`;
    url = `${baseUrl(random)}&channel_id=${number}`;
  }
  const extra = nextExtra(random, 32, AVG_BID_BYTES);
  return { kind, value: { auction, bidder, price, channel, url, dateTime, extra } };
}
