/** The text `ksqlite-server --help` prints, with the exit codes the README lists. */
export const SERVER_USAGE = `Usage: ksqlite-server [options] [config-file]

Serves ksqlDB's REST API (and a Kafka-protocol listener and a Schema Registry)
over an embedded log kept in one data directory, or on a Kafka cluster.

Options:
  -p, --port <port>               port of the REST API (default 8088; 0 picks a free one)
      --host <address>            address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
      --data-dir <dir>            where the log and state live (default ./data)
  -c, --config <file>             ksqlDB server properties (ksql-server.properties; or name
                                  the file alone, as ksql-server-start takes it)
      --shutdown-timeout-ms <ms>  how long a stop waits for open requests (default 5000)
      --schema-registry-port <p>  embedded Schema Registry port (default 8081; 0 turns it off)
      --kafka-port <port>         Kafka-protocol listener port (default 9092; 0 turns it off)
      --kafka-advertised-host <h> host the Kafka listener tells clients to connect to
      --kafka-bootstrap <h:p,...> run on this Kafka cluster instead of the embedded log
                                  (also bootstrap.servers in the --config file; no Kafka
                                  listener or embedded Schema Registry then)
      --accept-data-loss          open a log whose write-ahead log lost committed transactions
      --start-fresh               start empty when a used data directory's database is gone
      --log-level <level>         fatal, error, warn, info (default), debug, trace or silent
      --queries-file <file>       headless mode: run this SQL file's statements at start and take
                                  no statements over the REST API (also ksql.queries.file)
  -h, --help                      print this help and exit
  -V, --version                   print the version and exit

Environment: KSQLITE_PORT, KSQLITE_HOST, KSQLITE_DATA_DIR, KSQLITE_SHUTDOWN_TIMEOUT_MS,
KSQLITE_SCHEMA_REGISTRY_PORT, KSQLITE_KAFKA_PORT, KSQLITE_KAFKA_ADVERTISED_HOST, KSQLITE_KAFKA_BOOTSTRAP,
KSQLITE_ACCEPT_DATA_LOSS, KSQLITE_START_FRESH, KSQLITE_LOG_LEVEL; KSQL_OPTS holds
-Dname=value settings that override the config file's, as for ksqlDB.

Exit codes: 0 stopped cleanly (or --help, --version); 1 could not start or failed
(port in use, unusable data directory, damaged log); 2 bad command line or settings.
`;
