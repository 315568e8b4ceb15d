/**
 * A server process for the benchmark: `bare` (node:http answering fixed JSON), `mock` (the
 * snowflake-auth-mock server on the default world), `replay <dir>` (`serve --replay` of a recording)
 * or `proxy <upstream> <dir>` (the recording proxy in record mode). Prints `ready <port>` when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
  // With an IPC channel (bench/soak.ts), 'stats' answers this process's memory and how full each bounded store is.
  if (process.send) {
    // The heap right after the latest full (mark-compact) GC: about the live data, where RSS and
    // heapUsed also count garbage V8 lets pile up before it next compacts.
    let majorGcs = 0;
    let liveAfterMajorGc = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== perfConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
        majorGcs++;
        liveAfterMajorGc = process.memoryUsage().heapUsed;
      }
    }).observe({ entryTypes: ['gc'] });
    process.on('message', (message) => {
      if (message === 'gc') {
        // Asked once at the end of a soak: a full GC now, and the live heap it leaves (bench only).
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc') as () => void;
        gc();
        gc();
        process.send!({ live: process.memoryUsage().heapUsed, rss: process.memoryUsage.rss() });
        return;
      }
      if (message !== 'stats') return;
      const core = server.core;
      const oauth = core.oauth.size;
      process.send!({
        rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed, cpuUs: process.cpuUsage().user + process.cpuUsage().system, majorGcs, liveAfterMajorGc,
        stores: {
          journal: core.journal.size, statements: core.statements.size, accessTokens: core.stores.oauthTokens.size, refreshTokens: oauth.refreshTokens,
          codes: oauth.codes, sessions: core.sessions.size, decisions: core.stores.decisions?.size ?? 0, verifiedJwts: core.stores.jwt.cacheSize,
        },
      });
    });
  }
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
