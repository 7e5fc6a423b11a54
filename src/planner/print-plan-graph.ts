/**
 * A plan graph as text, in the style of Kafka Streams' topology description
 * (which ksqlDB's EXPLAIN shows as `topology`): per sub-topology its source
 * topics, each step with the steps after it (`-->`) and before it (`<--`) in
 * the same sub-topology, and the topics it writes (a repartition topic or the
 * sink, none for the last of a push query, and a foreign-key join's
 * subscriptions); then the internal topics with their partitions and configs.
 */
import type { PlanGraph } from './plan-graph.js';

const pad = (n: number): string => String(n).padStart(10, '0');

/** `partitions` gives a topic's partition count when known (EXPLAIN of a running query). */
export function printPlanGraph(graph: PlanGraph, partitions: (topic: string) => number | undefined = () => undefined): string {
  const label = (id: number): string => `${graph.nodes[id]!.kind}-${pad(id)}`;
  const lines = ['Topologies:'];
  graph.subTopologies.forEach((sub, i) => {
    const inSub = new Set(sub.nodes);
    const source = `KSTREAM-SOURCE-${pad(i)}`;
    const sink = `KSTREAM-SINK-${pad(i)}`;
    const before = (id: number): string[] => graph.edges.filter((e) => e.to === id && inSub.has(e.from)).map((e) => label(e.from));
    const after = (id: number): string[] => graph.edges.filter((e) => e.from === id && inSub.has(e.to)).map((e) => label(e.to));
    // A step that rows reach from outside the sub-topology (a source, or through a topic) reads the sub-topology's source.
    const reads = (id: number): boolean => before(id).length === 0 || graph.edges.some((e) => e.to === id && !inSub.has(e.from));
    const entries = sub.nodes.filter(reads);
    const last = sub.nodes.at(-1)!;
    const subscriptionSink = (k: number): string => `KTABLE-SINK-${pad(i)}-${k}`;
    lines.push(`   Sub-topology: ${i}`, `    Source: ${source} (topics: [${sub.sourceTopics.join(', ')}])`, `      --> ${entries.map(label).join(', ')}`);
    for (const id of sub.nodes) {
      const next = id === last && sub.sinkTopic !== undefined ? [sink] : after(id);
      sub.subscriptionSinks.forEach((s, k) => {
        if (s.node === id) next.push(subscriptionSink(k));
      });
      const previous = reads(id) ? [source, ...before(id)] : before(id);
      lines.push(`    Processor: ${label(id)}`, `      --> ${next.length === 0 ? 'none' : next.join(', ')}`, `      <-- ${previous.join(', ')}`);
    }
    sub.subscriptionSinks.forEach((s, k) => lines.push(`    Sink: ${subscriptionSink(k)} (topic: ${s.topic})`, `      <-- ${label(s.node)}`));
    if (sub.sinkTopic !== undefined) lines.push(`    Sink: ${sink} (topic: ${sub.sinkTopic})`, `      <-- ${label(last)}`);
  });
  if (graph.internalTopics.length > 0) lines.push('Internal topics:');
  for (const t of graph.internalTopics) {
    const count = partitions(t.partitionsOf);
    const config = Object.entries(t.config).map(([k, v]) => `${k}=${String(v)}`).join(', ');
    lines.push(`   ${t.name} (${t.kind}, ${count === undefined ? `partitions of ${t.partitionsOf}` : `${count} partitions`}, ${config})`);
  }
  return `${lines.join('\n')}\n`;
}
