/**
 * kafkajs' sockets with TCP_NODELAY, as Kafka's own clients open theirs.
 * kafkajs leaves Nagle's algorithm on: a request written while an earlier
 * one on the connection is unacknowledged then waits for the peer's delayed
 * ACK (about 40 ms on Linux), and a task commit, a chain of small requests
 * (a transaction: AddPartitionsToTxn, Produce, AddOffsetsToTxn,
 * TxnOffsetCommit, EndTxn), pays that wait again and again.
 */
import { createRequire } from 'node:module';
import type { ISocketFactory } from 'kafkajs';

const require = createRequire(import.meta.url);
const kafkajsSocketFactory = require('kafkajs/src/network/socketFactory') as () => ISocketFactory;

export function noDelaySocketFactory(): ISocketFactory {
  const open = kafkajsSocketFactory();
  return (options) => {
    const socket = open(options);
    socket.setNoDelay(true);
    return socket;
  };
}
