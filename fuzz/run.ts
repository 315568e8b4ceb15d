/**
 * `npm run fuzz` (issue #14): fuzzes every endpoint group of an in-process `serve` on 127.0.0.1
 * and prints the figures and every failure with its reproduction.
 *
 *   node fuzz/run.ts [--seed N] [--count N] [--seconds N] [--scale full|small] [--timeout-ms N] [--concurrency N]
 *   node fuzz/run.ts --seed N --replay PATH     re-runs one case (the index a failure names) and shrinks it
 *
 * Exit code 0 when no answer failed the oracle, 1 otherwise, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, formatFailure, formatReport, runFuzz } from './fuzz.ts';

const USAGE = 'usage: node fuzz/run.ts [--seed N] [--count N] [--seconds N] [--scale full|small] [--timeout-ms N] [--concurrency N] [--replay PATH]';

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} ${JSON.stringify(value)} is not a whole number\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      seed: { type: 'string' }, count: { type: 'string' }, seconds: { type: 'string' }, scale: { type: 'string' }, 'timeout-ms': { type: 'string' }, concurrency: { type: 'string' }, replay: { type: 'string' }, help: { type: 'boolean' },
    },
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`fuzz: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const scale = args.scale ?? 'full';
if (scale !== 'full' && scale !== 'small') {
  console.error(`fuzz: --scale is full or small\n${USAGE}`);
  process.exit(2);
}

const seed = number('seed', args.seed, DEFAULT_SEED);
const report = await runFuzz({
  seed, count: number('count', args.count, 100_000), seconds: number('seconds', args.seconds, 900), scale, timeoutMs: number('timeout-ms', args['timeout-ms'], 10_000),
  concurrency: Math.max(1, number('concurrency', args.concurrency, 1)),
  ...(args.replay !== undefined && { replay: args.replay }),
  log: (line) => console.error(line),
});
for (const failure of report.failures) console.log(`${formatFailure(failure, seed)}\n`);
if (report.replay) console.log(`shrunk counterexample: ${report.replay.counterexample}\npath: ${report.replay.path ?? 'none'}\n`);
console.log(formatReport(report));
process.exit(report.failureCount === 0 ? 0 : 1);
