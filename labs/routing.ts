/**
 * Audio and video routing: three sources (red, green, blue) and two viewers. Part 1, a Dispatcher routes any source
 * port to any viewer port (`connect(source, sink)`) and switches them; part 2, a DispatcherOneToMany switches what
 * every viewer sees with `setSource`; part 3, connect by media type sends the audio of one source with the video of
 * another to one viewer, proved by the colour and by getSourceConnections. The program is labs/programs/routing.js.
 */
import { BLUE, GREEN, RED, colourCheck, idOf, nameOfId, type TestColour } from './framework/colours';
import { flowExpectations } from './framework/expectations';
import type { CheckResult, LabDefinition, LabView } from './framework/types';

type SourceKey = 'red' | 'green' | 'blue';
type ViewerKey = 'viewer-1' | 'viewer-2';

const SOURCES: ReadonlyArray<{ key: SourceKey; colour: TestColour }> = [
  { key: 'red', colour: RED },
  { key: 'green', colour: GREEN },
  { key: 'blue', colour: BLUE },
];
const VIEWERS: readonly ViewerKey[] = ['viewer-1', 'viewer-2'];
const COLOUR: Record<SourceKey, TestColour> = { red: RED, green: GREEN, blue: BLUE };

/** Both viewers must show these sources. */
function showing(view: LabView, wanted: Record<ViewerKey, SourceKey>): CheckResult {
  return colourCheck(
    view,
    VIEWERS.map((key) => ({ video: key, colour: COLOUR[wanted[key]] })),
  );
}

function idIn(view: LabView, variable: string, key: string): string | undefined {
  const objects = view.read(variable) as Record<string, { id?: unknown } | undefined> | undefined;
  const id = objects?.[key]?.id;
  return typeof id === 'string' ? id : undefined;
}

/** getSourceConnections on viewer-1, as the program stored it: one source per media type. */
function byMediaType(view: LabView): CheckResult {
  const connections = view.read('viewer1Sources');
  if (!Array.isArray(connections)) return { ok: false, detail: 'viewer1Sources …' };
  const byType = new Map(connections.map((connection: { type?: unknown; source?: unknown }) => [String(connection.type), idOf(connection.source)]));
  const name = (id: string | undefined): string => (id === undefined ? '∅' : nameOfId(view, id));
  const red = idIn(view, 'sources', 'red');
  const green = idIn(view, 'sources', 'green');
  const wired = red !== undefined && green !== undefined && byType.get('AUDIO') === red && byType.get('VIDEO') === green;
  return { ok: wired, detail: `viewer-1 getSourceConnections: AUDIO ← ${name(byType.get('AUDIO'))}, VIDEO ← ${name(byType.get('VIDEO'))}` };
}

