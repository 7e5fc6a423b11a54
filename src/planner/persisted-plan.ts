/**
 * A query plan as the command log keeps it (format 2): the plan graph's
 * nodes, each a step with its kind, the version of that kind (as Flink's
 * ExecNode metadata does) and its properties, expressions printed as SQL;
 * and its edges (forward, shuffle through a named topic, join side with the
 * side's join expression and topics). Printed expressions are checked to
 * parse back to the planned ones when the plan is written, so a plan that
 * could not be read back fails at creation, not at replay.
 *
 * Reading accepts format 1 too (the step tree as JSON, expressions as ASTs),
 * whose internal topics are named by the rules it was written under. A plan
 * that cannot be read (an unknown step kind, a step version newer than this
 * server's, an expression that does not parse) comes back with the reason,
 * so its query starts in ERROR; a plan of a newer format is left as it is
 * for the engine's format check.
 */
import { KsqlError } from '../common/errors.js';
import type { Expression } from '../parser/ast/expression.js';
import { parseExpression, printExpression } from '../parser/index.js';
import { nameInternalTopics } from './internal-topics.js';
import { planGraph } from './plan-graph.js';
import { PLAN_VERSION, type ExecutionStep, type JoinSideStep, type QueryPlan, type StepKind } from './steps.js';

/** The version of each step kind this server writes and reads. A change to a kind's properties or meaning bumps it. */
export const STEP_VERSIONS: Readonly<Record<StepKind, number>> = {
  StreamSource: 1, TableSource: 1, StreamFilter: 1, TableFilter: 1, StreamSelectKey: 1, StreamFlatMap: 1,
  StreamSelect: 1, TableSelect: 1, StreamGroupBy: 1, TableGroupBy: 1, StreamAggregate: 1, StreamWindowedAggregate: 1,
  TableAggregate: 1, StreamTableJoin: 1, TableTableJoin: 1, StreamStreamJoin: 1, ForeignKeyTableTableJoin: 2,
  TableChangelogStream: 1, StreamSink: 1, TableSink: 2,
};

type Props = Readonly<Record<string, unknown>>;

export interface PersistedNode extends Props {
  readonly id: number;
  readonly kind: string;
  readonly version: number;
}

export interface PersistedEdge {
  readonly from: number;
  readonly to: number;
  readonly kind: 'forward' | 'shuffle' | 'join';
  readonly side?: 'left' | 'right';
  /** The internal topic rows go through (after the query's prefix). */
  readonly topic?: string;
  /** A join side's join expression. */
  readonly expression?: string;
  /** A join side's store changelog. */
  readonly changelogTopic?: string;
}

export interface PersistedPlan {
  readonly version: number;
  readonly queryId: string;
  readonly sink: string;
  readonly sourceNames: readonly string[];
  readonly nodes: readonly PersistedNode[];
  readonly edges: readonly PersistedEdge[];
}

/** The plan in the command log's form; throws when an expression would not read back as planned. */
export function encodePlan(plan: QueryPlan): PersistedPlan {
  const text = (e: unknown): string => printChecked(e as Expression, plan.queryId);
  const graph = planGraph(plan.physicalPlan, '');
  const nodes = graph.nodes.map((n): PersistedNode => ({ id: n.id, kind: n.kind, version: STEP_VERSIONS[n.kind], ...mapExpressions(n.kind, ownProps(n.step), text) }));
  const edges = graph.edges.map((e): PersistedEdge => {
    if (e.kind !== 'join') return e;
    const join = graph.nodes[e.to]!.step;
    if (!('left' in join)) throw new KsqlError('SERVER_ERROR', `a join edge ends in a ${join.kind}`);
    const side: JoinSideStep = e.side === 'left' ? join.left : join.right;
    return { ...e, expression: text(side.expression), ...(side.changelogTopic === undefined ? {} : { changelogTopic: side.changelogTopic }) };
  });
  return { version: PLAN_VERSION, queryId: plan.queryId, sink: plan.sink, sourceNames: plan.sourceNames, nodes, edges };
}

/** A logged plan of any format this server reads, as steps; see the file's comment for what cannot be read. */
export function readPlan(plan: object): QueryPlan {
  const logged = plan as Props;
  const header = { version: logged['version'] as number, queryId: logged['queryId'] as string, sink: logged['sink'] as string, sourceNames: logged['sourceNames'] as string[] };
  try {
    if (header.version === 1) return { ...header, physicalPlan: nameInternalTopics(checkedTree(logged['physicalPlan']), false) };
    if (header.version === 2) return { ...header, physicalPlan: decodeGraph(logged['nodes'] as PersistedNode[], logged['edges'] as PersistedEdge[]) };
    return { ...header, physicalPlan: logged['physicalPlan'] as ExecutionStep };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...header, physicalPlan: logged['physicalPlan'] as ExecutionStep, unreadable: `The plan of query ${String(header.queryId)} cannot be read: ${reason}` };
  }
}

