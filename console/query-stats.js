// A persistent query's figures for the side panel, read from its SHOW
// QUERIES EXTENDED description: ksqlDB's `statistics` and `errorStats`
// texts ("name: value" pairs, then the time of the last event) and the lag
// of its tasks (end offset minus committed offset, summed). An empty
// `errorStats` means no record failed (ksqlDB leaves it empty then); any
// other figure the text does not carry is null, which the panel shows as "-".

/** The "name: value" pairs of a statistics text; names start after a space so timestamps' colons are not taken for names. */
export function parseStatistics(text) {
  const stats = new Map();
  if (typeof text !== 'string') return stats;
  for (const [, name, value] of text.matchAll(/(?:^|\s)([a-z][a-z-]*):\s*(\S+)/g)) {
    const number = Number(value);
    if (value !== '' && Number.isFinite(number)) stats.set(name, number);
  }
  return stats;
}

/** The total lag over the query's tasks, or null without task offsets. */
export function totalLag(tasksMetadata) {
  if (!Array.isArray(tasksMetadata) || tasksMetadata.length === 0) return null;
  let lag = 0;
  for (const task of tasksMetadata) {
    for (const o of task?.topicOffsets ?? []) {
      if (typeof o.endOffset === 'number' && typeof o.committedOffset === 'number') lag += Math.max(0, o.endOffset - o.committedOffset);
    }
  }
  return lag;
}

/** What the panel shows of one query description. */
export function queryFigures(description) {
  const stats = parseStatistics(description.statistics);
  const errors = parseStatistics(description.errorStats);
  return {
    state: description.state ?? null,
    rate: stats.get('consumer-messages-per-sec') ?? null,
    total: stats.get('consumer-total-messages') ?? null,
    failed: errors.get('consumer-failed-messages') ?? (description.errorStats === '' ? 0 : null),
    lag: totalLag(description.tasksMetadata),
  };
}

/** A figure as text: "-" when missing, two decimals for a rate that is not whole. */
export function formatFigure(value) {
  if (value === null || value === undefined) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
