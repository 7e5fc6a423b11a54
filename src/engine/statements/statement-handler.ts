/**
 * A statement handler: runs one kind of statement against the ports it
 * needs and returns ksqlDB's entity, later when it waited on a log that
 * answers later (Kafka); on the embedded log always at once. The table of handlers is keyed by every
 * statement kind, so a new kind does not compile until it has one.
 */
import type { MaybeAsync } from '../../common/maybe-async.js';
import type { StatementKind, StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import type { KsqlEntity } from '../entities.js';
import type { Session } from '../session.js';

export type StatementHandler<K extends StatementKind> = (stmt: StatementOfKind<K>, ports: EnginePorts, session: Session) => MaybeAsync<KsqlEntity>;

export type StatementHandlers = { readonly [K in StatementKind]: StatementHandler<K> };
