/**
 * Multi-party chat, the shape of Kurento's group-call tutorial: one pipeline per room; each participant has one
 * outgoing WebRtcEndpoint (their browser sends) and one incoming WebRtcEndpoint per other participant (their browser
 * receives), fed by that participant's outgoing endpoint. Participants join and leave live; muting audio or video is
 * disconnecting that media type from the outgoing endpoint to the others' incoming endpoints, unmuting connects it
 * again. Every participant is a synthetic source of its own colour, so each tile proves whose media it shows. The
 * program is labs/programs/group-call.js; its objects are `outgoing.alice`, `incoming.bob-to-alice`, …
 */
import { AMBER, BLUE, GREEN, RED, both, colourCheck, framesOf, idOf, movingCheck, type TestColour } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { localize, type CheckResult, type LabDefinition, type LabEvent, type LabView } from './framework/types';

const PEOPLE: ReadonlyArray<{ name: string; colour: TestColour }> = [
  { name: 'alice', colour: RED },
  { name: 'bob', colour: GREEN },
  { name: 'carol', colour: BLUE },
  { name: 'dave', colour: AMBER },
];

function participantCount(view: LabView): number {
  const count = Math.round(Number(view.params.participants ?? 3));
  return Number.isFinite(count) ? Math.min(PEOPLE.length, Math.max(2, count)) : 3;
}

function colourOf(name: string): TestColour {
  return PEOPLE.find((person) => person.name === name)?.colour ?? RED;
}

/** The names in the program's `room`. */
function roomOf(view: LabView): string[] {
  const room = view.read('room');
  return Array.isArray(room) ? room.map(String) : [];
}

interface Tile {
  /** `${sender}-to-${receiver}`: the video id, and the key of the program's incoming and receivers. */
  tile: string;
  sender: string;
  receiver: string;
}

/** Every tile of the room: what each participant receives from each other one. */
function tilesOf(room: readonly string[], sender?: string): Tile[] {
  return room.flatMap((receiver) =>
    room.filter((other) => other !== receiver && (sender === undefined || other === sender)).map((other) => ({ tile: `${other}-to-${receiver}`, sender: other, receiver })),
  );
}

/** The room has `count` participants, their previews show their colours and every tile decodes frames. */
function playing(view: LabView, count: number): CheckResult {
  const room = roomOf(view);
  const joined = { ok: room.length === count, detail: `room ${room.join(', ') || '∅'} (${room.length}/${count})` };
  const previews = colourCheck(
    view,
    room.map((name) => ({ video: name, colour: colourOf(name) })),
  );
  const frames = tilesOf(room).map(({ tile }) => ({ tile, frames: framesOf(view, tile) }));
  return both(both(joined, previews), { ok: frames.every((entry) => entry.frames > 0), detail: frames.map((entry) => `${entry.tile} framesDecoded ${entry.frames}`).join('; ') });
}

