/**
 * Broadcasting, one to many: one presenter, N viewers joining and leaving live. Two ways to fan out, chosen with the
 * `variant` parameter: `direct` (the presenter's WebRtcEndpoint connected straight to every viewer's endpoint, as
 * Kurento's one2many tutorial does) or `dispatcher` (a DispatcherOneToMany: the presenter's HubPort is the source,
 * every viewer has its own HubPort). The presenter is a synthetic red source, so each viewer's tile proves by its
 * colour that it shows the presenter.
 *
 * The colour helpers at the top are shared with the other hub labs (group-call.ts, routing.ts).
 */
import type { DispatcherOneToMany, HubPort, KurentoClient, MediaObject, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { call, create, js, required } from '../core/kurento';
import { localize, type CheckResult, type EventFilter, type ExpectedEvent, type LabContext, type LabDefinition, type LabEvent, type Localized, type WebRtcPeer } from './framework/types';
import { negotiate } from './framework/webrtc';

// Shared by the hub labs ---------------------------------------------------------------------------------------------

/** A synthetic source a viewer's tile can be matched to: a solid colour and a tone. */
export interface TestColour {
  key: string;
  name: Localized;
  hex: string;
  /** Tone frequency in Hz. */
  frequency: number;
}

export const RED: TestColour = { key: 'red', name: { en: 'red', 'zh-Hans': '红色' }, hex: '#d32f2f', frequency: 440 };
export const GREEN: TestColour = { key: 'green', name: { en: 'green', 'zh-Hans': '绿色' }, hex: '#2e7d32', frequency: 554 };
export const BLUE: TestColour = { key: 'blue', name: { en: 'blue', 'zh-Hans': '蓝色' }, hex: '#1565c0', frequency: 659 };
export const AMBER: TestColour = { key: 'amber', name: { en: 'amber', 'zh-Hans': '琥珀色' }, hex: '#f9a825', frequency: 784 };
const PALETTE: readonly TestColour[] = [RED, GREEN, BLUE, AMBER];

/**
 * How far (per RGB channel, 0–255) a sampled tile may be from its source's colour. VP8 and the YUV 4:2:0 round trip
 * move a solid colour by a few units; the palette colours are more than 70 apart on at least one channel.
 */
export const COLOUR_TOLERANCE = 48;

type Rgb = { r: number; g: number; b: number };

function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}

function channelDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
}

function nearestColour(sample: Rgb): TestColour {
  let best = PALETTE[0] ?? RED;
  for (const colour of PALETTE) if (channelDistance(sample, rgbOf(colour.hex)) < channelDistance(sample, rgbOf(best.hex))) best = colour;
  return best;
}

/**
 * Checks that each video slot shows the colour of the source it should show: the sampled centre of the tile must be
 * within COLOUR_TOLERANCE of that colour, and nearer to it than to any other test colour. The detail lists every slot
 * as `viewer-1 ✓ red #d32f2f rgb(210,48,47)` (or `✗ … ≠ …`), which the end-to-end tests read.
 */
export function colourCheck(context: LabContext, wanted: ReadonlyArray<{ slot: string; colour: TestColour }>): CheckResult {
  let ok = true;
  const parts = wanted.map(({ slot, colour }) => {
    const sample = context.sampleColor(slot);
    if (!sample) {
      ok = false;
      return `${slot} ✗ ${localize({ en: 'no picture yet', 'zh-Hans': '还没有画面' }, context.locale)}`;
    }
    const rgb = `rgb(${sample.r},${sample.g},${sample.b})`;
    const good = nearestColour(sample) === colour && channelDistance(sample, rgbOf(colour.hex)) <= COLOUR_TOLERANCE;
    if (!good) ok = false;
    return good ? `${slot} ✓ ${localize(colour.name, context.locale)} ${colour.hex} ${rgb}` : `${slot} ✗ ${rgb} ≠ ${localize(colour.name, context.locale)} ${colour.hex}`;
  });
  return { ok, detail: parts.join('; ') };
}

/** Frames a slot has decoded so far. */
export function framesOf(context: LabContext, slot: string): number {
  return context.media(slot).framesDecoded;
}

/** The first recorded event matching `filter` at or after `since` (ms of the run), if any. */
export function eventSince(context: LabContext, filter: EventFilter, since: number): LabEvent | undefined {
  return context.recorded(filter).find((event) => event.t >= since);
}

