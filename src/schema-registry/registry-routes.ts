/**
 * Confluent Schema Registry's REST API over a SchemaStore, as its clients use
 * it. Request bodies are JSON whatever their content type says (clients send
 * `application/vnd.schemaregistry.v1+json`, `application/json` or none);
 * responses are `application/vnd.schemaregistry.v1+json`; every error is
 * Confluent's `{"error_code": .., "message": ..}` with its HTTP status.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createLogger } from '../common/logger.js';
import { isCompatibilityLevel } from './compatibility-level.js';
import { isRegistryError, RegistryError } from './registry-error.js';
import { isSchemaType, SCHEMA_TYPES, type SchemaContent, type SchemaReference } from './schema-content.js';
import type { SchemaStore } from './schema-store.js';
import { serializedSchema } from '../formats/protobuf/proto-root.js';
import type { StoredVersion } from './schemas-topic.js';

const log = createLogger('schema-registry');

const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function createRegistryApp(store: SchemaStore): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.text({ type: () => true, limit: MAX_BODY_BYTES }));
  app.use(registryRoutes(store));
  app.use((req: Request, res: Response) => send(res, 404, { error_code: 404, message: `HTTP 404 Not Found: ${req.method} ${req.path}` }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, error));
  return app;
}

function registryRoutes(store: SchemaStore): Router {
  const r = express.Router();
  const route = (handler: (req: Request) => { status?: number; body: unknown; raw?: boolean }) => (req: Request, res: Response) => {
    try {
      const { status, body, raw } = handler(req);
      if (raw === true) {
        res.status(status ?? 200).type(REGISTRY_CONTENT_TYPE).send(body as string);
      } else send(res, status ?? 200, body);
    } catch (error) {
      sendError(res, error);
    }
  };

  r.get('/', route(() => ({ body: {} })));
  r.get('/schemas/types', route(() => ({ body: SCHEMA_TYPES })));
  // This registry is always read-write: it has no import or read-only mode to switch to.
  r.get('/mode', route(() => ({ body: { mode: 'READWRITE' } })));

  r.get(
    '/subjects',
    route((req) => ({ body: store.listSubjects({ deleted: flag(req, 'deleted'), deletedOnly: flag(req, 'deletedOnly'), prefix: text(req, 'subjectPrefix') }) })),
  );
  r.get('/subjects/:subject/versions', route((req) => ({ body: store.listVersions(param(req, 'subject'), { deleted: flag(req, 'deleted') }) })));
  r.post('/subjects/:subject/versions', route((req) => ({ body: { id: store.register(param(req, 'subject'), schemaBody(req)) } })));
  r.get(
    '/subjects/:subject/versions/:version',
    route((req) => ({ body: versionBody(inFormat(req, store, store.getVersion(param(req, 'subject'), param(req, 'version'), { deleted: flag(req, 'deleted') }))) })),
  );
  r.get(
    '/subjects/:subject/versions/:version/schema',
    route((req) => ({ body: store.getVersion(param(req, 'subject'), param(req, 'version'), { deleted: flag(req, 'deleted') }).schema, raw: true })),
  );
  r.get('/subjects/:subject/versions/:version/referencedby', route((req) => ({ body: store.referencedBy(param(req, 'subject'), param(req, 'version')) })));
  r.post(
    '/subjects/:subject',
    route((req) => ({ body: versionBody(store.lookup(param(req, 'subject'), schemaBody(req), { deleted: flag(req, 'deleted') })) })),
  );
  r.delete('/subjects/:subject', route((req) => ({ body: store.deleteSubject(param(req, 'subject'), flag(req, 'permanent')) })));
  r.delete('/subjects/:subject/versions/:version', route((req) => ({ body: store.deleteVersion(param(req, 'subject'), param(req, 'version'), flag(req, 'permanent')) })));

  r.get(
    '/schemas',
    route((req) => ({
      body: store
        .listSchemas({ deleted: flag(req, 'deleted'), latestOnly: flag(req, 'latestOnly'), prefix: text(req, 'subjectPrefix') })
        .map(versionBody),
    })),
  );
  r.get('/schemas/ids/:id', route((req) => ({ body: contentBody(inFormat(req, store, store.schemaById(schemaId(req)))) })));
  r.get('/schemas/ids/:id/schema', route((req) => ({ body: store.schemaById(schemaId(req)).schema, raw: true })));
  r.get('/schemas/ids/:id/versions', route((req) => ({ body: store.versionsOfId(schemaId(req), { deleted: flag(req, 'deleted') }) })));
  r.get(
    '/schemas/ids/:id/subjects',
    route((req) => ({ body: [...new Set(store.versionsOfId(schemaId(req), { deleted: flag(req, 'deleted') }).map((v) => v.subject))] })),
  );

  r.post('/compatibility/subjects/:subject/versions', route((req) => compatibilityBody(req, store.compatibilityProblems(param(req, 'subject'), undefined, schemaBody(req)))));
  r.post(
    '/compatibility/subjects/:subject/versions/:version',
    route((req) => compatibilityBody(req, store.compatibilityProblems(param(req, 'subject'), param(req, 'version'), schemaBody(req)))),
  );

  r.get('/config', route(() => ({ body: { compatibilityLevel: store.getGlobalLevel() } })));
  r.put(
    '/config',
    route((req) => {
      const level = levelBody(req);
      store.setLevel(null, level);
      return { body: { compatibility: level } };
    }),
  );
  r.delete('/config', route(() => ({ body: { compatibilityLevel: store.resetGlobalLevel() } })));
  r.get(
    '/config/:subject',
    route((req) => {
      const subject = param(req, 'subject');
      const own = store.getSubjectLevel(subject);
      if (own !== undefined) return { body: { compatibilityLevel: own } };
      if (flag(req, 'defaultToGlobal')) return { body: { compatibilityLevel: store.getGlobalLevel() } };
      throw new RegistryError('SUBJECT_LEVEL_CONFIG_NOT_CONFIGURED', `Subject '${subject}' does not have subject-level compatibility configured`);
    }),
  );
  r.put(
    '/config/:subject',
    route((req) => {
      const level = levelBody(req);
      store.setLevel(param(req, 'subject'), level);
      return { body: { compatibility: level } };
    }),
  );
  r.delete('/config/:subject', route((req) => ({ body: { compatibilityLevel: store.deleteSubjectLevel(param(req, 'subject')) } })));
  return r;
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(REGISTRY_CONTENT_TYPE).send(JSON.stringify(body));
}

function sendError(res: Response, error: unknown): void {
  if (isRegistryError(error)) {
    send(res, error.httpStatus, error.toBody());
    return;
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    send(res, status, { error_code: status, message: (error as Error).message });
    return;
  }
  log.error({ err: error }, 'schema registry request failed');
  send(res, 500, { error_code: 500, message: `Internal Server Error: ${(error as Error).message}` });
}

/**
 * `?format=serialized`: a PROTOBUF schema as a base64 FileDescriptorProto,
 * the form Confluent's clients read; other formats and types as stored.
 */
