/**
 * Broadcasting, one to many: one presenter, N viewers joining and leaving live. Two ways to fan out, chosen with the
 * `variant` parameter: `direct` (the presenter's WebRtcEndpoint connected straight to every viewer's endpoint, as
 * Kurento's one2many tutorial does) or `dispatcher` (a DispatcherOneToMany: the presenter's HubPort is the source,
 * every viewer has its own HubPort). The presenter is a synthetic red source, so each viewer's tile proves by its
 * colour that it shows the presenter. The program is labs/programs/broadcasting.js.
 */
import { RED, colourCheck, framesOf, idOf, movingCheck, nameOfId } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { localize, type CheckResult, type ExpectedEvent, type LabDefinition, type LabView } from './framework/types';

const MAX_VIEWERS = 6;

function viewerCount(view: LabView): number {
  const count = Math.round(Number(view.params.viewers ?? 3));
  return Number.isFinite(count) ? Math.min(MAX_VIEWERS, Math.max(1, count)) : 3;
}

/** The tiles of the viewers the program made: viewer-1 … viewer-N. */
function viewerTiles(view: LabView): string[] {
  return Array.from({ length: viewerCount(view) }, (_, index) => `viewer-${index + 1}`);
}

/** The viewers still there: the keys of the program's viewerEps. */
function remainingViewers(view: LabView): string[] {
  const endpoints = view.read('viewerEps');
  return endpoints && typeof endpoints === 'object' ? Object.keys(endpoints).sort() : [];
}

function idOfObject(value: unknown): string | undefined {
  return value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : undefined;
}

/** The sink ids of a getSinkConnections answer the program stored. */
function sinkIds(connections: unknown): string[] | undefined {
  return Array.isArray(connections) ? connections.map((connection: { sink?: unknown }) => idOf(connection.sink)) : undefined;
}

function fanoutCheck(view: LabView): CheckResult {
  const name = (id: string): string => nameOfId(view, id);
  const presenterSinks = sinkIds(view.read('presenterSinks'));
  if (!presenterSinks) return { ok: false, detail: 'presenterSinks …' };
  const endpoints = (view.read('viewerEps') ?? {}) as Record<string, unknown>;
  const remaining = remainingViewers(view);
  const presenterPort = idOfObject(view.read('presenterPort'));
  if (view.params.variant !== 'dispatcher' || !presenterPort) {
    const wanted = remaining.map((viewer) => idOfObject(endpoints[viewer]) ?? '').sort();
    const ok = presenterSinks.length === wanted.length && [...presenterSinks].sort().every((id, index) => id === wanted[index]);
    return { ok, detail: `presenterEp → ${presenterSinks.map(name).join(', ') || '∅'} (VIDEO)` };
  }
  const ports = (view.read('viewerPorts') ?? {}) as Record<string, unknown>;
  const portSinks = (view.read('portSinks') ?? {}) as Record<string, unknown>;
  const branches = remaining.map((viewer) => {
    const port = idOfObject(ports[viewer]);
    const sinks = sinkIds(portSinks[viewer]);
    const ok = sinks !== undefined && sinks.length === 1 && sinks[0] === idOfObject(endpoints[viewer]);
    return { ok, text: `${port ? name(port) : viewer} → ${sinks ? sinks.map(name).join(', ') || '∅' : '…'}` };
  });
  const ok = presenterSinks.length === 1 && presenterSinks[0] === presenterPort && branches.every((branch) => branch.ok);
  return { ok, detail: `${[`presenterEp → ${presenterSinks.map(name).join(', ') || '∅'}`, ...branches.map((branch) => branch.text)].join('; ')} (VIDEO)` };
}

const VIEWER_FLOWS: ExpectedEvent[] = Array.from({ length: MAX_VIEWERS }, (_, i) => {
  const source = `viewerEps.viewer-${i + 1}`;
  if (i === 0) return flowExpectations(source, ['VIDEO'])[0] as ExpectedEvent;
  return {
    id: `${source}:flow-in-VIDEO`,
    label: { en: `${source}: MediaFlowInStateChanged VIDEO → FLOWING (when the lab has ${i + 1} viewers or more)`, 'zh-Hans': `${source}：MediaFlowInStateChanged VIDEO → FLOWING（观众数不少于 ${i + 1} 时）` },
    lane: 'kms',
    source,
    type: 'MediaFlowInStateChanged',
    where: { mediaType: 'VIDEO', state: 'FLOWING' },
    optional: true,
  };
});

