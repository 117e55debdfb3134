/**
 * `npm run bench -- <kms|labs|fanout|codec> [options]`: speed and memory measurements. Targets live here, not in
 * timed unit tests; each bench prints a table and says whether the target was met.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPOSITE_TARGET_PERCENT, benchCodec, compositeTargetMet } from './codec';
import { benchFanout } from './fanout';
import { benchKms, type KmsBenchResult } from './kms';
import { benchLabs } from './labs';

function table(rows: readonly object[]): void {
  console.table(rows);
}

async function main(): Promise<void> {
  const [which, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      sessions: { type: 'string' },
      receivers: { type: 'string' },
      seconds: { type: 'string' },
      runs: { type: 'string' },
      'no-suite': { type: 'boolean' },
      'result-file': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  switch (which) {
    case 'kms': {
      const counts = (values.sessions ?? '1,10,30').split(',').map(Number);
      const seconds = Number(values.seconds ?? 15);
      if (values['result-file']) {
        // One row, in a process of its own (below).
        writeFileSync(values['result-file'], JSON.stringify(await benchKms(counts[0] ?? 1, seconds)));
        break;
      }
      const rows: KmsBenchResult[] = [];
      for (const count of counts) {
        console.log(`kms bench: ${count} loopback session(s), ${seconds} s window…`);
        rows.push(await kmsRowInOwnProcess(count, seconds));
        table(rows.map(({ slowestSession: _slowest, ...row }) => row));
      }
      for (const { sessions, slowestSession: slow } of rows) {
        console.log(`N=${sessions}, slowest session: signaling done at ${slow.signaledMs} ms, connected at ${slow.connectedMs} ms, first frame at ${slow.firstFrameMs} ms`);
      }
      const worst = rows[rows.length - 1];
      if (worst) {
        const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
        console.log(
          `target ≥ 30 sessions with 0 loss: ${met(worst.sessions >= 30 && worst.lossPercent === 0)}; first returned frame ≤ 300 ms: ` +
            `median ${met(rows.every((row) => row.firstFrameMedianMs <= 300))}, every session ${met(rows.every((row) => row.firstFrameMaxMs <= 300))}`,
        );
      }
      break;
    }
    case 'labs': {
      const result = await benchLabs(Number(values.runs ?? 10), values['no-suite'] !== true);
      console.log('where the time goes (median ms after the click, first occurrence of each mark per run):');
      for (const phase of result.phases) console.log(`  ${String(phase.medianMs).padStart(5)}  ${phase.what}`);
      console.log(`hello-world, click Run → remote video playing, ${result.runs} runs (ms):`, result.clickToVideoMs.all.join(', '));
      console.log(`median ${result.clickToVideoMs.median} ms (min ${result.clickToVideoMs.min}, max ${result.clickToVideoMs.max}); target ≤ 500 ms: ${result.clickToVideoMs.median <= 500 ? 'met' : 'NOT met'}`);
      if (result.e2eSuiteSeconds !== undefined) console.log(`end-to-end lab suite (tests/e2e/labs.spec.ts): ${result.e2eSuiteSeconds} s`);
      break;
    }
    case 'fanout': {
      const counts = (values.receivers ?? '1,10,50').split(',').map(Number);
      const seconds = Number(values.seconds ?? 15);
      const rows = [];
      for (const count of counts) {
        console.log(`fanout bench: one VP8 + Opus source to ${count} receiver(s), ${seconds} s window…`);
        rows.push(await benchFanout(count, seconds));
        table(rows);
      }
      break;
    }
    case 'codec': {
      const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
      const rows = await benchCodec(Number(values.seconds ?? 15), (row) => console.log(`codec bench: ${row.job} measured`), only);
      table(rows);
      const met = compositeTargetMet(rows);
      console.log(`target: a 4-party Composite ≤ ${COMPOSITE_TARGET_PERCENT} % of one core (ffmpeg): ${met === undefined ? 'not measured' : met ? 'met' : 'NOT met'}`);
      break;
    }
    default:
      console.error(
        'usage: npm run bench -- kms [--sessions 1,10,30] [--seconds 15] | fanout [--receivers 1,10,50] [--seconds 15] | codec [--seconds 15] [--only face,zbar,rtp] | labs [--runs 10] [--no-suite]',
      );
      process.exit(2);
  }
  process.exit(0);
}

/**
 * Each row of the kms bench runs in a fresh process, as its KMS does: the peers of one row (their sockets, timers,
 * heap and JIT state) cannot slow the next, and every row starts from the same state.
 */
async function kmsRowInOwnProcess(sessions: number, seconds: number): Promise<KmsBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kms-bench-'));
  const resultFile = path.join(dir, 'row.json');
  try {
    const args = [...process.execArgv, __filename, 'kms', '--sessions', String(sessions), '--seconds', String(seconds), '--result-file', resultFile];
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the ${sessions}-session row failed (exit ${code})`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as KmsBenchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
