/**
 * SHOW [ALL] TOPICS [EXTENDED]: the log's topics (internal ones, starting with
 * '_', only with ALL). The extended form counts, as ksqlDB does, for each topic
 * the partitions consumer group members hold (consumerCount) and the groups
 * holding any (consumerGroupCount): the running persistent queries' groups,
 * each task holding its partition of every topic it reads, and the Kafka
 * listener's client groups.
 */
import type { StatementOfKind } from '../parser/ast/statement.js';
import type { EnginePorts } from './engine-ports.js';
import type { TopicListEntity, TopicListExtendedEntity } from './entities.js';

interface Consumption {
  consumers: number;
  readonly groups: Set<string>;
}

function consumptionByTopic(ports: Pick<EnginePorts, 'log' | 'runner'>): Map<string, Consumption> {
  const byTopic = new Map<string, Consumption>();
  const hold = (group: string, topic: string): void => {
    const consumption = byTopic.get(topic) ?? { consumers: 0, groups: new Set<string>() };
    consumption.consumers += 1;
    consumption.groups.add(group);
    byTopic.set(topic, consumption);
  };
  for (const query of ports.runner.listQueries()) {
    if (query.state !== 'RUNNING') continue;
    const group = ports.runner.queryGroup(query.id);
    for (const task of query.tasks) for (const topic of task.topics) hold(group, topic);
  }
  for (const { group, topic } of ports.log.consumerGroups?.assignments() ?? []) hold(group, topic);
  return byTopic;
}

export function listTopics(ports: Pick<EnginePorts, 'log' | 'runner'>, stmt: StatementOfKind<'ListTopics'>): TopicListEntity | TopicListExtendedEntity {
  const store = ports.log.topics;
  const topics = store.listTopics()
    .filter((t) => stmt.all || !t.startsWith('_'))
    .map((t) => ({ name: t, replicaInfo: store.describeTopic(t).partitions.map(() => 1) }));
  if (!stmt.extended) return { '@type': 'kafka_topics', statementText: stmt.text, topics, warnings: [] };
  const consumption = consumptionByTopic(ports);
  return {
    '@type': 'kafka_topics_extended',
    statementText: stmt.text,
    topics: topics.map((topic) => {
      const used = consumption.get(topic.name);
      return { ...topic, consumerCount: used?.consumers ?? 0, consumerGroupCount: used?.groups.size ?? 0 };
    }),
    warnings: [],
  };
}