/** Waits for an event matching `filter` recorded at or after `since`; rejects after `timeout` ms. */
export async function waitForEventSince(context: LabContext, filter: EventFilter, since: number, timeout = 10000): Promise<LabEvent> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = eventSince(context, filter, since);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`${filter.type}${filter.source ? ` on ${filter.source}` : ''} did not arrive within ${Math.round(timeout / 1000)} s`);
    }
    await context.sleep(100);
  }
}

/**
 * The id of an object as ElementConnectionData carries it: KMS sends ids (strings); a client that turned them into
 * objects would hand over something with an `id`.
 */
export function idOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/** release() in the callback form (the promise form of kurento-client 7.3 swallows errors). */
export function release(object: MediaObject): Promise<void> {
  return call<void>((done) => object.release(done));
}

/** The WebRtcEndpoint events the hub labs record besides the graph's own (connections and media flow). */
export const ENDPOINT_EVENTS = ['IceComponentStateChanged', 'IceCandidateFound', 'IceGatheringDone', 'NewCandidatePairSelected', 'MediaStateChanged', 'Error'] as const;

// The lab ------------------------------------------------------------------------------------------------------------

type Variant = 'direct' | 'dispatcher';

interface Viewer {
  index: number;
  role: string;
  endpoint: WebRtcEndpoint;
  peer: WebRtcPeer;
  port?: HubPort;
  left: boolean;
}

interface State {
  client?: KurentoClient;
  pipeline?: MediaPipeline;
  presenter?: WebRtcEndpoint;
  presenterPeer?: WebRtcPeer;
  hub?: DispatcherOneToMany;
  presenterPort?: HubPort;
  viewers: Viewer[];
  leaver?: Viewer;
  /** framesDecoded of each remaining viewer when one left. */
  framesAtLeave: Record<string, number>;
  /** Object id → role, to name what getSinkConnections returns. */
  roles: Record<string, string>;
}

const MAX_VIEWERS = 6;

function variantOf(params: Record<string, number | string>): Variant {
  return params.variant === 'dispatcher' ? 'dispatcher' : 'direct';
}

function viewerCount(params: Record<string, number | string>): number {
  const count = Math.round(Number(params.viewers ?? 3));
  return Number.isFinite(count) ? Math.min(MAX_VIEWERS, Math.max(1, count)) : 3;
}

/** The viewer who leaves: viewer-2 when there is one. */
function leavingIndex(count: number): number {
  return count >= 2 ? 2 : 1;
}

function remaining(state: State): Viewer[] {
  return state.viewers.filter((viewer) => !viewer.left);
}

