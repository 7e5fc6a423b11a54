/**
 * Kafka topic ids for the log's topics, which have none of their own: a
 * topic's id is derived from the cluster id and its name (the first 16 bytes
 * of their SHA-256), so it is the same on every connection and after a
 * restart, and the versions that name topics by id (Metadata v10+, Fetch
 * v13+, CreateTopics v7, DeleteTopics v6) find the same topics as by name.
 * Unlike Kafka's, a topic deleted and created again under the same name gets
 * the same id back: ids tell topics apart no better than names do here.
 */
import { createHash } from 'node:crypto';
import type { Broker } from '../broker.js';

export class TopicIds {
  private readonly ids = new Map<string, string>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly broker: Broker,
    private readonly clusterId: string,
  ) {}

  /** The id of the topic named `name` (32 hex digits), whether it exists or not. */
  idOf(name: string): string {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = createHash('sha256').update(this.clusterId).update('\u0000').update(name).digest('hex').slice(0, 32);
      this.ids.set(name, id);
      this.names.set(id, name);
    }
    return id;
  }

  /** The name of the existing topic with id `id`, or null when no topic has it. */
  nameOf(id: string): string | null {
    const known = this.names.get(id);
    // A fetch asks by id on every poll: the topics are listed only for an id not seen before.
    if (known !== undefined) return this.broker.hasTopic(known) ? known : null;
    return this.broker.listTopics().find((name) => this.idOf(name) === id) ?? null;
  }
}
