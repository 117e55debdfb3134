/**
 * Workshop dashboard: the report rule (validation, limits, rate), and 100 synthetic attendees fed through the real
 * HTTP endpoints (/labs-runtime.json cookie, /workshop/name, /workshop/report) while a trainer follows the
 * server-sent events; bad input gets a clear 4xx and loses nothing; the state survives a restart without the runs
 * that were under way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { RateLimiter, ReportError, isStuck, labSummary, median, validateReport, type AttendeeView, type DashboardSnapshot } from '../../core/workshop';
import { ATTENDEE_COOKIE, TRAINER_COOKIE, WorkshopDashboard } from '../../server/workshop/dashboard';

const good = {
  name: 'Otter-123',
  lab: 'hello-world',
  run: 'r1',
  state: 'running',
  step: 1,
  steps: 4,
  stepId: 'offer',
  missing: [{ en: 'MediaFlowInStateChange FLOWING', 'zh-Hans': 'MediaFlowInStateChange FLOWING' }],
  kms: 'wss://10.0.0.2:3000/kurento',
  elapsedMs: 1200,
};

function refused(body: unknown, field: RegExp): void {
  assert.throws(
    () => validateReport(body),
    (error: unknown) => error instanceof ReportError && error.status === 400 && field.test(error.message),
    `expected a 400 naming ${String(field)}`,
  );
}

test('a report is validated field by field, with the field named', () => {
  assert.equal(validateReport(good).lab, 'hello-world');
  refused([], /JSON object/);
  refused({ ...good, state: 'flying' }, /state must be one of/);
  refused({ ...good, step: 4 }, /step must be an integer from 0 to 3/);
  refused({ ...good, name: 'x'.repeat(41) }, /name is longer than 40/);
  refused({ ...good, lab: '../etc' }, /lab must be an identifier/);
  refused({ ...good, missing: Array.from({ length: 13 }, () => good.missing[0]) }, /more than 12/);
  refused({ ...good, state: 'failed' }, /failed run reports its error/);
  refused({ ...good, error: { code: 'x', message: { en: 'a' } } }, /error\.message\["zh-Hans"\]/);
  refused({ ...good, extra: 1 }, /unknown field extra/);
  refused({ ...good, name: 'a\u0007b' }, /control characters/);
});

test('the rate limiter lets a burst through, then the rate', () => {
  let now = 0;
  const limiter = new RateLimiter(3, 2, () => now);
  assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')], [true, true, true, false]);
  assert.equal(limiter.take('b'), true, 'per key');
  assert.equal(limiter.retryAfter('a'), 1);
  now += 500;
  assert.equal(limiter.take('a'), true);
  assert.equal(limiter.take('a'), false);
});

test('median and per-lab summary', () => {
  assert.equal(median([]), undefined);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  const cell = (completedInMs?: number) => ({ run: 'r', state: 'complete' as const, step: 0, steps: 1, stepId: 's', missing: [], kms: '', elapsedMs: 0, startedAt: 0, updatedAt: 0, ...(completedInMs === undefined ? {} : { completedInMs }) });
  const attendees: AttendeeView[] = [
    { id: '1', name: 'a', lastSeen: 0, labs: { x: cell(1000) } },
    { id: '2', name: 'b', lastSeen: 0, labs: { x: cell(3000) } },
    { id: '3', name: 'c', lastSeen: 0, labs: { x: cell() } },
  ];
  assert.deepEqual(labSummary(attendees, 'x'), { finished: 2, medianMs: 2000 });
  // Stuck: running, with no change for N minutes; a finished run never is.
  const running = { ...cell(), state: 'running' as const, updatedAt: 0 };
  assert.equal(isStuck(running, 4 * 60_000, 5), false);
  assert.equal(isStuck(running, 5 * 60_000, 5), true);
  assert.equal(isStuck({ ...running, state: 'failed' }, 60 * 60_000, 5), false);
});

const ORIGIN = 'https://127.0.0.1:3000';

async function serve(dashboard: WorkshopDashboard): Promise<{ server: Server; base: string }> {
  // The routes as server/main.ts wires them into the site (the same handlers).
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/labs-runtime.json') {
      dashboard.attendeeOf(req, res);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ workshop: { reports: true } }));
    } else if (pathname.startsWith('/workshop/')) void dashboard.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A trainer's event stream, parsed: the latest snapshot with every pushed change applied. */