async function joinViewer(context: LabContext, state: State, index: number, variant: Variant): Promise<Viewer> {
  const pipeline = required(state.pipeline, 'pipeline');
  const presenter = required(state.presenter, 'presenter');
  const role = `viewer-${index}`;
  const [endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  state.roles[endpoint.id] = role;
  await context.observe(endpoint, role, ENDPOINT_EVENTS);
  let port: HubPort | undefined;
  if (variant === 'direct') {
    await call<void>((done) => presenter.connect(endpoint, done));
  } else {
    const hub = required(state.hub, 'hub');
    [port] = await create<HubPort>((done) => hub.createHubPort(done));
    state.roles[port.id] = `port-${index}`;
    await context.observe(port, `port-${index}`, [], 'dispatcher');
    const viewerPort = port;
    await call<void>((done) => viewerPort.connect(endpoint, done));
  }
  const peer = await context.peer(role, { mode: 'recvonly', remoteVideo: role });
  await negotiate(context, peer, endpoint, role);
  return { index, role, endpoint, peer, port, left: false };
}

const VIEWER_FLOWS: ExpectedEvent[] = Array.from({ length: MAX_VIEWERS }, (_, i) => {
  const role = `viewer-${i + 1}`;
  if (i === 0) return flowExpectations(role, ['VIDEO'])[0] as ExpectedEvent;
  return {
    id: `${role}:flow-in-VIDEO`,
    label: { en: `${role}: MediaFlowInStateChanged VIDEO → FLOWING (when the lab has ${i + 1} viewers or more)`, 'zh-Hans': `${role}：MediaFlowInStateChanged VIDEO → FLOWING（观众数不少于 ${i + 1} 时）` },
    lane: 'kms',
    source: role,
    type: 'MediaFlowInStateChanged',
    where: { mediaType: 'VIDEO', state: 'FLOWING' },
    optional: true,
  };
});

export const broadcasting: LabDefinition<State> = {
  id: 'broadcasting',
  title: { en: 'Broadcasting: one presenter, many viewers', 'zh-Hans': '广播：一个主播，多个观众' },
  summary: {
    en: 'A red presenter and up to six viewers in this page. The presenter\'s media fans out inside KMS, either straight from its WebRtcEndpoint to every viewer\'s endpoint, or through a DispatcherOneToMany. Viewers join one by one, one leaves, the others keep playing.',
    'zh-Hans': '同一页面里有一个红色主播和最多六个观众。主播的媒体在 KMS 内部分发：要么从它的 WebRtcEndpoint 直接连到每个观众的端点，要么经过 DispatcherOneToMany。观众逐个加入，其中一个离开，其他人照常播放。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'DispatcherOneToMany', 'HubPort'],
  params: [
    { id: 'viewers', label: { en: 'Viewers', 'zh-Hans': '观众数' }, kind: 'number', default: 3, min: 1, max: MAX_VIEWERS },
    {
      id: 'variant',
      label: { en: 'Fan-out', 'zh-Hans': '分发方式' },
      kind: 'choice',
      default: 'direct',
      choices: [
        { value: 'direct', label: { en: 'direct: presenterEp.connect(viewerEp)', 'zh-Hans': '直连：presenterEp.connect(viewerEp)' } },
        { value: 'dispatcher', label: { en: 'DispatcherOneToMany with HubPorts', 'zh-Hans': 'DispatcherOneToMany 加 HubPort' } },
      ],
    },
  ],
  createState: () => ({ viewers: [], framesAtLeave: {}, roles: {} }),
  steps: [
    {
      id: 'presenter',
      title: { en: 'The presenter starts broadcasting', 'zh-Hans': '主播开始广播' },
      explain: {
        en: 'One pipeline for the broadcast, one WebRtcEndpoint for the presenter, negotiated with a send-only browser peer. The presenter here is a synthetic red picture with a 440 Hz tone, so every viewer can be checked by colour. With the dispatcher variant, the presenter\'s endpoint also feeds a HubPort of a DispatcherOneToMany, which becomes the hub\'s source.',
        'zh-Hans': '整个广播用一个管道，主播用一个 WebRtcEndpoint，与浏览器中只发送的 peer 协商。这里的主播是一个合成的红色画面加 440 Hz 音调，所以每个观众看到的是不是主播，按颜色就能检查。选择 dispatcher 方式时，主播的端点还要连到 DispatcherOneToMany 的一个 HubPort 上，这个端口就是集线器的源。',
      },
      code: ({ kmsUrl, iceServers, params }) => {
        const hub =
          variantOf(params) === 'dispatcher'
            ? `
    // Dispatcher variant: the presenter feeds one HubPort, the source of the hub.
    pipeline.create('DispatcherOneToMany', (error, hub) => {
      if (error) return onError(error);
      hub.createHubPort((error, presenterPort) => {
        if (error) return onError(error);
        presenterEp.connect(presenterPort, (error) => {
          if (error) return onError(error);
          // presenterPort is the real object here. With promises, \`await hub.createHubPort()\` resolves to a
          // plain copy in kurento-client 7.3, and setSource() would send that copy as JSON instead of its id.
          hub.setSource(presenterPort, onError);
        });
      });
    });`
            : `
    // Direct variant: nothing else to create; each viewer will be connected to presenterEp.`;
        return `kurentoClient(${js(kmsUrl)}, (error, client) => {
  if (error) return onError(error);
  client.create('MediaPipeline', (error, pipeline) => {
    if (error) return onError(error);
    pipeline.create('WebRtcEndpoint', (error, presenterEp) => {
      if (error) return onError(error);
      const presenterPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
        localVideo: document.getElementById('presenter'),
        configuration: { iceServers: ${js(iceServers)} },
      }, (error) => {
        if (error) return onError(error);
        // Candidates both ways, generateOffer → processOffer → processAnswer → gatherCandidates, as in Hello World.
        negotiate(presenterPeer, presenterEp);
      });${hub}
    });
  });
});`;
      },
      run: async (context, state) => {
        const variant = variantOf(context.params);
        state.client = await context.connect();
        const client = state.client;
        const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
        context.own(pipeline);
        state.pipeline = pipeline;
        await context.observe(pipeline, 'pipeline', []);
        const [presenter] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
        state.presenter = presenter;
        state.roles[presenter.id] = 'presenter';
        await context.observe(presenter, 'presenter', ENDPOINT_EVENTS);
        if (variant === 'dispatcher') {
          const [hub] = await create<DispatcherOneToMany>((done) => pipeline.create('DispatcherOneToMany', done));
          state.hub = hub;
          await context.observe(hub, 'dispatcher', []);
          const [port] = await create<HubPort>((done) => hub.createHubPort(done));
          state.presenterPort = port;
          state.roles[port.id] = 'presenter-port';
          await context.observe(port, 'presenter-port', [], 'dispatcher');
          await call<void>((done) => presenter.connect(port, done));
          await call<void>((done) => hub.setSource(port, done));
        }
        const stream = context.testSource({ color: RED.hex, label: 'presenter', frequency: RED.frequency });
        state.presenterPeer = await context.peer('presenter', { mode: 'sendonly', localVideo: 'presenter', videoStream: stream });
        await negotiate(context, state.presenterPeer, presenter, 'presenter');
      },
      check: (context) => {
        const connected = context.recorded({ lane: 'browser', source: 'presenter', type: 'connectionstatechange', where: { state: 'connected' } }).length > 0;
        const colour = colourCheck(context, [{ slot: 'presenter', colour: RED }]);
        return { ok: connected && colour.ok, detail: `connectionState ${connected ? 'connected' : 'new/connecting'}; ${colour.detail}` };
      },
      checkTimeout: 15000,
    },
    {
      id: 'viewers',
      title: { en: 'Viewers join one by one', 'zh-Hans': '观众逐个加入' },
      explain: {
        en: 'Each viewer gets its own WebRtcEndpoint and a receive-only browser peer. Direct variant: the presenter\'s endpoint is connected to it, so the presenter has one more sink each time (one ElementConnected per media type). Dispatcher variant: a new HubPort of the hub is connected to it; the hub sends its source to every port. A late viewer needs a key frame to start decoding: KMS asks the presenter\'s browser for one.',
        'zh-Hans': '每个观众都有自己的 WebRtcEndpoint 和一个只接收的浏览器 peer。直连方式：把主播的端点 connect 到它，主播每次多一个下游（每种媒体类型一个 ElementConnected）。dispatcher 方式：从集线器新建一个 HubPort 并连到它，集线器会把源发给每个端口。后加入的观众需要一个关键帧才能开始解码：KMS 会向主播的浏览器请求。',
      },
      code: ({ iceServers, params }) => `for (let i = 1; i <= ${viewerCount(params)}; i++) joinViewer('viewer-' + i);

function joinViewer(id) {
  pipeline.create('WebRtcEndpoint', (error, viewerEp) => {
    if (error) return onError(error);
${
  variantOf(params) === 'dispatcher'
    ? `    hub.createHubPort((error, port) => {
      if (error) return onError(error);
      port.connect(viewerEp, onError);     // the hub sends its source to every port
    });`
    : `    presenterEp.connect(viewerEp, onError); // one more sink for the presenter`
}
    const viewerPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
      remoteVideo: document.getElementById(id),
      configuration: { iceServers: ${js(iceServers)} },
    }, (error) => {
      if (error) return onError(error);
      negotiate(viewerPeer, viewerEp);
    });
  });
}`,
      run: async (context, state) => {
        const variant = variantOf(context.params);
        const count = viewerCount(context.params);
        for (let index = 1; index <= count; index += 1) state.viewers.push(await joinViewer(context, state, index, variant));
      },
      check: (context, state) => {
        const frames = state.viewers.map((viewer) => ({ role: viewer.role, frames: framesOf(context, viewer.role) }));
        return { ok: frames.every((entry) => entry.frames > 0), detail: frames.map((entry) => `${entry.role} framesDecoded ${entry.frames}`).join('; ') };
      },
      checkTimeout: 20000,
    },
    {
      id: 'colours',
      title: { en: 'Every viewer shows the presenter', 'zh-Hans': '每个观众看到的都是主播' },
      explain: {
        en: 'The lab samples the centre of every viewer\'s tile: it must be the presenter\'s red, within a small tolerance for the video codec. This proves each viewer receives the presenter, not just some video.',
        'zh-Hans': '实验对每个观众画面的中心取样：它必须是主播的红色（允许视频编码带来的少量偏差）。这证明每个观众收到的确实是主播，而不只是“某个视频”。',
      },
      code: () => `// In the lab: context.sampleColor('viewer-1') → { r, g, b }, compared with the presenter's #d32f2f.`,
      run: async (context, state) => {
        await Promise.all(state.viewers.map((viewer) => context.waitForPlayback(viewer.role, 15000)));
      },
      check: (context, state) => colourCheck(context, state.viewers.map((viewer) => ({ slot: viewer.role, colour: RED }))),
    },
    {
      id: 'leave',
      title: { en: 'A viewer leaves; the others keep playing', 'zh-Hans': '一个观众离开，其他人继续播放' },
      explain: {
        en: 'The leaving viewer\'s endpoint is released (with the dispatcher, its HubPort too) and its browser peer disposed. Releasing an element disconnects it first, so the element that fed it raises ElementDisconnected. Nothing else changes: the presenter and the other viewers never notice.',
        'zh-Hans': '释放离开者的端点（dispatcher 方式下还有它的 HubPort），并销毁它的浏览器 peer。释放一个元素之前 KMS 会先断开它，所以给它供流的元素会触发 ElementDisconnected。其余一切不变：主播和其他观众都察觉不到。',
      },
      code: ({ params }) => `// ${`viewer-${leavingIndex(viewerCount(params))}`} leaves
viewerEp.release(onError);${variantOf(params) === 'dispatcher' ? '\nport.release(onError);' : ''}
viewerPeer.dispose();`,
      run: async (context, state) => {
        const leaver = required(
          state.viewers.find((viewer) => viewer.index === leavingIndex(state.viewers.length)),
          'leaving viewer',
        );
        state.leaver = leaver;
        const since = context.now();
        const feeder = leaver.port ? `port-${leaver.index}` : 'presenter';
        await release(leaver.endpoint);
        if (leaver.port) await release(leaver.port);
        leaver.peer.dispose();
        leaver.left = true;
        for (const viewer of remaining(state)) state.framesAtLeave[viewer.role] = framesOf(context, viewer.role);
        await waitForEventSince(context, { lane: 'kms', source: feeder, type: 'ElementDisconnected', where: { mediaType: 'VIDEO' } }, since, 5000);
      },
      check: (context, state) => {
        const others = remaining(state);
        if (others.length === 0) return { ok: true, detail: localize({ en: 'no viewer left', 'zh-Hans': '已没有观众' }, context.locale) };
        const moving = others.map((viewer) => ({ role: viewer.role, more: framesOf(context, viewer.role) - (state.framesAtLeave[viewer.role] ?? 0) }));
        const colour = colourCheck(context, others.map((viewer) => ({ slot: viewer.role, colour: RED })));
        return {
          ok: moving.every((entry) => entry.more >= 10) && colour.ok,
          detail: `${moving.map((entry) => `${entry.role} +${entry.more} frames`).join(', ')}; ${colour.detail}`,
        };
      },
    },
    {
      id: 'fanout',
      title: { en: 'Ask KMS for the fan-out', 'zh-Hans': '向 KMS 查询分发关系' },
      explain: {
        en: 'getSinkConnections lists where an element sends its media, one entry per sink and media type, with ids. Direct variant: the presenter has one VIDEO sink per remaining viewer. Dispatcher variant: the presenter has one sink, its HubPort, and each remaining viewer\'s port feeds that viewer. The Pipeline tab draws the same picture.',
        'zh-Hans': 'getSinkConnections 列出一个元素把媒体送到哪里：每个下游、每种媒体类型一条，用 id 表示。直连方式：主播对每个剩下的观众都有一条 VIDEO 连接。dispatcher 方式：主播只有一个下游，即它的 HubPort，每个剩下观众的端口各自连到该观众。“管道”页签画出的是同一张图。',
      },
      code: ({ params }) =>
        variantOf(params) === 'dispatcher'
          ? `presenterEp.getSinkConnections('VIDEO', (error, connections) => {
  // [{ source: presenterEp.id, sink: presenterPort.id, type: 'VIDEO', … }]
});
port.getSinkConnections('VIDEO', (error, connections) => {
  // [{ source: port.id, sink: viewerEp.id, type: 'VIDEO', … }] for each remaining viewer's port
});`
          : `presenterEp.getSinkConnections('VIDEO', (error, connections) => {
  // one entry per remaining viewer: { source: presenterEp.id, sink: viewerEp.id, type: 'VIDEO', … }
  console.log(connections.map((c) => c.sink));
});`,
      run: async () => undefined,
      check: async (context, state) => {
        const presenter = required(state.presenter, 'presenter');
        const name = (id: string): string => state.roles[id] ?? id;
        const sinksOf = async (element: WebRtcEndpoint | HubPort): Promise<string[]> => {
          const connections = await call<Array<{ sink: unknown }>>((done) => element.getSinkConnections('VIDEO', done));
          return connections.map((connection) => idOf(connection.sink));
        };
        const others = remaining(state);
        const presenterSinks = await sinksOf(presenter);
        if (!state.presenterPort) {
          const wanted = others.map((viewer) => viewer.endpoint.id).sort();
          const ok = presenterSinks.length === wanted.length && [...presenterSinks].sort().every((id, i) => id === wanted[i]);
          return { ok, detail: `presenter → ${presenterSinks.map(name).join(', ') || '∅'} (VIDEO)` };
        }
        const port = state.presenterPort;
        const branches = await Promise.all(
          others.map(async (viewer) => ({ viewer, sinks: viewer.port ? await sinksOf(viewer.port) : [] })),
        );
        const ok = presenterSinks.length === 1 && presenterSinks[0] === port.id && branches.every((branch) => branch.sinks.length === 1 && branch.sinks[0] === branch.viewer.endpoint.id);
        return {
          ok,
          detail: `presenter → ${presenterSinks.map(name).join(', ')}; ${branches.map((branch) => `port-${branch.viewer.index} → ${branch.sinks.map(name).join(', ') || '∅'}`).join('; ')} (VIDEO)`,
        };
      },
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('presenter', { ready: 'optional' }),
    {
      id: 'presenter-connected',
      label: { en: 'presenter: ElementConnected VIDEO', 'zh-Hans': 'presenter：ElementConnected VIDEO' },
      lane: 'kms',
      source: 'presenter',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      within: 20000,
      hint: {
        en: 'The presenter\'s endpoint was never connected: direct variant, presenterEp.connect(viewerEp) for each viewer; dispatcher variant, presenterEp.connect(presenterPort).',
        'zh-Hans': '主播的端点一直没有被连接：直连方式下要为每个观众调用 presenterEp.connect(viewerEp)；dispatcher 方式下要调用 presenterEp.connect(presenterPort)。',
      },
    },
    {
      id: 'presenter-flow-out',
      label: { en: 'presenter: MediaFlowOutStateChanged VIDEO → FLOWING', 'zh-Hans': 'presenter：MediaFlowOutStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'presenter',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['presenter:connected', 'presenter-connected'],
      within: 15000,
      hint: {
        en: 'The presenter\'s endpoint passes no video into the pipeline: its browser is not sending (check the presenter tile), or nothing is connected to it yet.',
        'zh-Hans': '主播的端点没有向管道输出视频：要么它的浏览器没有发送（看主播的画面），要么还没有任何元素连接到它。',
      },
    },
    {
      id: 'port-flow-out',
      label: { en: 'port-1: MediaFlowOutStateChanged VIDEO → FLOWING (dispatcher variant)', 'zh-Hans': 'port-1：MediaFlowOutStateChanged VIDEO → FLOWING（dispatcher 方式）' },
      lane: 'kms',
      source: 'port-1',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      optional: true,
    },
    ...VIEWER_FLOWS,
    {
      id: 'viewer-left',
      label: { en: 'ElementDisconnected VIDEO (a viewer left)', 'zh-Hans': 'ElementDisconnected VIDEO（有观众离开）' },
      lane: 'kms',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['viewer-1:flow-in-VIDEO'],
      hint: {
        en: 'Releasing the viewer\'s endpoint disconnects it from the element that fed it (the presenter, or the viewer\'s HubPort), which raises ElementDisconnected.',
        'zh-Hans': '释放观众的端点时，KMS 会先把它与给它供流的元素（主播或该观众的 HubPort）断开，由那个元素触发 ElementDisconnected。',
      },
    },
  ],
  completion: {
    en: 'Complete when every viewer showed the presenter\'s colour, the remaining viewers kept playing after one left, and getSinkConnections matched the fan-out.',
    'zh-Hans': '当每个观众都显示出主播的颜色、一个观众离开后其余观众继续播放、且 getSinkConnections 与分发关系一致时完成。',
  },
};