function inFormat<T extends SchemaContent>(req: Request, store: SchemaStore, content: T): T {
  if (text(req, 'format') !== 'serialized' || content.schemaType !== 'PROTOBUF') return content;
  return { ...content, schema: serializedSchema(content.schema, store.referencedSchemas(content.references)) };
}

function versionBody(v: StoredVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...contentBody(v) };
}

/** Confluent leaves out `schemaType` for AVRO and `references` when there are none. */
function contentBody(content: SchemaContent): Record<string, unknown> {
  return {
    ...(content.schemaType === 'AVRO' ? {} : { schemaType: content.schemaType }),
    ...(content.references.length === 0 ? {} : { references: content.references }),
    schema: content.schema,
  };
}

function compatibilityBody(req: Request, problems: string[]): { body: unknown } {
  return { body: { is_compatible: problems.length === 0, ...(flag(req, 'verbose') ? { messages: problems } : {}) } };
}

function jsonBody(req: Request): Record<string, unknown> {
  const textBody = typeof req.body === 'string' ? req.body : '';
  let body: unknown;
  try {
    body = JSON.parse(textBody);
  } catch (error) {
    throw new RegistryError('BAD_REQUEST', `The request body is not JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RegistryError('BAD_REQUEST', 'The request body is not a JSON object');
  return body as Record<string, unknown>;
}

function schemaBody(req: Request): SchemaContent {
  const body = jsonBody(req);
  const schema = body['schema'];
  if (typeof schema !== 'string' || schema === '') throw new RegistryError('INVALID_SCHEMA', 'Empty schema');
  const schemaType = body['schemaType'] ?? 'AVRO';
  if (!isSchemaType(schemaType)) throw new RegistryError('INVALID_SCHEMA', `Invalid schema type ${JSON.stringify(schemaType)}: expected one of ${SCHEMA_TYPES.join(', ')}`);
  return { schema, schemaType, references: references(body['references'] ?? []) };
}

function references(value: unknown): SchemaReference[] {
  if (!Array.isArray(value)) throw new RegistryError('INVALID_SCHEMA', 'Invalid schema: references is not an array');
  return value.map((ref: unknown) => {
    const { name, subject, version } = (ref ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof subject !== 'string' || typeof version !== 'number' || !Number.isInteger(version) || (version < 1 && version !== -1)) {
      throw new RegistryError('INVALID_SCHEMA', `Invalid schema: a reference needs a name, a subject and a version: ${JSON.stringify(ref)}`);
    }
    return { name, subject, version };
  });
}

function levelBody(req: Request): ReturnType<SchemaStore['levelOf']> {
  const given = jsonBody(req)['compatibility'];
  const level = typeof given === 'string' ? given.toUpperCase() : given;
  if (!isCompatibilityLevel(level)) throw new RegistryError('INVALID_COMPATIBILITY_LEVEL', `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`);
  return level;
}

function schemaId(req: Request): number {
  const text = param(req, 'id');
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw new RegistryError('SCHEMA_NOT_FOUND', `Schema ${text} not found`);
  return id;
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

function flag(req: Request, name: string): boolean {
  return text(req, name)?.toLowerCase() === 'true';
}

function text(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}