async function follow(base: string, token: string): Promise<{ state: () => DashboardSnapshot; events: () => number; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/workshop/trainer/events`, { headers: { Cookie: `${TRAINER_COOKIE}=${token}` }, signal: controller.signal });
  assert.equal(response.status, 200);
  let state: DashboardSnapshot = { attendees: [], banner: '', pool: [], notices: [] };
  let count = 0;
  let buffer = '';
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          count += 1;
          const parsed = JSON.parse(data) as unknown;
          if (event === 'snapshot') state = parsed as DashboardSnapshot;
          if (event === 'banner') state = { ...state, banner: (parsed as { text: string }).text };
          if (event === 'attendees') {
            const byId = new Map(state.attendees.map((attendee) => [attendee.id, attendee]));
            for (const attendee of parsed as AttendeeView[]) byId.set(attendee.id, attendee);
            state = { ...state, attendees: [...byId.values()] };
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return { state: () => state, events: () => count, close: () => controller.abort() };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('100 attendees report through the real endpoints; the trainer sees them all live; the state survives a restart', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-workshop-'));
  const stateFile = path.join(dir, 'state.json');
  const dashboard = new WorkshopDashboard({ stateFile, origins: [ORIGIN], log: () => undefined });
  const { server, base } = await serve(dashboard);
  try {
    // Without the trainer cookie, nothing.
    assert.equal((await fetch(`${base}/workshop/trainer/events`)).status, 401);
    const trainer = await follow(base, dashboard.trainerToken);

    const post = (url: string, cookie: string, body: unknown, origin: string | null = ORIGIN): Promise<Response> =>
      fetch(`${base}${url}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(origin ? { Origin: origin } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    const started = Date.now();
    const attendees = await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const runtime = await fetch(`${base}/labs-runtime.json`);
        const cookie = (runtime.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        assert.match(cookie, new RegExp(`^${ATTENDEE_COOKIE}=[A-Za-z0-9_-]{20,}$`));
        const name = `attendee-${String(index).padStart(3, '0')}`;
        assert.equal((await post('/workshop/name', cookie, { name })).status, 200);
        for (const [step, state] of [
          [0, 'running'],
          [1, 'running'],
          [2, index % 10 === 0 ? 'failed' : 'complete'],
        ] as const) {
          const report = { ...good, name, run: `run-${index}`, step, steps: 3, stepId: `s${step}`, state, elapsedMs: 1000 * (step + 1) + index, ...(state === 'failed' ? { error: { code: 'ice-failed', message: { en: 'ICE failed', 'zh-Hans': 'ICE 失败' } } } : {}) };
          const response = await post('/workshop/report', cookie, report);
          assert.equal(response.status, 200, await response.text());
        }
        return { cookie, name };
      }),
    );
    await until(() => trainer.state().attendees.filter((attendee) => attendee.labs['hello-world']?.state !== 'running' && attendee.labs['hello-world'] !== undefined).length === 100, 10_000, 'the trainer to see 100 finished runs');
    const fed = Date.now() - started;
    const view = trainer.state();
    assert.equal(view.attendees.length, 100);
    const failed = view.attendees.filter((attendee) => attendee.labs['hello-world']?.state === 'failed');
    assert.equal(failed.length, 10);
    assert.equal(failed[0]?.labs['hello-world']?.error?.message.en, 'ICE failed');
    assert.equal(labSummary(view.attendees, 'hello-world').finished, 90);
    // 500 requests in; changes are batched, so the trainer gets far fewer events than reports.
    console.log(`100 attendees × 5 requests: trainer view complete after ${fed} ms, ${trainer.events()} server-sent events`);
    assert.ok(trainer.events() < 200, `batched pushes (${trainer.events()} events)`);

    // Bad input: a clear 4xx, and the attendee's state is untouched.
    const { cookie } = attendees[1] ?? assert.fail();
    const before = JSON.stringify(dashboard.snapshot().attendees.find((attendee) => attendee.name === 'attendee-001'));
    const bad = await post('/workshop/report', cookie, { ...good, step: 99 });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /step must be an integer/);
    assert.equal((await post('/workshop/report', cookie, '{not json')).status, 400);
    assert.equal((await post('/workshop/report', cookie, { ...good, name: 'x', missing: [{ en: 'y'.repeat(9000), 'zh-Hans': 'y' }] })).status, 413);
    assert.equal((await post('/workshop/report', cookie, good, null)).status, 403, 'no Origin: refused');
    assert.equal((await post('/workshop/report', cookie, good, 'https://evil.example')).status, 403);
    assert.equal(JSON.stringify(dashboard.snapshot().attendees.find((attendee) => attendee.name === 'attendee-001')), before);

    // The rate: a burst beyond it is answered 429 with Retry-After.
    let limited: Response | undefined;
    for (let index = 0; index < 60 && !limited; index += 1) {
      const response = await post('/workshop/report', cookie, { ...good, name: 'attendee-001', lab: 'player' });
      if (response.status === 429) limited = response;
    }
    assert.ok(limited, 'a burst is rate-limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);

    // The banner reaches attendees' streams.
    const attendeeStream = await fetch(`${base}/workshop/events`, { headers: { Cookie: cookie } });
    const reader = (attendeeStream.body as ReadableStream<Uint8Array>).getReader();
    const banner = await fetch(`${base}/workshop/trainer/banner`, { method: 'POST', headers: { Origin: ORIGIN, Cookie: `${TRAINER_COOKIE}=${dashboard.trainerToken}` }, body: JSON.stringify({ text: 'Open the recording lab' }) });
    assert.equal(banner.status, 200);
    let seen = '';
    while (!seen.includes('Open the recording lab')) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.equal((await post('/workshop/trainer/banner', cookie, { text: 'hijack' })).status, 401, 'attendees cannot broadcast');

    // A run under way when the server stops is not kept; everything else is.
    await post('/workshop/report', attendees[2]?.cookie ?? '', { ...good, name: 'attendee-002', lab: 'recording', run: 'x9' });
    trainer.close();
    dashboard.close();
    const again = new WorkshopDashboard({ stateFile, origins: [ORIGIN], log: () => undefined });
    try {
      const restored = again.snapshot();
      assert.equal(restored.attendees.length, 100);
      assert.equal(restored.banner, 'Open the recording lab');
      const two = restored.attendees.find((attendee) => attendee.name === 'attendee-002');
      assert.equal(two?.labs.recording, undefined, 'the run under way is not kept');
      assert.equal(two?.labs['hello-world']?.state, 'complete');
      assert.equal(again.trainerToken, dashboard.trainerToken, 'the trainer token is kept');
    } finally {
      again.close();
    }
  } finally {
    dashboard.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});