export const broadcasting: LabDefinition = {
  id: 'broadcasting',
  title: { en: 'Broadcasting: one presenter, many viewers', 'zh-Hans': '广播：一个主播，多个观众' },
  summary: {
    en: 'A red presenter and up to six viewers in this page. The presenter\'s media fans out inside KMS, either straight from its WebRtcEndpoint to every viewer\'s endpoint, or through a DispatcherOneToMany. Viewers join, one leaves, the others keep playing.',
    'zh-Hans': '同一页面里有一个红色主播和最多六个观众。主播的媒体在 KMS 内部分发：要么从它的 WebRtcEndpoint 直接连到每个观众的端点，要么经过 DispatcherOneToMany。观众加入，其中一个离开，其他人照常播放。',
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
  program: () => import('./programs/broadcasting.js?raw').then((module) => module.default),
  page: {
    videos: [{ id: 'presenter', label: { en: 'The presenter (presenterVideo)', 'zh-Hans': '主播（presenterVideo）' }, muted: true }],
  },
  steps: [
    {
      id: 'presenter',
      title: { en: 'The presenter starts broadcasting', 'zh-Hans': '主播开始广播' },
      explain: {
        en: 'One pipeline for the broadcast, one WebRtcEndpoint for the presenter, negotiated with a send-only browser peer. The presenter here is a synthetic red picture with a 440 Hz tone (testSource), so every viewer can be checked by colour. With the dispatcher variant, the presenter\'s endpoint also feeds a HubPort of a DispatcherOneToMany, which becomes the hub\'s source.',
        'zh-Hans': '整个广播用一个管道，主播用一个 WebRtcEndpoint，与浏览器中只发送的 peer 协商。这里的主播是一个合成的红色画面加 440 Hz 音调（testSource），所以每个观众看到的是不是主播，按颜色就能检查。选择 dispatcher 方式时，主播的端点还要连到 DispatcherOneToMany 的一个 HubPort 上，这个端口就是集线器的源。',
      },
      sets: ['client', 'pipeline', 'presenterEp', 'presenterPeer'],
      check: (view) => {
        const connected = view.recorded({ lane: 'browser', source: 'presenterPeer', type: 'connectionstatechange', where: { state: 'connected' } }).length > 0;
        const colour = colourCheck(view, [{ video: 'presenter', colour: RED }]);
        let hub = true;
        let hubDetail = '';
        if (view.params.variant === 'dispatcher') {
          hub = view.graph().links.some((link) => link.source === 'presenterEp' && link.sink === 'presenterPort' && link.mediaType === 'VIDEO');
          hubDetail = `; presenterEp → presenterPort ${hub ? '✓' : '…'}`;
        }
        return { ok: connected && colour.ok && hub, detail: `connectionState ${connected ? 'connected' : 'new/connecting'}${hubDetail}; ${colour.detail}` };
      },
    },
    {
      id: 'viewers',
      title: { en: 'Viewers join', 'zh-Hans': '观众加入' },
      explain: {
        en: 'Each viewer gets its own WebRtcEndpoint and a receive-only browser peer (and a tile, made with addVideo). Direct variant: the presenter\'s endpoint is connected to it, so the presenter has one more sink each time (one ElementConnected per media type). Dispatcher variant: a new HubPort of the hub is connected to it; the hub sends its source to every port. A viewer that joins late needs a key frame to start decoding: KMS asks the presenter\'s browser for one.',
        'zh-Hans': '每个观众都有自己的 WebRtcEndpoint 和一个只接收的浏览器 peer（以及用 addVideo 建的一个画面）。直连方式：把主播的端点 connect 到它，主播每次多一个下游（每种媒体类型一个 ElementConnected）。dispatcher 方式：从集线器新建一个 HubPort 并连到它，集线器会把源发给每个端口。后加入的观众需要一个关键帧才能开始解码：KMS 会向主播的浏览器请求。',
      },
      check: (view) => {
        const frames = viewerTiles(view).map((tile) => ({ tile, frames: framesOf(view, tile) }));
        return { ok: frames.every((entry) => entry.frames > 0), detail: frames.map((entry) => `${entry.tile} framesDecoded ${entry.frames}`).join('; ') };
      },
      timeout: 30000,
    },
    {
      id: 'colours',
      title: { en: 'Every viewer shows the presenter', 'zh-Hans': '每个观众看到的都是主播' },
      explain: {
        en: 'The lab samples the centre of every viewer\'s tile: it must be the presenter\'s red, within a small tolerance for the video codec. This proves each viewer receives the presenter, not just some video.',
        'zh-Hans': '实验对每个观众画面的中心取样：它必须是主播的红色（允许视频编码带来的少量偏差）。这证明每个观众收到的确实是主播，而不只是“某个视频”。',
      },
      check: (view) => colourCheck(view, viewerTiles(view).map((tile) => ({ video: tile, colour: RED }))),
    },
    {
      id: 'leave',
      title: { en: 'A viewer leaves; the others keep playing', 'zh-Hans': '一个观众离开，其他人继续播放' },
      explain: {
        en: 'The leaving viewer (viewer-2, or viewer-1 when it is alone) has its endpoint released (with the dispatcher, its HubPort too) and its browser peer disposed. Releasing an element disconnects it first, so the element that fed it raises ElementDisconnected. Nothing else changes: the presenter and the other viewers never notice, and the lab checks that their tiles go on decoding the presenter\'s red.',
        'zh-Hans': '离开的观众（viewer-2；只有一个观众时是 viewer-1）的端点被释放（dispatcher 方式下还有它的 HubPort），其浏览器 peer 被销毁。释放一个元素之前 KMS 会先断开它，所以给它供流的元素会触发 ElementDisconnected。其余一切不变：主播和其他观众都察觉不到，实验检查他们的画面仍在解码主播的红色。',
      },
      sets: ['leaver'],
      expects: ['viewer-left'],
      check: (view) => {
        const others = remainingViewers(view);
        if (others.length === 0) return { ok: true, detail: localize({ en: 'no viewer left', 'zh-Hans': '已没有观众' }, view.locale) };
        const left = view.recorded({ lane: 'kms', type: 'ElementDisconnected', where: { mediaType: 'VIDEO' } }).at(-1);
        const moving = movingCheck(view, others, left?.t ?? view.now());
        const colour = colourCheck(view, others.map((tile) => ({ video: tile, colour: RED })));
        return { ok: moving.ok && colour.ok, detail: `${moving.detail}; ${colour.detail}` };
      },
    },
    {
      id: 'fanout',
      title: { en: 'Ask KMS for the fan-out', 'zh-Hans': '向 KMS 查询分发关系' },
      explain: {
        en: 'getSinkConnections lists where an element sends its media, one entry per sink and media type, with ids. Direct variant: the presenter has one VIDEO sink per remaining viewer. Dispatcher variant: the presenter has one sink, its HubPort, and each remaining viewer\'s port feeds that viewer. The Pipeline tab draws the same picture.',
        'zh-Hans': 'getSinkConnections 列出一个元素把媒体送到哪里：每个下游、每种媒体类型一条，用 id 表示。直连方式：主播对每个剩下的观众都有一条 VIDEO 连接。dispatcher 方式：主播只有一个下游，即它的 HubPort，每个剩下观众的端口各自连到该观众。“管道”页签画出的是同一张图。',
      },
      sets: ['presenterSinks'],
      check: (view) => fanoutCheck(view),
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('presenterEp', { ready: 'optional' }),
    {
      id: 'presenter-connected',
      label: { en: 'presenterEp: ElementConnected VIDEO', 'zh-Hans': 'presenterEp：ElementConnected VIDEO' },
      lane: 'kms',
      source: 'presenterEp',
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
      label: { en: 'presenterEp: MediaFlowOutStateChanged VIDEO → FLOWING', 'zh-Hans': 'presenterEp：MediaFlowOutStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'presenterEp',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['presenterEp:connected', 'presenter-connected'],
      within: 15000,
      hint: {
        en: 'The presenter\'s endpoint passes no video into the pipeline: its browser is not sending (check the presenter tile), or nothing is connected to it yet.',
        'zh-Hans': '主播的端点没有向管道输出视频：要么它的浏览器没有发送（看主播的画面），要么还没有任何元素连接到它。',
      },
    },
    {
      id: 'port-flow-out',
      label: {
        en: 'viewerPorts.viewer-1: MediaFlowOutStateChanged VIDEO → FLOWING (dispatcher variant)',
        'zh-Hans': 'viewerPorts.viewer-1：MediaFlowOutStateChanged VIDEO → FLOWING（dispatcher 方式）',
      },
      lane: 'kms',
      source: 'viewerPorts.viewer-1',
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
      after: ['viewerEps.viewer-1:flow-in-VIDEO'],
      hint: {
        en: 'Releasing the viewer\'s endpoint disconnects it from the element that fed it (presenterEp, or the viewer\'s HubPort), which raises ElementDisconnected.',
        'zh-Hans': '释放观众的端点时，KMS 会先把它与给它供流的元素（presenterEp 或该观众的 HubPort）断开，由那个元素触发 ElementDisconnected。',
      },
    },
  ],
  completion: {
    en: 'Complete when every viewer showed the presenter\'s colour, the remaining viewers kept playing after one left, and getSinkConnections matched the fan-out.',
    'zh-Hans': '当每个观众都显示出主播的颜色、一个观众离开后其余观众继续播放、且 getSinkConnections 与分发关系一致时完成。',
  },
};
