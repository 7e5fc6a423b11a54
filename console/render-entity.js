// ksqlDB's /ksql entities as the page shows them: tables for lists and
// descriptions (the columns ksqlDB's CLI shows), a message for a command's
// status, and the JSON for anything else.

/** A table element of `headers` and `rows` (arrays of cell texts), with a caption. */
export function table(caption, headers, rows) {
  const t = document.createElement('table');
  const c = t.createCaption();
  c.textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cellText(cell);
  }
  return t;
}

/** A value as a grid cell shows it: text as it is, NULL as "null", structures as JSON. */
export function cellText(value) {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function message(text, cls = 'message') {
  const p = document.createElement('p');
  p.className = cls;
  p.textContent = text;
  return p;
}

function fieldRows(fields) {
  return fields.map((f) => [f.name, `${f.schema.type === 'STRUCT' || f.schema.type === 'ARRAY' || f.schema.type === 'MAP' ? JSON.stringify(f.schema) : f.schema.type}${f.type === 'KEY' ? ' (key)' : ''}`]);
}

function sourceDescription(d) {
  const box = document.createElement('section');
  box.append(
    message(`${d.type === 'TABLE' ? 'Table' : 'Stream'} ${d.name}: topic ${d.topic}, key format ${d.keyFormat}, value format ${d.valueFormat}${d.windowType ? `, windowed ${d.windowType}` : ''}`),
    table(`Columns of ${d.name}`, ['Field', 'Type'], fieldRows(d.fields)),
  );
  const queries = [...d.readQueries.map((q) => ['read by', q.id, q.state]), ...d.writeQueries.map((q) => ['written by', q.id, q.state])];
  if (queries.length > 0) box.append(table(`Queries of ${d.name}`, ['Relation', 'Query ID', 'State'], queries));
  if (d.extended && d.statistics) box.append(message(`Statistics: ${d.statistics}`));
  if (d.extended && d.errorStats) box.append(message(`Errors: ${d.errorStats}`));
  return box;
}

const RENDERERS = {
  currentStatus: (e) => message(e.commandStatus.message),
  streams: (e) => table('Streams', ['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
    e.streams.map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, s.isWindowed])),
  tables: (e) => table('Tables', ['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
    e.tables.map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, s.isWindowed])),
  queries: (e) => table('Queries', ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
    e.queries.map((q) => [q.id, q.queryType, q.state, q.sinks.join(','), q.sinkKafkaTopics.join(','), q.queryString])),
  kafka_topics: (e) => table('Topics', ['Kafka Topic', 'Partitions', 'Partition Replicas'],
    e.topics.map((t) => [t.name, t.replicaInfo.length, t.replicaInfo.join(' ')])),
  kafka_topics_extended: (e) => table('Topics', ['Kafka Topic', 'Partitions', 'Partition Replicas', 'Consumers', 'Consumer Groups'],
    e.topics.map((t) => [t.name, t.replicaInfo.length, t.replicaInfo.join(' '), t.consumerCount, t.consumerGroupCount])),
  properties: (e) => table('Properties', ['Property', 'Scope', 'Value'], e.properties.map((p) => [p.name, p.scope, p.value])),
  variables: (e) => table('Variables', ['Variable Name', 'Value'], e.variables.map((v) => [v.name, v.value])),
  function_names: (e) => table('Functions', ['Function Name', 'Type', 'Category'], e.functions.map((f) => [f.name, f.type, f.category])),
  type_list: (e) => table('Types', ['Type Name', 'Schema'], Object.entries(e.types).map(([name, t]) => [name, t.type])),
  sourceDescription: (e) => sourceDescription(e.sourceDescription),
  source_descriptions: (e) => {
    const box = document.createElement('div');
    box.append(...e.sourceDescriptions.map(sourceDescription));
    return box;
  },
  queryDescription: (e) => {
    const q = e.queryDescription;
    const box = document.createElement('section');
    box.append(message(`Query ${q.id} (${q.state}): ${q.statementText}`),
      table(`Columns of ${q.id}`, ['Field', 'Type'], fieldRows(q.fields)),
      message(`Sources: ${q.sources.join(', ')}; sinks: ${q.sinks.join(', ')}`));
    if (q.queryErrors.length > 0) box.append(table(`Errors of ${q.id}`, ['Time', 'Type', 'Message'], q.queryErrors.map((x) => [new Date(x.timestamp).toISOString(), x.type, x.errorMessage])));
    const plan = document.createElement('pre');
    plan.textContent = q.executionPlan;
    box.append(plan);
    return box;
  },
  describe_function: (e) => {
    const box = document.createElement('section');
    box.append(message(`${e.name} (${e.type}): ${e.description}`),
      table(`Variations of ${e.name}`, ['Arguments', 'Returns', 'Description'],
        e.functions.map((f) => [f.arguments.map((a) => `${a.name} ${a.type}`).join(', '), f.returnType, f.description])));
    return box;
  },
};

/** The elements showing one entity, its warnings after it. */
export function renderEntity(entity) {
  const render = RENDERERS[entity['@type']];
  const parts = [];
  if (render !== undefined) parts.push(render(entity));
  else {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(entity, null, 2);
    parts.push(pre);
  }
  for (const w of entity.warnings ?? []) parts.push(message(`Warning: ${w.message}`, 'warning'));
  return parts;
}
