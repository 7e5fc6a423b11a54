/**
 * PROTOBUF through @confluentinc/schemaregistry, unmodified, against a
 * running server's embedded registry: the client registers a schema (as a
 * serialized descriptor, as it does) and encodes a record, a ksqlite stream
 * reads it, and the client decodes what a ksqlite CSAS wrote.
 */
import test from 'ava';
import * as confluent from '@confluentinc/schemaregistry';
import { runSqlOrThrow, startServer, stopServer } from './helpers.js';

const SCHEMA = 'syntax = "proto3";\npackage demo;\n\nmessage Reading {\n  string sensor = 1;\n  double value = 2;\n  int64 count = 3;\n}\n';

test('@confluentinc/schemaregistry encodes a Protobuf record a ksqlite stream reads, and decodes what a ksqlite query wrote', async (t) => {
  const h = await startServer(undefined, { schemaRegistryPort: 0 });
  try {
    const { SchemaRegistryClient, ProtobufSerializer, ProtobufDeserializer, SerdeType } = confluent;
    const registryUrl = h.server.schemaRegistry!.url;
    const client = SchemaRegistryClient.newClient({ baseURLs: [registryUrl], cacheCapacity: 1000 });
    // The client builds its message descriptors from registered schemas: register the .proto text, read it back serialized.
    const textId = await client.register('demo-reading', { schemaType: 'PROTOBUF', schema: SCHEMA }, false);
    const info = await client.getBySubjectAndId('demo-reading', textId, 'serialized');
    t.regex(info.schema, /^[A-Za-z0-9+/]+=*$/, 'a base64 FileDescriptorProto');
    const deserializer = new ProtobufDeserializer(client, SerdeType.VALUE, {});
    const file = await deserializer.toFileDesc(client, info);
    const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    serializer.registry.add(file.messages[0]!);
    const bytes: Buffer = await serializer.serialize('readings', { $typeName: 'demo.Reading', sensor: 's1', value: 2.5, count: 7n });
    const registered = await client.getLatestSchemaMetadata('readings-value');
    t.is(bytes[0], 0);
    t.is(bytes.readInt32BE(1), registered.id!);

    h.server.broker.createTopic('readings', { partitions: 1 });
    await runSqlOrThrow(h, "CREATE STREAM READINGS WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='PROTOBUF');");
    await runSqlOrThrow(h, "CREATE STREAM DOUBLED WITH (KAFKA_TOPIC='doubled', VALUE_FORMAT='PROTOBUF') AS SELECT SENSOR, VALUE * 2 AS TWICE, COUNT FROM READINGS;");
    h.server.broker.append('readings', [{ key: null, value: bytes, timestamp: 1 }]);
    let written: Buffer | null = null;
    for (let i = 0; i < 200 && written === null; i++) {
      written = h.server.broker.read('doubled', 0, 0, { maxRecords: 1 })[0]?.value ?? null;
      if (written === null) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    t.not(written, null);
    const fresh = SchemaRegistryClient.newClient({ baseURLs: [registryUrl], cacheCapacity: 1000 });
    const decoded = await new ProtobufDeserializer(fresh, SerdeType.VALUE, {}).deserialize('doubled', written!);
    t.like(decoded, { $typeName: 'ConnectDefault1', SENSOR: 's1', TWICE: 5, COUNT: 7n });
  } finally {
    await stopServer(h);
  }
});