function endpointId(view: LabView, tile: string): string | undefined {
  const endpoints = view.read('incoming') as Record<string, { id?: unknown } | undefined> | undefined;
  const id = endpoints?.[tile]?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * When the link from `sender`'s outgoing endpoint to the endpoint of `tile` last changed for `mediaType`: the first
 * `change` event (ElementConnected or ElementDisconnected) on that link after the last event of the opposite kind. So
 * a mute counts once it follows the connection it undoes, and an unmute once it follows the mute.
 */
function linkChange(view: LabView, tile: Tile, mediaType: 'AUDIO' | 'VIDEO', change: 'ElementConnected' | 'ElementDisconnected'): LabEvent | undefined {
  const sink = endpointId(view, tile.tile);
  if (!sink) return undefined;
  const source = `outgoing.${tile.sender}`;
  const onLink = (type: string): LabEvent[] => view.recorded({ lane: 'kms', source, type, where: { mediaType } }).filter((event) => idOf(event.data.sink) === sink);
  const undone = onLink(change === 'ElementConnected' ? 'ElementDisconnected' : 'ElementConnected').at(-1);
  return onLink(change).find((event) => event.t >= (undone?.t ?? 0));
}

/**
 * After `sender`'s `mediaType` was connected or disconnected, each endpoint receiving them reports MediaFlowIn
 * `flow`. The detail reads `alice-to-bob VIDEO NOT_FLOWING +2.1 s` (time since the link changed).
 */
function flowAfter(
  view: LabView,
  sender: string,
  mediaType: 'AUDIO' | 'VIDEO',
  change: 'ElementConnected' | 'ElementDisconnected',
  flow: 'FLOWING' | 'NOT_FLOWING',
): CheckResult & { since: number } {
  const tiles = tilesOf(roomOf(view), sender);
  let since = 0;
  const seen = tiles.map((tile) => {
    const mark = linkChange(view, tile, mediaType, change);
    if (mark) since = Math.max(since, mark.t);
    const event = mark
      ? view.recorded({ lane: 'kms', source: `incoming.${tile.tile}`, type: 'MediaFlowInStateChanged', where: { mediaType, state: flow } }).find((candidate) => candidate.t >= mark.t)
      : undefined;
    const text = !mark ? `${change} …` : event ? `${flow} +${((event.t - mark.t) / 1000).toFixed(1)} s` : `${change} ✓, ${flow} …`;
    return { ok: event !== undefined, text: `${tile.tile} ${mediaType} ${text}` };
  });
  return { ok: tiles.length > 0 && seen.every((entry) => entry.ok), detail: seen.map((entry) => entry.text).join('; '), since };
}

const FLOW_HINT = {
  en: 'KMS checks each media flow every 2 s: NOT_FLOWING comes 2 to 4 s after the last packet. If it never comes, the media type was not disconnected from every incoming endpoint.',
  'zh-Hans': 'KMS 每 2 秒检查一次媒体流：最后一个包之后 2 到 4 秒才会出现 NOT_FLOWING。如果一直没有出现，说明这种媒体类型没有从每个接收端点上断开。',
};

export const groupCall: LabDefinition = {
  id: 'group-call',
  title: { en: 'Multi-party chat: a group call', 'zh-Hans': '多人聊天：群组通话' },
  summary: {
    en: 'Two to four participants in one room, as Kurento\'s group-call tutorial builds it: one outgoing WebRtcEndpoint per participant and one incoming endpoint per other participant. People join and leave live; muting is disconnecting one media type.',
    'zh-Hans': '一个房间里有二到四个参与者，做法与 Kurento 的 group-call 教程相同：每人一个发送用的 WebRtcEndpoint，再为其他每个参与者各建一个接收端点。参与者可以随时加入和离开；静音就是断开一种媒体类型。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [{ id: 'participants', label: { en: 'Participants', 'zh-Hans': '参与者人数' }, kind: 'number', default: 3, min: 2, max: PEOPLE.length }],
  program: () => import('./programs/group-call.js?raw').then((module) => module.default),
  page: { videos: [] },
  steps: [
    {
      id: 'room',
      title: { en: 'Open the room: one pipeline', 'zh-Hans': '打开房间：一个管道' },
      explain: {
        en: 'The tutorial creates one MediaPipeline per room, when its first participant arrives, and releases it when the last one leaves. Everything of the room lives in it, so one release() cleans up everything.',
        'zh-Hans': '教程为每个房间创建一个 MediaPipeline：第一个参与者到来时创建，最后一个离开时释放。房间里的一切都在这个管道中，所以一次 release() 就能全部清理。',
      },
      sets: ['client', 'pipeline'],
    },
    {
      id: 'join',
      title: { en: 'Participants join', 'zh-Hans': '参与者加入' },
      explain: {
        en: 'Each participant first publishes: an outgoing WebRtcEndpoint (outgoing.alice) negotiated with a send-only browser peer. Then, for every participant already in the room, two incoming endpoints: one where the newcomer receives them, one where they receive the newcomer. Each incoming endpoint is fed by the sender\'s outgoing endpoint (outgoing[sender].connect(incoming)). alice is red, bob green, carol blue, dave amber.',
        'zh-Hans': '每个参与者先发布自己的媒体：一个发送用的 WebRtcEndpoint（outgoing.alice），与只发送的浏览器 peer 协商。然后对房间里已有的每个人，各建两个接收端点：新人接收对方的一个，对方接收新人的一个。每个接收端点都由发送者的发送端点供流（outgoing[sender].connect(incoming)）。alice 是红色，bob 绿色，carol 蓝色，dave 琥珀色。',
      },
      check: (view) => playing(view, participantCount(view) - 1),
      timeout: 25000,
    },
    {
      id: 'newcomer',
      title: { en: 'A newcomer joins the call in progress', 'zh-Hans': '新参与者加入进行中的通话' },
      explain: {
        en: 'The last participant arrives while the others talk. Nothing existing is renegotiated: the room only grows by one outgoing endpoint and two incoming endpoints per participant already there. Their browsers need a key frame of the newcomer, which KMS requests from the newcomer\'s browser.',
        'zh-Hans': '最后一个参与者在其他人通话时到来。已有的连接都不需要重新协商：房间只是多了一个发送端点，并为已在房间里的每个人各多两个接收端点。其他人的浏览器需要新人的一个关键帧，KMS 会向新人的浏览器请求。',
      },
      check: (view) => playing(view, participantCount(view)),
      timeout: 25000,
    },
    {
      id: 'tiles',
      title: { en: 'Every tile shows the right participant', 'zh-Hans': '每个画面显示的都是对应的参与者' },
      explain: {
        en: 'Tile bob-to-alice is what alice\'s browser receives from bob (through incoming.bob-to-alice): it must be bob\'s green, and so on for every pair. The lab samples the centre of each tile; a mix-up of endpoints would show the wrong colour.',
        'zh-Hans': '画面 bob-to-alice 是 alice 的浏览器（经由 incoming.bob-to-alice）从 bob 那里收到的内容：它必须是 bob 的绿色，其他每一对同理。实验对每个画面中心取样；如果端点接错了，颜色就会不对。',
      },
      check: (view) => colourCheck(view, tilesOf(roomOf(view)).map(({ tile, sender }) => ({ video: tile, colour: colourOf(sender) }))),
    },
    {
      id: 'mute-video',
      title: { en: 'alice turns her camera off', 'zh-Hans': 'alice 关闭摄像头' },
      explain: {
        en: 'Muting on the server side is disconnecting one media type: outgoing.alice is disconnected from the others\' incoming endpoints for VIDEO only (ElementDisconnected VIDEO). Her audio keeps flowing. About 2 to 4 s later, each of those incoming endpoints reports MediaFlowInStateChanged NOT_FLOWING for VIDEO, and the tiles freeze on her last frame.',
        'zh-Hans': '在服务端静音就是断开一种媒体类型：把 outgoing.alice 与其他人的接收端点之间只断开 VIDEO（ElementDisconnected VIDEO），她的音频照常流动。约 2 到 4 秒后，这些接收端点会各自报告 VIDEO 的 MediaFlowInStateChanged NOT_FLOWING，画面停在她的最后一帧。',
      },
      check: (view) => flowAfter(view, 'alice', 'VIDEO', 'ElementDisconnected', 'NOT_FLOWING'),
      timeout: 12000,
    },
    {
      id: 'unmute-video',
      title: { en: 'alice turns her camera back on', 'zh-Hans': 'alice 重新打开摄像头' },
      explain: {
        en: 'Unmuting connects VIDEO again (ElementConnected VIDEO). The new link asks alice\'s browser for a key frame, so the tiles resume at once with MediaFlowInStateChanged FLOWING; the lab checks that they decode new frames of her red again.',
        'zh-Hans': '取消静音就是重新连接 VIDEO（ElementConnected VIDEO）。新的连接会向 alice 的浏览器请求一个关键帧，所以画面马上恢复，并出现 MediaFlowInStateChanged FLOWING；实验检查这些画面重新解码出她的红色新帧。',
      },
      check: (view) => {
        const flow = flowAfter(view, 'alice', 'VIDEO', 'ElementConnected', 'FLOWING');
        const tiles = tilesOf(roomOf(view), 'alice').map(({ tile }) => tile);
        const moving = flow.ok ? movingCheck(view, tiles, flow.since) : { ok: false, detail: '' };
        return both(
          both(flow, moving),
          colourCheck(
            view,
            tiles.map((tile) => ({ video: tile, colour: RED })),
          ),
        );
      },
      timeout: 12000,
    },
    {
      id: 'mute-audio',
      title: { en: 'bob mutes his microphone', 'zh-Hans': 'bob 关闭麦克风' },
      explain: {
        en: 'The same with AUDIO: outgoing.bob is disconnected from the others\' incoming endpoints for AUDIO, those report NOT_FLOWING for AUDIO, and his video goes on playing (the lab checks that his tiles keep decoding frames).',
        'zh-Hans': 'AUDIO 也一样：把 outgoing.bob 与其他人的接收端点之间的 AUDIO 断开，这些端点报告 AUDIO 的 NOT_FLOWING，而他的视频继续播放（实验检查他的画面仍在解码新帧）。',
      },
      check: (view) => {
        const flow = flowAfter(view, 'bob', 'AUDIO', 'ElementDisconnected', 'NOT_FLOWING');
        const tiles = tilesOf(roomOf(view), 'bob').map(({ tile }) => tile);
        return both(flow, flow.since > 0 ? movingCheck(view, tiles, flow.since) : { ok: false, detail: '' });
      },
      timeout: 12000,
    },
    {
      id: 'unmute-audio',
      title: { en: 'bob unmutes', 'zh-Hans': 'bob 取消静音' },
      explain: {
        en: 'connect(sink, \'AUDIO\') links the audio again; the incoming endpoints report FLOWING for AUDIO within a moment.',
        'zh-Hans': 'connect(sink, \'AUDIO\') 重新连上音频；接收端点很快报告 AUDIO 的 FLOWING。',
      },
      check: (view) => flowAfter(view, 'bob', 'AUDIO', 'ElementConnected', 'FLOWING'),
      timeout: 12000,
    },
    {
      id: 'leave',
      title: { en: 'The newcomer leaves; the others go on', 'zh-Hans': '新参与者离开，其他人继续' },
      explain: {
        en: 'As in the tutorial: every other participant releases the endpoint where they received the leaver (cancelVideoFrom), the leaver\'s incoming endpoints and outgoing endpoint are released, and their browser peers disposed. The leaver\'s outgoing endpoint raises ElementDisconnected for each released sink; the calls between the others are untouched.',
        'zh-Hans': '与教程一样：其他每个参与者先释放接收离开者的那个端点（cancelVideoFrom），再释放离开者的所有接收端点和发送端点，并销毁其浏览器 peer。每释放一个下游，离开者的发送端点都会触发 ElementDisconnected；其他人之间的通话不受影响。',
      },
      expects: ['participant-left'],
      check: (view) => {
        const room = roomOf(view);
        const tiles = tilesOf(room);
        if (tiles.length === 0) {
          return { ok: true, detail: localize({ en: `${room.join(', ')} alone in the room`, 'zh-Hans': `房间里只剩 ${room.join('、')}` }, view.locale) };
        }
        const left = view.recorded({ lane: 'kms', type: 'ElementDisconnected', where: { mediaType: 'VIDEO' } }).at(-1);
        return both(
          movingCheck(
            view,
            tiles.map(({ tile }) => tile),
            left?.t ?? view.now(),
          ),
          colourCheck(
            view,
            tiles.map(({ tile, sender }) => ({ video: tile, colour: colourOf(sender) })),
          ),
        );
      },
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('outgoing.alice', { ready: 'optional' }),
    {
      id: 'alice-connected',
      label: { en: 'outgoing.alice: ElementConnected VIDEO (to an incoming endpoint)', 'zh-Hans': 'outgoing.alice：ElementConnected VIDEO（连到一个接收端点）' },
      lane: 'kms',
      source: 'outgoing.alice',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      within: 20000,
      hint: {
        en: 'Each incoming endpoint must be fed by the sender\'s outgoing endpoint: outgoing[sender].connect(incoming).',
        'zh-Hans': '每个接收端点都要由发送者的发送端点供流：outgoing[sender].connect(incoming)。',
      },
    },
    ...flowExpectations('incoming.alice-to-bob', ['AUDIO', 'VIDEO']),
    ...flowExpectations('incoming.bob-to-alice', ['AUDIO', 'VIDEO']),
    {
      id: 'alice-video-off',
      label: { en: 'outgoing.alice: ElementDisconnected VIDEO (camera off)', 'zh-Hans': 'outgoing.alice：ElementDisconnected VIDEO（关闭摄像头）' },
      lane: 'kms',
      source: 'outgoing.alice',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['incoming.alice-to-bob:flow-in-VIDEO'],
    },
    {
      id: 'alice-video-stopped',
      label: { en: 'incoming.alice-to-bob: MediaFlowInStateChanged VIDEO → NOT_FLOWING', 'zh-Hans': 'incoming.alice-to-bob：MediaFlowInStateChanged VIDEO → NOT_FLOWING' },
      lane: 'kms',
      source: 'incoming.alice-to-bob',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'VIDEO', state: 'NOT_FLOWING' },
      after: ['alice-video-off'],
      within: 6000,
      hint: FLOW_HINT,
    },
    {
      id: 'alice-video-on',
      label: { en: 'outgoing.alice: ElementConnected VIDEO (camera on)', 'zh-Hans': 'outgoing.alice：ElementConnected VIDEO（打开摄像头）' },
      lane: 'kms',
      source: 'outgoing.alice',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      after: ['alice-video-stopped'],
    },
    {
      id: 'alice-video-back',
      label: { en: 'incoming.alice-to-bob: MediaFlowInStateChanged VIDEO → FLOWING again', 'zh-Hans': 'incoming.alice-to-bob：MediaFlowInStateChanged VIDEO 再次 → FLOWING' },
      lane: 'kms',
      source: 'incoming.alice-to-bob',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['alice-video-on'],
      within: 6000,
      hint: {
        en: 'Video does not come back: connect the VIDEO type again from the outgoing endpoint to every incoming endpoint.',
        'zh-Hans': '视频没有恢复：需要从发送端点到每个接收端点重新 connect VIDEO 类型。',
      },
    },
    {
      id: 'bob-audio-off',
      label: { en: 'outgoing.bob: ElementDisconnected AUDIO (microphone muted)', 'zh-Hans': 'outgoing.bob：ElementDisconnected AUDIO（麦克风静音）' },
      lane: 'kms',
      source: 'outgoing.bob',
      type: 'ElementDisconnected',
      where: { mediaType: 'AUDIO' },
      after: ['alice-video-back'],
    },
    {
      id: 'bob-audio-stopped',
      label: { en: 'incoming.bob-to-alice: MediaFlowInStateChanged AUDIO → NOT_FLOWING', 'zh-Hans': 'incoming.bob-to-alice：MediaFlowInStateChanged AUDIO → NOT_FLOWING' },
      lane: 'kms',
      source: 'incoming.bob-to-alice',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'AUDIO', state: 'NOT_FLOWING' },
      after: ['bob-audio-off'],
      within: 6000,
      hint: FLOW_HINT,
    },
    {
      id: 'bob-audio-on',
      label: { en: 'outgoing.bob: ElementConnected AUDIO (unmuted)', 'zh-Hans': 'outgoing.bob：ElementConnected AUDIO（取消静音）' },
      lane: 'kms',
      source: 'outgoing.bob',
      type: 'ElementConnected',
      where: { mediaType: 'AUDIO' },
      after: ['bob-audio-stopped'],
    },
    {
      id: 'bob-audio-back',
      label: { en: 'incoming.bob-to-alice: MediaFlowInStateChanged AUDIO → FLOWING again', 'zh-Hans': 'incoming.bob-to-alice：MediaFlowInStateChanged AUDIO 再次 → FLOWING' },
      lane: 'kms',
      source: 'incoming.bob-to-alice',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'AUDIO', state: 'FLOWING' },
      after: ['bob-audio-on'],
      within: 6000,
    },
    {
      id: 'participant-left',
      label: { en: 'ElementDisconnected VIDEO (a participant left)', 'zh-Hans': 'ElementDisconnected VIDEO（有参与者离开）' },
      lane: 'kms',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['bob-audio-back'],
      hint: {
        en: 'Releasing an incoming endpoint disconnects it from the sender\'s outgoing endpoint, which raises ElementDisconnected.',
        'zh-Hans': '释放一个接收端点时，KMS 会把它与发送者的发送端点断开，由发送端点触发 ElementDisconnected。',
      },
    },
  ],
  completion: {
    en: 'Complete when every tile showed the right participant, muting and unmuting video and audio produced the expected events, and the call went on after a participant left.',
    'zh-Hans': '当每个画面都显示出正确的参与者、视频和音频的静音与取消静音都产生了预期事件、且有人离开后通话继续时完成。',
  },
};