/** A step's properties without its inputs and without what its edges say. */
function ownProps(step: ExecutionStep): Props {
  const { source: _source, left: _left, right: _right, repartition: _repartition, repartitionTopic: _topic, ...own } = step as unknown as Props;
  return own;
}

/** The step with each of its expressions mapped by `f` (both ways: AST to text and back). */
function mapExpressions(kind: string, props: Props, f: (value: unknown) => unknown): Props {
  const list = (value: unknown): unknown[] => (value as unknown[]).map(f);
  const each = (value: unknown, field: string, map: (v: unknown) => unknown): Props[] =>
    (value as Props[]).map((item) => ({ ...item, [field]: map(item[field]) }));
  switch (kind) {
    case 'StreamFilter':
    case 'TableFilter':
      return { ...props, predicate: f(props['predicate']) };
    case 'StreamSelectKey':
      return { ...props, keyExpressions: list(props['keyExpressions']) };
    case 'StreamFlatMap':
      return { ...props, tableFunctions: each(props['tableFunctions'], 'args', list) };
    case 'StreamSelect':
    case 'TableSelect':
      return { ...props, selects: each(props['selects'], 'expression', f) };
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return { ...props, groupBy: list(props['groupBy']), internals: each(props['internals'], 'expression', f) };
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return { ...props, calls: each(props['calls'], 'args', list) };
    default:
      return props;
  }
}

function printChecked(expression: Expression, queryId: string): string {
  const text = printExpression(expression);
  let back: Expression | undefined;
  try {
    back = parseExpression(text);
  } catch {
    back = undefined;
  }
  if (back === undefined || canonical(back) !== canonical(expression)) {
    throw new KsqlError('SERVER_ERROR', `Cannot record the plan of query ${queryId}: its expression ${text} does not read back as the expression planned.`);
  }
  return text;
}

/** An AST as text without source locations, keys sorted, absent and undefined alike. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'location') return undefined;
    if (typeof v === 'bigint') return `${v}n`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

function knownKind(kind: unknown): StepKind {
  if (typeof kind !== 'string' || !Object.hasOwn(STEP_VERSIONS, kind)) throw new KsqlError('SERVER_ERROR', `unknown plan step '${String(kind)}'`);
  return kind as StepKind;
}

/** A format 1 tree, every step of a kind this server knows. */
function checkedTree(step: unknown): ExecutionStep {
  const s = step as Props;
  knownKind(s['kind']);
  for (const child of [s['source'], (s['left'] as Props | undefined)?.['source'], (s['right'] as Props | undefined)?.['source']]) {
    if (child !== undefined) checkedTree(child);
  }
  return step as ExecutionStep;
}

/** The steps of a format 2 graph: inputs before the steps they feed (ids grow from the sources up). */
function decodeGraph(nodes: readonly PersistedNode[], edges: readonly PersistedEdge[]): ExecutionStep {
  const parse = (value: unknown): Expression => parseExpression(String(value));
  const built = new Map<number, ExecutionStep>();
  for (const node of [...nodes].sort((a, b) => a.id - b.id)) {
    const kind = knownKind(node.kind);
    if (!Number.isInteger(node.version) || node.version < 1 || node.version > STEP_VERSIONS[kind]) {
      throw new KsqlError('SERVER_ERROR', `its ${kind} step is of version ${String(node.version)}; this server runs ${kind} steps of versions 1 to ${STEP_VERSIONS[kind]}`);
    }
    const { id: _id, version: _version, ...props } = node;
    const step: Record<string, unknown> = { ...mapExpressions(kind, props, parse) };
    const input = (edge: PersistedEdge | undefined): ExecutionStep => {
      const from = edge === undefined ? undefined : built.get(edge.from);
      if (from === undefined) throw new KsqlError('SERVER_ERROR', `its ${kind} step ${node.id} has no input`);
      return from;
    };
    if (kind.endsWith('Join')) {
      for (const side of ['left', 'right'] as const) {
        const edge = edges.find((e) => e.to === node.id && e.kind === 'join' && e.side === side);
        step[side] = {
          source: input(edge), expression: parse(edge!.expression), repartition: edge!.topic !== undefined,
          ...(edge!.topic === undefined ? {} : { repartitionTopic: edge!.topic }),
          ...(edge!.changelogTopic === undefined ? {} : { changelogTopic: edge!.changelogTopic }),
        };
      }
    } else if (kind !== 'StreamSource' && kind !== 'TableSource') {
      step['source'] = input(edges.find((e) => e.to === node.id));
    }
    if (kind === 'StreamGroupBy' || kind === 'TableGroupBy') {
      const out = edges.find((e) => e.from === node.id);
      step['repartition'] = out?.kind === 'shuffle';
      if (out?.kind === 'shuffle') step['repartitionTopic'] = out.topic;
    }
    built.set(node.id, step as unknown as ExecutionStep);
  }
  const last = nodes.reduce<PersistedNode | undefined>((top, n) => (top === undefined || n.id > top.id ? n : top), undefined);
  if (last === undefined) throw new KsqlError('SERVER_ERROR', 'it has no steps');
  return built.get(last.id)!;
}
