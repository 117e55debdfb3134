/**
 * `npm run bench -- <kms|labs|fanout|codec> [options]`: speed and memory measurements. Targets live here, not in
 * timed unit tests; each bench prints a table and says whether the target was met.
 */
import { parseArgs } from 'node:util';
import { COMPOSITE_TARGET_PERCENT, benchCodec, compositeTargetMet } from './codec';
import { benchFanout } from './fanout';
import { benchKms } from './kms';
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
    },
    strict: true,
  });
  switch (which) {
    case 'kms': {
      const counts = (values.sessions ?? '1,10,30').split(',').map(Number);
      const seconds = Number(values.seconds ?? 15);
      const rows = [];
      for (const count of counts) {
        console.log(`kms bench: ${count} loopback session(s), ${seconds} s window…`);
        rows.push(await benchKms(count, seconds));
        table(rows);
      }
      const worst = rows[rows.length - 1];
      if (worst) {
        console.log(
          `target ≥ 30 sessions with 0 loss: ${worst.sessions >= 30 && worst.lossPercent === 0 ? 'met' : 'NOT met'}; ` +
            `first returned frame ≤ 300 ms (median): ${rows.every((row) => row.firstFrameMedianMs <= 300) ? 'met' : 'NOT met'}`,
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
      const rows = await benchCodec(Number(values.seconds ?? 15), (row) => console.log(`codec bench: ${row.job} measured`));
      table(rows);
      const met = compositeTargetMet(rows);
      console.log(`target: a 4-party Composite ≤ ${COMPOSITE_TARGET_PERCENT} % of one core (ffmpeg): ${met === undefined ? 'not measured' : met ? 'met' : 'NOT met'}`);
      break;
    }
    default:
      console.error(
        'usage: npm run bench -- kms [--sessions 1,10,30] [--seconds 15] | fanout [--receivers 1,10,50] [--seconds 15] | codec [--seconds 15] | labs [--runs 10] [--no-suite]',
      );
      process.exit(2);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
