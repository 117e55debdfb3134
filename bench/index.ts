/**
 * `npm run bench -- <kms|peers|labs|fanout|codec|pages|build> [options]`: speed and memory measurements. Targets live
 * here, not in timed unit tests; each bench prints a table and says whether the target was met.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_TARGET_SECONDS, benchBuild } from './build';
import { COMPOSITE_TARGET_PERCENT, FACE_TARGET_PERCENT, benchCodec, compositeTargetMet, faceTargetMet } from './codec';
import { FREEZE_DEFINITION, MIN_RETURNED_PERCENT } from './delivery';
import { benchFanout } from './fanout';
import { benchKms, type KmsBenchResult } from './kms';
import { JANUS_BINARY, janusInstalled } from './janus';
import { FIRST_VIDEO_TARGET_MS, benchLabs } from './labs';
import { PAGES_TARGET, benchPages } from './pages';
import { STEADY_AFTER_MS, benchPeersSide, peersSummary, type PeersServer, type PeersSideResult } from './peers';

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
      server: { type: 'string' },
      only: { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
  });
  // The KMS processes the benches start (npm run kms, npm start) take it from the environment, rows included.
  if (values.workers !== undefined) {
    if (!/^\d+$/.test(values.workers)) throw new Error('--workers takes a number of worker threads (0: none)');
    process.env.KMS_WORKERS = values.workers;
  }
  switch (which) {
    case 'kms': {
      const counts = (values.sessions ?? '1,10,30').split(',').map(Number);
      const seconds = Number(values.seconds ?? 15);
      const runs = Number(values.runs ?? 1);
      if (values['result-file']) {
        // One row, in a process of its own (below).
        writeFileSync(values['result-file'], JSON.stringify(await benchKms(counts[0] ?? 1, seconds)));
        break;
      }
      const rows: KmsBenchResult[] = [];
      for (const count of counts) {
        for (let run = 1; run <= runs; run += 1) {
          console.log(`kms bench: ${count} loopback session(s), ${seconds} s window${runs > 1 ? `, run ${run} of ${runs}` : ''}…`);
          rows.push(await kmsRowInOwnProcess(count, seconds));
          table(rows.map(({ slowestSession: _slowest, ...row }) => row));
        }
      }
      for (const { sessions, slowestSession: slow } of rows) {
        console.log(`N=${sessions}, slowest session: signaling done at ${slow.signaledMs} ms, connected at ${slow.connectedMs} ms, first frame at ${slow.firstFrameMs} ms`);
      }
      console.log(FREEZE_DEFINITION);
      const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
      for (const count of counts) {
        const ofCount = rows.filter((row) => row.sessions === count);
        const failed = ofCount.filter((row) => !row.delivered);
        console.log(
          `N=${count}: returned ÷ sent ≥ ${MIN_RETURNED_PERCENT} % and 0 freezes in every run: ${met(failed.length === 0)} ` +
            `(${ofCount.length - failed.length} of ${ofCount.length} runs; returned ${ofCount.map((row) => `${row.returnedPercent} %`).join(', ')}; freezes ${ofCount.map((row) => row.freezes).join(', ')})`,
        );
      }
      const largest = rows.filter((row) => row.sessions === Math.max(...counts));
      if (largest.length > 0) {
        console.log(
          `target ≥ 30 sessions with 0 loss, returned ÷ sent ≥ ${MIN_RETURNED_PERCENT} % and 0 freezes: ${met(largest.every((row) => row.sessions >= 30 && row.lossPercent === 0 && row.delivered))}; first returned frame ≤ 300 ms: ` +
            `median ${met(rows.every((row) => row.firstFrameMedianMs <= 300))}, every session ${met(rows.every((row) => row.firstFrameMaxMs <= 300))}`,
        );
      }
      break;
    }
    case 'peers': {
      const counts = (values.sessions ?? '1,10,30').split(',').map(Number);
      const seconds = Number(values.seconds ?? 15);
      const runs = Number(values.runs ?? 2);
      if (values['result-file']) {
        // Killed by the parent after a timeout: exit through process.exit, so that the exit hooks stop the servers.
        process.once('SIGTERM', () => process.exit(143));
        writeFileSync(values['result-file'], JSON.stringify(await benchPeersSide(values.server === 'janus' ? 'janus' : 'kms', counts[0] ?? 1, seconds)));
        break;
      }
      const withJanus = janusInstalled();
      if (!withJanus) console.log(`Janus is not installed (${JANUS_BINARY}): apt-get install janus. Measuring the embedded KMS side only.`);
      const rows: PeersSideResult[] = [];
      for (const count of counts) {
        for (let run = 1; run <= runs; run += 1) {
          // Interleaved run by run, and the first side alternates, so that both meet the same machine.
          const order: PeersServer[] = !withJanus ? ['kms'] : run % 2 === 1 ? ['kms', 'janus'] : ['janus', 'kms'];
          for (const server of order) {
            console.log(`peers bench: ${count} echo session(s) on ${server === 'kms' ? 'the embedded KMS' : 'Janus echotest'}, ${seconds} s window from ${STEADY_AFTER_MS / 1000} s after the first frames, run ${run} of ${runs}…`);
            const args = ['peers', '--server', server, '--sessions', String(count), '--seconds', String(seconds)];
            const timeoutMs = (300 + seconds) * 1000;
            rows.push(
              await rowInOwnProcess<PeersSideResult>(args, `${server} ${count}`, timeoutMs).catch((error: unknown) => {
                // One failed side (a server that did not answer in time) is run again once, and the output says so.
                console.log(`${String(error)}: running it again`);
                return rowInOwnProcess<PeersSideResult>(args, `${server} ${count}`, timeoutMs);
              }),
            );
            table(rows);
          }
        }
      }
      console.log(FREEZE_DEFINITION);
      console.log('CPU per forwarded packet = server process utime + stime (all threads, /proc/<pid>/stat) over the window ÷ packets the peers got back in it; medians over the runs:');
      const summary = peersSummary(rows);
      table(summary);
      for (const row of summary.filter((row) => row.sessions === 10 || row.sessions === 30)) {
        console.log(`N=${row.sessions}: embedded KMS ≤ 2× Janus per forwarded packet: ${withJanus ? (row.ratio <= 2 ? 'met' : 'NOT met') : 'not measured'} (${row.kmsMicros} µs against ${row.janusMicros} µs, ${row.ratio}×)`);
      }
      const failed = rows.filter((row) => !row.delivered);
      console.log(`every run returned ≥ ${MIN_RETURNED_PERCENT} % with 0 freezes: ${failed.length === 0 ? 'met' : `NOT met (${failed.map((row) => `${row.server} N=${row.sessions}: ${row.returnedPercent} %, ${row.freezes} freezes`).join('; ')})`}`);
      break;
    }
    case 'labs': {
      const result = await benchLabs(Number(values.runs ?? 10), values['no-suite'] !== true);
      console.log('where the time goes (median ms after the click, first occurrence of each mark per run):');
      for (const phase of result.phases) console.log(`  ${String(phase.medianMs).padStart(5)}  ${phase.what}`);
      console.log(`hello-world, click Run → remote video playing, ${result.runs} runs (ms):`, result.clickToVideoMs.all.join(', '));
      console.log(`median ${result.clickToVideoMs.median} ms (min ${result.clickToVideoMs.min}, max ${result.clickToVideoMs.max}); target ≤ ${FIRST_VIDEO_TARGET_MS} ms: ${result.clickToVideoMs.median <= FIRST_VIDEO_TARGET_MS ? 'met' : 'NOT met'}`);
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
      console.log(FREEZE_DEFINITION);
      for (const row of rows) {
        console.log(`${row.receivers} receiver(s): returned ÷ sent ≥ ${MIN_RETURNED_PERCENT} % and 0 freezes: ${row.delivered ? 'met' : 'NOT met'} (${row.returnedPercent} %, ${row.freezes} freezes)`);
      }
      break;
    }
    case 'codec': {
      const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
      const rows = await benchCodec(Number(values.seconds ?? 15), (row) => console.log(`codec bench: ${row.job} measured`), only);
      table(rows);
      const met = compositeTargetMet(rows);
      const verdict = (value: boolean | undefined): string => (value === undefined ? 'not measured' : value ? 'met' : 'NOT met');
      console.log(`target: a 4-party Composite ≤ ${COMPOSITE_TARGET_PERCENT} % of one core (ffmpeg): ${verdict(met)}`);
      console.log(`target: a FaceOverlayFilter on 640x480/30 ≤ ${FACE_TARGET_PERCENT} % of one core (its workers): ${verdict(faceTargetMet(rows))}`);
      break;
    }
    case 'build': {
      const { rows, medianSeconds } = await benchBuild(Number(values.runs ?? 1));
      table(rows);
      console.log(`both locales from clean caches: median ${medianSeconds} s; target ≤ ${BUILD_TARGET_SECONDS} s: ${medianSeconds <= BUILD_TARGET_SECONDS ? 'met' : 'NOT met'}`);
      break;
    }
    case 'pages': {
      const only = values.only?.split(',').map((part) => part.trim()).filter(Boolean);
      const rows = await benchPages(Number(values.runs ?? 3), (row) => console.log(`pages bench: ${row.page} measured`), only);
      table(rows);
      const met = rows.every((row) => row.met);
      const which = only?.length ? 'on every page measured' : 'on every page';
      console.log(`target: performance ≥ ${PAGES_TARGET.performance} and accessibility ≥ ${PAGES_TARGET.accessibility} ${which}: ${met ? 'met' : 'NOT met'}`);
      break;
    }
    default:
      console.error(
        'usage: npm run bench -- kms [--sessions 1,10,30] [--seconds 15] [--runs 1] | peers [--sessions 1,10,30] [--runs 2] [--seconds 15] | fanout [--receivers 1,10,50] [--seconds 15] | codec [--seconds 15] [--only face,zbar,rtp] | labs [--runs 10] [--no-suite] | pages [--runs 3] [--only first-app,labs] | build [--runs 1] (every bench that starts a KMS: [--workers N], its worker threads, default one per core)',
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

/** One row of a bench in a fresh process of its own (the `--result-file` form of the same command). */
async function rowInOwnProcess<T>(args: readonly string[], what: string, timeoutMs = 0): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-row-'));
  const resultFile = path.join(dir, 'row.json');
  try {
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...args, '--result-file', resultFile], { stdio: 'inherit' });
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGTERM'), timeoutMs) : undefined;
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    if (code !== 0) throw new Error(`the ${what} row failed (exit ${code}${code === 143 ? `, killed after ${timeoutMs / 1000} s` : ''})`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