export const routing: LabDefinition = {
  id: 'routing',
  title: { en: 'Audio and video routing: Dispatcher, DispatcherOneToMany, connect by media type', 'zh-Hans': '视音频路由：Dispatcher、DispatcherOneToMany 与按媒体类型连接' },
  summary: {
    en: 'Three coloured sources and two viewers in one pipeline. A Dispatcher routes any source to any viewer, a DispatcherOneToMany switches what everybody sees, and connect(sink, mediaType) combines the audio of one source with the video of another.',
    'zh-Hans': '一个管道里有三个彩色的源和两个观众。Dispatcher 把任意源路由到任意观众，DispatcherOneToMany 切换所有人看到的内容，connect(sink, mediaType) 则把一个源的音频和另一个源的视频组合起来。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'Dispatcher', 'DispatcherOneToMany', 'HubPort'],
  program: () => import('./programs/routing.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'red', label: { en: 'red source (sources.red)', 'zh-Hans': '红色源（sources.red）' }, muted: true },
      { id: 'green', label: { en: 'green source (sources.green)', 'zh-Hans': '绿色源（sources.green）' }, muted: true },
      { id: 'blue', label: { en: 'blue source (sources.blue)', 'zh-Hans': '蓝色源（sources.blue）' }, muted: true },
      { id: 'viewer-1', label: { en: 'viewer-1', 'zh-Hans': 'viewer-1' }, muted: true },
      { id: 'viewer-2', label: { en: 'viewer-2', 'zh-Hans': 'viewer-2' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'members',
      title: { en: 'Three sources and two viewers', 'zh-Hans': '三个源和两个观众' },
      explain: {
        en: 'Three send-only browser peers (red, green and blue pictures, with tones of 440, 554 and 659 Hz) and two receive-only ones, each negotiated with its own WebRtcEndpoint in one pipeline. Nothing is connected yet: the viewers stay black.',
        'zh-Hans': '三个只发送的浏览器 peer（红、绿、蓝三种画面，音调分别为 440、554 和 659 Hz）和两个只接收的 peer，各自与同一管道中自己的 WebRtcEndpoint 协商。此时还没有任何连接：观众画面是黑的。',
      },
      sets: ['client', 'pipeline'],
      check: (view) => {
        const peers = [...SOURCES.map(({ key }) => `sourcePeers.${key}`), ...VIEWERS.map((key) => `viewerPeers.${key}`)];
        const connected = peers.map((peer) => ({
          peer,
          up: view.recorded({ lane: 'browser', source: peer, type: 'connectionstatechange', where: { state: 'connected' } }).length > 0,
        }));
        const previews = colourCheck(
          view,
          SOURCES.map(({ key, colour }) => ({ video: key, colour })),
        );
        return {
          ok: connected.every((entry) => entry.up) && previews.ok,
          detail: `${connected.map((entry) => `${entry.peer} ${entry.up ? 'connected' : '…'}`).join(', ')}; ${previews.detail}`,
        };
      },
    },
    {
      id: 'dispatcher',
      title: { en: 'Part 1 — Dispatcher: route red to viewer-1, green to viewer-2', 'zh-Hans': '第 1 部分 — Dispatcher：把红色路由给 viewer-1，绿色给 viewer-2' },
      explain: {
        en: 'A Dispatcher gets one HubPort per member: each source feeds its port (source.connect(port)), each viewer\'s port feeds the viewer (port.connect(viewer)). Then dispatcher.connect(sourcePort, viewerPort) decides which source goes to which viewer, like a patch panel. No media leaves a viewer port until a route reaches it.',
        'zh-Hans': 'Dispatcher 为每个成员建一个 HubPort：每个源给自己的端口供流（source.connect(port)），每个观众的端口给该观众供流（port.connect(viewer)）。然后由 dispatcher.connect(sourcePort, viewerPort) 决定哪个源送到哪个观众，就像一块配线架。在路由接到某个观众端口之前，它不会输出任何媒体。',
      },
      sets: ['dispatcher'],
      check: (view) => showing(view, { 'viewer-1': 'red', 'viewer-2': 'green' }),
    },
    {
      id: 'dispatcher-switch',
      title: { en: 'Switch: blue to viewer-1, red to viewer-2', 'zh-Hans': '切换：蓝色给 viewer-1，红色给 viewer-2' },
      explain: {
        en: 'Another connect() on the same viewer port replaces its route: the viewer port now takes its media from the new source port. KMS asks the new source for a key frame, and the viewer switches without renegotiating: same WebRTC connection, same stream, another picture.',
        'zh-Hans': '对同一个观众端口再调用一次 connect() 就会替换它的路由：这个观众端口改为从新的源端口取媒体。KMS 会向新源请求一个关键帧，观众无需重新协商即可切换：同一个 WebRTC 连接、同一条流，换了画面。',
      },
      check: (view) => showing(view, { 'viewer-1': 'blue', 'viewer-2': 'red' }),
    },
    {
      id: 'one-to-many',
      title: { en: 'Part 2 — DispatcherOneToMany: everybody sees green', 'zh-Hans': '第 2 部分 — DispatcherOneToMany：所有人都看绿色' },
      explain: {
        en: 'A DispatcherOneToMany with its own ports. Connecting its viewer ports to the viewers replaces the Dispatcher\'s ports upstream of them (a sink pad has one source: ElementDisconnected on dispatcherPorts.viewer-1). setSource(port) sends that port\'s media to every other port of the hub.',
        'zh-Hans': '新建一个 DispatcherOneToMany，并为它建自己的端口。把它的观众端口连到观众上，就替换掉了观众上游原来 Dispatcher 的端口（一个 sink pad 只能有一个源：dispatcherPorts.viewer-1 上触发 ElementDisconnected）。setSource(port) 把该端口的媒体发给集线器的其他所有端口。',
      },
      sets: ['oneToMany'],
      check: (view) => showing(view, { 'viewer-1': 'green', 'viewer-2': 'green' }),
    },
    {
      id: 'one-to-many-switch',
      title: { en: 'setSource: everybody switches to blue', 'zh-Hans': 'setSource：所有人切换到蓝色' },
      explain: {
        en: 'One call switches every viewer. This is the presenter switch of a webinar or a "follow the speaker" view: the receivers keep their connections, only the source port changes.',
        'zh-Hans': '一次调用就切换了所有观众。网络研讨会里切换主讲人、或者“跟随发言人”的视图就是这样：接收者保持各自的连接不变，只换源端口。',
      },
      check: (view) => showing(view, { 'viewer-1': 'blue', 'viewer-2': 'blue' }),
    },
    {
      id: 'by-media-type',
      title: { en: 'Part 3 — The audio of red with the video of green, to viewer-1', 'zh-Hans': '第 3 部分 — 把红色的音频和绿色的视频送给 viewer-1' },
      explain: {
        en: 'connect(sink, mediaType) links one media type only. sources.red.connect(viewer-1, \'AUDIO\') and sources.green.connect(viewer-1, \'VIDEO\') replace the hub port upstream of viewer-1 for each type separately. viewer-1 now shows green and plays red\'s 440 Hz tone; getSourceConnections on viewer-1 lists one source per media type, as ids. viewer-2 stays on the hub (blue).',
        'zh-Hans': 'connect(sink, mediaType) 只连接一种媒体类型。sources.red.connect(viewer-1, \'AUDIO\') 和 sources.green.connect(viewer-1, \'VIDEO\') 按类型分别替换了 viewer-1 上游的集线器端口。viewer-1 现在显示绿色，播放的是红色源的 440 Hz 音调；对 viewer-1 调用 getSourceConnections，会按媒体类型各列出一个源（以 id 表示）。viewer-2 仍由集线器供流（蓝色）。',
      },
      sets: ['viewer1Sources'],
      check: (view) => {
        const wired = byMediaType(view);
        const colours = showing(view, { 'viewer-1': 'green', 'viewer-2': 'blue' });
        return { ok: wired.ok && colours.ok, detail: `${wired.detail}; ${colours.detail}` };
      },
    },
  ],
  expected: [
    ...flowExpectations('viewers.viewer-1', ['VIDEO']),
    ...flowExpectations('viewers.viewer-2', ['VIDEO']),
    {
      id: 'dispatcher-out',
      label: { en: 'dispatcherPorts.viewer-1: MediaFlowOutStateChanged VIDEO → FLOWING', 'zh-Hans': 'dispatcherPorts.viewer-1：MediaFlowOutStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'dispatcherPorts.viewer-1',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      within: 20000,
      hint: {
        en: 'The viewer port sends nothing: it needs a route (dispatcher.connect(sourcePort, viewerPort)), and the source port needs media (source.connect(sourcePort)).',
        'zh-Hans': '观众端口没有输出：它需要一条路由（dispatcher.connect(sourcePort, viewerPort)），源端口也需要有媒体输入（source.connect(sourcePort)）。',
      },
    },
    {
      id: 'dispatcher-replaced',
      label: {
        en: 'dispatcherPorts.viewer-1: ElementDisconnected VIDEO (replaced by the DispatcherOneToMany port)',
        'zh-Hans': 'dispatcherPorts.viewer-1：ElementDisconnected VIDEO（被 DispatcherOneToMany 的端口取代）',
      },
      lane: 'kms',
      source: 'dispatcherPorts.viewer-1',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['dispatcher-out'],
    },
    {
      id: 'one-to-many-out',
      label: { en: 'oneToManyPorts.viewer-1: MediaFlowOutStateChanged VIDEO → FLOWING', 'zh-Hans': 'oneToManyPorts.viewer-1：MediaFlowOutStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'oneToManyPorts.viewer-1',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['dispatcher-replaced'],
      within: 15000,
      hint: {
        en: 'Nothing leaves the hub: call setSource(port) with a port that receives media. With promises, pass the object createHubPort() returned: kurento-client 7.3 resolves `await hub.createHubPort()` to a plain copy, which setSource sends as JSON instead of an id.',
        'zh-Hans': '集线器没有输出：要用一个有媒体输入的端口调用 setSource(port)。使用 promise 写法时要传 createHubPort() 返回的那个对象：kurento-client 7.3 中 `await hub.createHubPort()` 得到的是普通副本，setSource 会把它当作 JSON 而不是 id 发出去。',
      },
    },
    {
      id: 'audio-from-red',
      label: { en: 'sources.red: ElementConnected AUDIO (to viewer-1)', 'zh-Hans': 'sources.red：ElementConnected AUDIO（连到 viewer-1）' },
      lane: 'kms',
      source: 'sources.red',
      type: 'ElementConnected',
      where: { mediaType: 'AUDIO' },
      after: ['one-to-many-out'],
    },
    {
      id: 'video-from-green',
      label: { en: 'sources.green: ElementConnected VIDEO (to viewer-1)', 'zh-Hans': 'sources.green：ElementConnected VIDEO（连到 viewer-1）' },
      lane: 'kms',
      source: 'sources.green',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      after: ['one-to-many-out'],
    },
    {
      id: 'hub-replaced',
      label: {
        en: 'oneToManyPorts.viewer-1: ElementDisconnected VIDEO (replaced by green for VIDEO only)',
        'zh-Hans': 'oneToManyPorts.viewer-1：ElementDisconnected VIDEO（只有 VIDEO 被 green 取代）',
      },
      lane: 'kms',
      source: 'oneToManyPorts.viewer-1',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['one-to-many-out'],
    },
  ],
  completion: {
    en: 'Complete when each viewer showed the expected source after every routing change, and getSourceConnections on viewer-1 gave red for AUDIO and green for VIDEO.',
    'zh-Hans': '当每次路由变化后每个观众都显示出预期的源、且 viewer-1 的 getSourceConnections 给出 AUDIO 来自 red、VIDEO 来自 green 时完成。',
  },
};
