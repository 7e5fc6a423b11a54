/** A position in a topic partition, as groups and transactions commit them. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
