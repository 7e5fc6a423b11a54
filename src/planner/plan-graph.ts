/**
 * The physical plan as a graph: nodes are steps (numbered from the sources
 * up, in the order they are built), edges say how rows go from one to the
 * next: forward (in the same task), shuffle (through an internal repartition
 * topic, to the task of their new key) or into one side of a join (possibly
 * through a repartition topic too). A shuffle ends a sub-topology: each
 * sub-topology reads its topics (a source, an internal topic, or both sides
 * of a join, co-partitioned) with one task per partition. The graph also
 * lists every internal topic with its config and partition count (that of
 * the topic read by the sub-topology writing it). runtime/build-topology.ts
 * instantiates the steps as this graph cuts them; EXPLAIN prints it.
 *
 * A foreign-key join with subscriptions (runtime/foreign-key-subscription-join.ts)
 * cuts the right table off into a sub-topology of its own, which reads the
 * registration topic beside the right table's topic (so it has the right
 * table's partitions) and writes the response topic; the left side's
 * sub-topology goes on reading the response topic (it has the left side's
 * partitions) and writes the registration topic besides its own sink. Those
 * two sub-topologies feed each other, so only there does data flow back to
 * an earlier sub-topology. A plan without a sink (a push query over a join)
 * ends in a sub-topology whose rows go to the client.
 */
import type { TopicConfig } from '../broker/broker.js';
import { KsqlError } from '../common/errors.js';
import { CHANGELOG_TOPIC_CONFIG, joinWindowChangelogConfig, REPARTITION_TOPIC_CONFIG } from './internal-topics.js';
import type { ExecutionStep, Join, JoinSideStep, StepKind } from './steps.js';

export interface PlanNode {
  readonly id: number;
  readonly step: ExecutionStep;
  readonly kind: StepKind;
}

/** An edge's `topic` is the internal topic's name after the query's prefix, as the steps name it. */
export type PlanEdge =
  | { readonly from: number; readonly to: number; readonly kind: 'forward' }
  | { readonly from: number; readonly to: number; readonly kind: 'shuffle'; readonly topic: string }
  | { readonly from: number; readonly to: number; readonly kind: 'join'; readonly side: 'left' | 'right'; readonly topic?: string };

/** A topic a query creates for itself. */
export interface InternalTopic {
  /** The full name (the query's prefix, `-`, the step's name for it). */
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  /** As many partitions as this topic has (a source's topic, or an internal topic before it). */
  readonly partitionsOf: string;
  readonly config: Partial<TopicConfig>;
}

export interface SubTopologyPlan {
  /** One topic, or both sides of a join (read by one task per partition). */
  readonly sourceTopics: readonly string[];
  /** The nodes its tasks run, in build order. */
  readonly nodes: readonly number[];
  /** The topic it writes: a repartition topic, or the query's sink; none for the last of a sink-less plan. */
  readonly sinkTopic: string | undefined;
  /** Topics its foreign-key joins (`node`) write subscriptions to, besides its sink. */
  readonly subscriptionSinks: readonly SubscriptionSink[];
}

export interface SubscriptionSink {
  readonly topic: string;
  readonly node: number;
}

export interface PlanGraph {
  readonly nodes: readonly PlanNode[];
  readonly edges: readonly PlanEdge[];
  /** In data-flow order: a sub-topology's internal output feeds a later one. */
  readonly subTopologies: readonly SubTopologyPlan[];
  readonly internalTopics: readonly InternalTopic[];
  /** The query's sink topic; none for a sink-less plan. */
  readonly sinkTopic: string | undefined;
}

/** A chain being built: the topics its sub-topology reads, its nodes so far, and the node it ends in. */
interface Chain {
  readonly topics: readonly string[];
  readonly nodes: readonly number[];
  readonly out: number;
  /** The repartition topic (its name after the query's prefix) the chain's rows went through to get here, if any. */
  readonly via?: string;
  /** The subscription topics its foreign-key joins write so far. */
  readonly subscriptionSinks?: readonly SubscriptionSink[];
}

/**
 * The graph of a plan; `internalTopicPrefix` is the query's (its consumer
 * group, or a transient query's application id). A plan whose last step is
 * not a sink is a push query's: its last sub-topology writes no topic.
 */
export function planGraph(last: ExecutionStep, internalTopicPrefix: string): PlanGraph {
  const graph = new GraphBuilder(internalTopicPrefix);
  const sink = last.kind === 'StreamSink' || last.kind === 'TableSink' ? last : undefined;
  const up = graph.chain(sink === undefined ? last : sink.source);
  const nodes = sink === undefined ? up.nodes : [...up.nodes, graph.node(sink, up)];
  graph.subTopologies.push({ sourceTopics: up.topics, nodes, sinkTopic: sink?.topic, subscriptionSinks: up.subscriptionSinks ?? [] });
  return { nodes: graph.nodes, edges: graph.edges, subTopologies: graph.subTopologies, internalTopics: graph.internalTopics, sinkTopic: sink?.topic };
}

