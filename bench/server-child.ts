/**
 * A server process for the benchmark: `bare` (node:http answering fixed JSON), `mock` (the
 * snowflake-auth-mock server on the default world), `replay <dir>` (`serve --replay` of a recording)
 * or `proxy <upstream> <dir>` (the recording proxy in record mode). Prints `ready <port>` when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from '../server/index.ts';
import { startRecordingProxy } from '../record/proxy.ts';
import { createReplayEngine } from '../record/replay.ts';
import { readRecording } from '../record/store.ts';

const mode = process.argv[2];

if (mode === 'bare') {
  // Roughly the size of the mock's SELECT 1 ResultSet, so both write similar bytes.
  const body = JSON.stringify({ resultSetMetaData: { numRows: 1, format: 'jsonv2', rowType: [{ name: '1', type: 'fixed' }] }, data: [['1']], code: '090001', sqlState: '00000', statementHandle: '01b2c3d4-0000-4000-8000-000000000000', message: 'Statement executed successfully.', createdOn: 0, pad: 'x'.repeat(300) });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
} else if (mode === 'mock') {
  const server = await startServer({ port: 0, seed: 1, ...(process.env.JOURNAL ? { journalCapacity: Number(process.env.JOURNAL) } : {}) });
  console.log(`ready ${server.port}`);
} else if (mode === 'replay') {
  const server = await startServer({ port: 0, handler: createReplayEngine(readRecording(process.argv[3]!)) });
  console.log(`ready ${server.port}`);
} else if (mode === 'proxy') {
  const proxy = await startRecordingProxy({ upstream: process.argv[3]!, out: process.argv[4]!, port: 0, mode: 'record', log: () => {} });
  console.log(`ready ${proxy.port}`);
  // The manifest is written on a stop signal, like `record` does.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void proxy.close().finally(() => process.exit(0)));
} else {
  console.error('usage: server-child.ts bare|mock|replay <dir>|proxy <upstream> <dir>');
  process.exit(2);
}

// Exit normally on a stop signal, so tools like --cpu-prof get to write their output.
if (mode !== 'proxy') for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
