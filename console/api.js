// The REST calls the console makes, on its own origin: /ksql for statements,
// /query-stream for queries and PRINT (read as they stream), /close-query.
// The browser adds the Basic credentials it was given for this origin.

/** An error the server answered: its ksqlDB error body, and the HTTP status. */
export class ServerError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function readError(res) {
  const text = await res.text();
  try {
    return new ServerError(res.status, JSON.parse(text));
  } catch {
    return new ServerError(res.status, { message: text || `HTTP ${res.status}` });
  }
}

/** Runs statements on /ksql and answers their entities. */
export async function runKsql(ksql, session) {
  const res = await fetch('/ksql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ ksql, streamsProperties: session.properties, sessionVariables: session.variables }),
  });
  if (!res.ok) throw await readError(res);
  return res.json();
}

/**
 * Starts a query (or PRINT) on /query-stream and calls `onHeader` with the
 * header (query id, column names and types), `onRow` with each row (an
 * array; a PRINT line is a one-element array of text) until the stream
 * ends. Answers the query's handle: `done` settles when it ends, `stop()`
 * ends it (closing it on the server first, then the connection).
 */
export function streamQuery(sql, session, { onHeader, onRow }) {
  const abort = new AbortController();
  let queryId;
  const done = (async () => {
    const res = await fetch('/query-stream', {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql, properties: session.properties, sessionVariables: session.variables }),
    });
    if (!res.ok) throw await readError(res);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let header = false;
    const line = (text) => {
      if (text.trim() === '') return;
      if (!header && text.startsWith('{')) {
        header = true;
        const parsed = JSON.parse(text);
        if (parsed['@type'] !== undefined && parsed.queryId === undefined) throw new ServerError(500, parsed);
        queryId = parsed.queryId;
        onHeader(parsed);
        return;
      }
      if (!header) {
        header = true;
        onHeader({ columnNames: ['LINE'], columnTypes: ['STRING'], print: true });
      }
      if (text.startsWith('{')) {
        const parsed = JSON.parse(text);
        if (parsed['@type'] !== undefined || parsed.error_code !== undefined) throw new ServerError(500, parsed);
      }
      onRow(text.startsWith('[') ? JSON.parse(text) : [text]);
    };
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    }
    line(buffer);
  })().catch((error) => {
    if (error.name === 'AbortError') return;
    throw error;
  });
  return {
    done,
    async stop() {
      if (queryId !== undefined) {
        await fetch('/close-query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queryId }) }).catch(() => {});
      }
      abort.abort();
      await done.catch(() => {});
    },
  };
}