class GraphBuilder {
  readonly nodes: PlanNode[] = [];
  readonly edges: PlanEdge[] = [];
  readonly subTopologies: SubTopologyPlan[] = [];
  readonly internalTopics: InternalTopic[] = [];
  private readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** Adds `step` fed by `up` (forward, or shuffled when `up` came through a topic). */
  node(step: ExecutionStep, up: Chain | undefined): number {
    const id = this.nodes.length;
    this.nodes.push({ id, step, kind: step.kind });
    if (up !== undefined) {
      this.edges.push(up.via === undefined ? { from: up.out, to: id, kind: 'forward' } : { from: up.out, to: id, kind: 'shuffle', topic: up.via });
    }
    return id;
  }

  chain(step: ExecutionStep): Chain {
    switch (step.kind) {
      case 'StreamSource':
      case 'TableSource': {
        const id = this.node(step, undefined);
        return { topics: [step.topic], nodes: [id], out: id };
      }
      case 'StreamGroupBy':
      case 'TableGroupBy': {
        const up = this.chain(step.source);
        const id = this.node(step, up);
        const grouped = continued(up, id);
        if (!step.repartition) return grouped;
        const name = this.shuffle(grouped, step.repartitionTopic);
        return { topics: [this.fullName(name)], nodes: [], out: id, via: name };
      }
      case 'StreamTableJoin':
      case 'TableTableJoin':
      case 'StreamStreamJoin':
      case 'ForeignKeyTableTableJoin':
        return this.join(step);
      case 'StreamSink':
      case 'TableSink':
        throw new KsqlError('SERVER_ERROR', 'a sink can only end a plan');
      default: {
        const up = this.chain(step.source);
        const id = this.node(step, up);
        return continued(up, id);
      }
    }
  }

  private join(step: Join): Chain {
    const side = (s: JoinSideStep): Chain => {
      const up = this.chain(s.source);
      if (!s.repartition) return up;
      const name = this.shuffle(up, s.repartitionTopic);
      return { topics: [this.fullName(name)], nodes: [], out: up.out, via: name };
    };
    const left = side(step.left);
    const right = side(step.right);
    const config = step.kind === 'StreamStreamJoin' ? joinWindowChangelogConfig(step) : CHANGELOG_TOPIC_CONFIG;
    for (const topic of [step.left.changelogTopic, step.right.changelogTopic, step.outerChangelogTopic]) {
      if (topic === undefined) continue;
      this.internalTopics.push({ name: this.fullName(topic), kind: 'changelog', partitionsOf: left.topics[0]!, config });
    }
    const id = this.nodes.length;
    this.nodes.push({ id, step, kind: step.kind });
    const edge = (c: Chain, name: 'left' | 'right'): PlanEdge =>
      ({ from: c.out, to: id, kind: 'join', side: name, ...(c.via === undefined ? {} : { topic: c.via }) });
    this.edges.push(edge(left, 'left'), edge(right, 'right'));
    if (step.kind === 'ForeignKeyTableTableJoin' && step.subscriptions === true) return this.subscriptionJoin(step, id, left, right);
    const subscriptionSinks = [...left.subscriptionSinks ?? [], ...right.subscriptionSinks ?? []];
    return { topics: [...left.topics, ...right.topics], nodes: [...left.nodes, ...right.nodes, id], out: id, subscriptionSinks };
  }

  /** The right table's sub-topology, which answers the left side's subscriptions; the join goes on in the left side's. */
  private subscriptionJoin(step: Join, id: number, left: Chain, right: Chain): Chain {
    const registration = this.fullName(named(step.registrationTopic, 'subscription registration'));
    const response = this.fullName(named(step.responseTopic, 'subscription response'));
    this.internalTopics.push(
      { name: registration, kind: 'repartition', partitionsOf: right.topics[0]!, config: REPARTITION_TOPIC_CONFIG },
      { name: response, kind: 'repartition', partitionsOf: left.topics[0]!, config: REPARTITION_TOPIC_CONFIG },
    );
    this.subTopologies.push({ sourceTopics: [registration, ...right.topics], nodes: right.nodes, sinkTopic: response, subscriptionSinks: right.subscriptionSinks ?? [] });
    return {
      topics: [...left.topics, response], nodes: [...left.nodes, id], out: id,
      subscriptionSinks: [...left.subscriptionSinks ?? [], { topic: registration, node: id }],
    };
  }

  /** Ends the sub-topology of `up` in a repartition topic; returns the topic's name after the query's prefix. */
  private shuffle(up: Chain, name: string | undefined): string {
    const topic = this.fullName(named(name, 'repartition'));
    this.internalTopics.push({ name: topic, kind: 'repartition', partitionsOf: up.topics[0]!, config: REPARTITION_TOPIC_CONFIG });
    this.subTopologies.push({ sourceTopics: up.topics, nodes: up.nodes, sinkTopic: topic, subscriptionSinks: up.subscriptionSinks ?? [] });
    return name!;
  }

  private fullName(name: string): string {
    return `${this.prefix}-${name}`;
  }
}

function named(name: string | undefined, what: string): string {
  if (name === undefined) throw new KsqlError('SERVER_ERROR', `the plan names no ${what} topic for a step that needs one`);
  return name;
}

/** `up` followed by node `id` in the same sub-topology. */
function continued(up: Chain, id: number): Chain {
  return { topics: up.topics, nodes: [...up.nodes, id], out: id, ...(up.subscriptionSinks === undefined ? {} : { subscriptionSinks: up.subscriptionSinks }) };
}
