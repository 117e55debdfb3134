/**
 * Multi-party chat, the shape of Kurento's group-call tutorial: one pipeline per room; each participant has one
 * outgoing WebRtcEndpoint (their browser sends) and one incoming WebRtcEndpoint per other participant (their browser
 * receives), fed by that participant's outgoing endpoint. Participants join and leave live; muting audio or video is
 * disconnecting that media type from the outgoing endpoint to the others' incoming endpoints, unmuting connects it
 * again. Every participant is a synthetic source of its own colour, so each tile proves whose media it shows.
 */
import type { KurentoClient, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { AMBER, BLUE, ENDPOINT_EVENTS, GREEN, RED, colourCheck, eventSince, framesOf, release, type TestColour } from './broadcasting';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { call, create, js, required } from '../core/kurento';
import { localize, type CheckResult, type LabContext, type LabDefinition, type WebRtcPeer } from './framework/types';
import { negotiate } from './framework/webrtc';

interface Incoming {
  /** `${sender}-to-${receiver}`: role of the endpoint, of the browser peer and of the video tile. */
  role: string;
  sender: string;
  endpoint: WebRtcEndpoint;
  peer: WebRtcPeer;
}

interface Participant {
  name: string;
  colour: TestColour;
  outgoing: WebRtcEndpoint;
  peer: WebRtcPeer;
  /** What this participant receives, by sender name. */
  incoming: Map<string, Incoming>;
}

interface State {
  client?: KurentoClient;
  pipeline?: MediaPipeline;
  room: Participant[];
  /** Run time (ms) of the last mute / unmute, to match the events that follow it. */
  mark: number;
  /** framesDecoded per tile at the last mark. */
  frames: Record<string, number>;
  left?: string;
}

const PEOPLE: ReadonlyArray<{ name: string; colour: TestColour }> = [
  { name: 'alice', colour: RED },
  { name: 'bob', colour: GREEN },
  { name: 'carol', colour: BLUE },
  { name: 'dave', colour: AMBER },
];

function participantCount(params: Record<string, number | string>): number {
  const count = Math.round(Number(params.participants ?? 3));
  return Number.isFinite(count) ? Math.min(PEOPLE.length, Math.max(2, count)) : 3;
}

const tile = (sender: string, receiver: string): string => `${sender}-to-${receiver}`;

function find(state: State, name: string): Participant {
  return required(
    state.room.find((participant) => participant.name === name),
    name,
  );
}

/** Every incoming tile of the room, with the colour it must show. */
function allTiles(state: State): Array<{ slot: string; colour: TestColour }> {
  return state.room.flatMap((receiver) => [...receiver.incoming.values()].map((incoming) => ({ slot: incoming.role, colour: find(state, incoming.sender).colour })));
}

/** What the others receive from `sender`. */
function tilesOf(state: State, sender: string): Incoming[] {
  return state.room.flatMap((receiver) => [...receiver.incoming.values()].filter((incoming) => incoming.sender === sender));
}

/** `receiver` starts receiving `sender`: an incoming endpoint fed by the sender's outgoing one (receiveVideoFrom). */
async function receive(context: LabContext, state: State, receiver: Participant, sender: Participant): Promise<void> {
  const pipeline = required(state.pipeline, 'pipeline');
  const role = tile(sender.name, receiver.name);
  const [endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  await context.observe(endpoint, role, ENDPOINT_EVENTS);
  await call<void>((done) => sender.outgoing.connect(endpoint, done));
  const peer = await context.peer(role, { mode: 'recvonly', remoteVideo: role });
  await negotiate(context, peer, endpoint, role);
  receiver.incoming.set(sender.name, { role, sender: sender.name, endpoint, peer });
}

/** A participant joins: their outgoing endpoint, then they receive everyone, and everyone receives them. */
async function join(context: LabContext, state: State, person: { name: string; colour: TestColour }): Promise<void> {
  const pipeline = required(state.pipeline, 'pipeline');
  const [outgoing] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  await context.observe(outgoing, person.name, ENDPOINT_EVENTS);
  const stream = context.testSource({ color: person.colour.hex, label: person.name, frequency: person.colour.frequency });
  const peer = await context.peer(person.name, { mode: 'sendonly', localVideo: person.name, videoStream: stream });
  await negotiate(context, peer, outgoing, person.name);
  const newcomer: Participant = { ...person, outgoing, peer, incoming: new Map() };
  const existing = [...state.room];
  state.room.push(newcomer);
  for (const other of existing) {
    await receive(context, state, newcomer, other);
    await receive(context, state, other, newcomer);
  }
}

function playing(context: LabContext, state: State): CheckResult {
  const tiles = allTiles(state);
  const own = state.room.map((participant) => ({ slot: participant.name, colour: participant.colour }));
  const frames = tiles.map(({ slot }) => ({ slot, frames: framesOf(context, slot) }));
  const previews = colourCheck(context, own);
  return {
    ok: frames.every((entry) => entry.frames > 0) && previews.ok,
    detail: [previews.detail, ...frames.map((entry) => `${entry.slot} framesDecoded ${entry.frames}`)].join('; '),
  };
}

function markFrames(context: LabContext, state: State): void {
  state.mark = context.now();
  state.frames = Object.fromEntries(allTiles(state).map(({ slot }) => [slot, framesOf(context, slot)]));
}

/** MediaFlowIn `state` for `mediaType` on every tile of `sender` since the last mark. */
function flowSince(context: LabContext, state: State, sender: string, mediaType: 'AUDIO' | 'VIDEO', flow: 'FLOWING' | 'NOT_FLOWING'): CheckResult {
  const tiles = tilesOf(state, sender);
  const seen = tiles.map((incoming) => ({
    role: incoming.role,
    event: eventSince(context, { lane: 'kms', source: incoming.role, type: 'MediaFlowInStateChanged', where: { mediaType, state: flow } }, state.mark),
  }));
  return {
    ok: seen.every((entry) => entry.event !== undefined),
    detail: seen.map((entry) => `${entry.role} ${mediaType} ${entry.event ? `${flow} +${((entry.event.t - state.mark) / 1000).toFixed(1)} s` : '…'}`).join('; '),
  };
}

/** Tiles of `sender` that decoded at least `min` frames since the last mark. */
function moving(context: LabContext, state: State, sender: string | undefined, min: number): CheckResult {
  const tiles = sender ? tilesOf(state, sender).map((incoming) => incoming.role) : allTiles(state).map((entry) => entry.slot);
  const more = tiles.map((slot) => ({ slot, more: framesOf(context, slot) - (state.frames[slot] ?? 0) }));
  return { ok: more.every((entry) => entry.more >= min), detail: more.map((entry) => `${entry.slot} +${entry.more} frames`).join(', ') };
}

function both(first: CheckResult, second: CheckResult): CheckResult {
  return { ok: first.ok && second.ok, detail: [first.detail, second.detail].filter(Boolean).join('; ') };
}

/** Connects or disconnects one media type from `sender`'s outgoing endpoint to every incoming endpoint fed by it. */
async function setMedia(state: State, sender: string, mediaType: 'AUDIO' | 'VIDEO', on: boolean): Promise<void> {
  const outgoing = find(state, sender).outgoing;
  for (const incoming of tilesOf(state, sender)) {
    if (on) await call<void>((done) => outgoing.connect(incoming.endpoint, mediaType, done));
    else await call<void>((done) => outgoing.disconnect(incoming.endpoint, mediaType, done));
  }
}

const FLOW_HINT = {
  en: 'KMS checks each media flow every 2 s: NOT_FLOWING comes 2 to 4 s after the last packet. If it never comes, the media type was not disconnected from every incoming endpoint.',
  'zh-Hans': 'KMS 每 2 秒检查一次媒体流：最后一个包之后 2 到 4 秒才会出现 NOT_FLOWING。如果一直没有出现，说明这种媒体类型没有从每个接收端点上断开。',
};

export const groupCall: LabDefinition<State> = {
  id: 'group-call',
  title: { en: 'Multi-party chat: a group call', 'zh-Hans': '多人聊天：群组通话' },
  summary: {
    en: 'Two to four participants in one room, as Kurento\'s group-call tutorial builds it: one outgoing WebRtcEndpoint per participant and one incoming endpoint per other participant. People join and leave live; muting is disconnecting one media type.',
    'zh-Hans': '一个房间里有二到四个参与者，做法与 Kurento 的 group-call 教程相同：每人一个发送用的 WebRtcEndpoint，再为其他每个参与者各建一个接收端点。参与者可以随时加入和离开；静音就是断开一种媒体类型。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [{ id: 'participants', label: { en: 'Participants', 'zh-Hans': '参与者人数' }, kind: 'number', default: 3, min: 2, max: PEOPLE.length }],
  createState: () => ({ room: [], mark: 0, frames: {} }),
  steps: [
    {
      id: 'room',
      title: { en: 'Open the room: one pipeline', 'zh-Hans': '打开房间：一个管道' },
      explain: {
        en: 'The tutorial creates one MediaPipeline per room, when its first participant arrives, and releases it when the last one leaves. Everything of the room lives in it, so one release() cleans up everything.',
        'zh-Hans': '教程为每个房间创建一个 MediaPipeline：第一个参与者到来时创建，最后一个离开时释放。房间里的一切都在这个管道中，所以一次 release() 就能全部清理。',
      },
      code: ({ kmsUrl }) => `kurentoClient(${js(kmsUrl)}, (error, client) => {
  if (error) return onError(error);
  client.create('MediaPipeline', (error, pipeline) => {
    if (error) return onError(error);
    room.pipeline = pipeline;
  });
});`,
      run: async (context, state) => {
        state.client = await context.connect();
        const client = state.client;
        const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
        context.own(pipeline);
        state.pipeline = pipeline;
        await context.observe(pipeline, 'pipeline', []);
      },
    },
    {
      id: 'join',
      title: { en: 'Participants join one by one', 'zh-Hans': '参与者逐个加入' },
      explain: {
        en: 'Each participant first publishes: an outgoing WebRtcEndpoint negotiated with a send-only browser peer. Then, for every participant already in the room, two incoming endpoints: one where the newcomer receives them, one where they receive the newcomer. Each incoming endpoint is fed by the sender\'s outgoing endpoint (outgoing.connect(incoming)). alice is red, bob green, carol blue, dave amber.',
        'zh-Hans': '每个参与者先发布自己的媒体：一个发送用的 WebRtcEndpoint，与只发送的浏览器 peer 协商。然后对房间里已有的每个人，各建两个接收端点：新人接收对方的一个，对方接收新人的一个。每个接收端点都由发送者的发送端点供流（outgoing.connect(incoming)）。alice 是红色，bob 绿色，carol 蓝色，dave 琥珀色。',
      },
      code: ({ iceServers, params }) => `// ${PEOPLE.slice(0, participantCount(params) - 1)
        .map((person) => person.name)
        .join(', ')} join; the last participant joins in the next step.
function joinRoom(user) {
  room.pipeline.create('WebRtcEndpoint', (error, outgoing) => {
    if (error) return onError(error);
    user.outgoing = outgoing;
    user.peer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
      localVideo: document.getElementById(user.name),
      configuration: { iceServers: ${js(iceServers)} },
    }, (error) => {
      if (error) return onError(error);
      negotiate(user.peer, user.outgoing);
      for (const other of room.users) {     // existingParticipants
        receiveVideoFrom(user, other);
        receiveVideoFrom(other, user);      // newParticipantArrived
      }
      room.users.push(user);
    });
  });
}

function receiveVideoFrom(receiver, sender) {
  room.pipeline.create('WebRtcEndpoint', (error, incoming) => {
    if (error) return onError(error);
    receiver.incoming[sender.name] = incoming;
    sender.outgoing.connect(incoming, (error) => {
      if (error) return onError(error);
      const peer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
        remoteVideo: document.getElementById(sender.name + '-to-' + receiver.name),
        configuration: { iceServers: ${js(iceServers)} },
      }, (error) => error ? onError(error) : negotiate(peer, incoming));
    });
  });
}`,
      run: async (context, state) => {
        const count = participantCount(context.params);
        for (const person of PEOPLE.slice(0, count - 1)) await join(context, state, person);
      },
      check: (context, state) => playing(context, state),
      checkTimeout: 20000,
    },
    {
      id: 'newcomer',
      title: { en: 'A newcomer joins the call in progress', 'zh-Hans': '新参与者加入进行中的通话' },
      explain: {
        en: 'The last participant arrives while the others talk. Nothing existing is renegotiated: the room only grows by one outgoing endpoint and two incoming endpoints per participant already there. Their browsers need a key frame of the newcomer, which KMS requests from the newcomer\'s browser.',
        'zh-Hans': '最后一个参与者在其他人通话时到来。已有的连接都不需要重新协商：房间只是多了一个发送端点，并为已在房间里的每个人各多两个接收端点。其他人的浏览器需要新人的一个关键帧，KMS 会向新人的浏览器请求。',
      },
      code: ({ params }) => `joinRoom({ name: ${js(PEOPLE[participantCount(params) - 1]?.name ?? 'carol')}, incoming: {} });`,
      run: async (context, state) => {
        const person = required(PEOPLE[participantCount(context.params) - 1], 'newcomer');
        await join(context, state, person);
      },
      check: (context, state) => playing(context, state),
      checkTimeout: 20000,
    },
    {
      id: 'tiles',
      title: { en: 'Every tile shows the right participant', 'zh-Hans': '每个画面显示的都是对应的参与者' },
      explain: {
        en: 'Tile bob-to-alice is what alice\'s browser receives from bob: it must be bob\'s green, and so on for every pair. The lab samples the centre of each tile; a mix-up of endpoints would show the wrong colour.',
        'zh-Hans': '画面 bob-to-alice 是 alice 的浏览器从 bob 那里收到的内容：它必须是 bob 的绿色，其他每一对同理。实验对每个画面中心取样；如果端点接错了，颜色就会不对。',
      },
      code: () => `// In the lab: context.sampleColor('bob-to-alice') must be bob's #2e7d32, and so on for every tile.`,
      run: async (context, state) => {
        await Promise.all(allTiles(state).map(({ slot }) => context.waitForPlayback(slot, 15000)));
      },
      check: (context, state) => colourCheck(context, allTiles(state)),
    },
    {
      id: 'mute-video',
      title: { en: 'alice turns her camera off', 'zh-Hans': 'alice 关闭摄像头' },
      explain: {
        en: 'Muting on the server side is disconnecting one media type: alice\'s outgoing endpoint is disconnected from the others\' incoming endpoints for VIDEO only (ElementDisconnected VIDEO). Her audio keeps flowing. About 2 to 4 s later, each of those incoming endpoints reports MediaFlowInStateChanged NOT_FLOWING for VIDEO, and the tiles freeze on her last frame.',
        'zh-Hans': '在服务端静音就是断开一种媒体类型：把 alice 的发送端点与其他人的接收端点之间只断开 VIDEO（ElementDisconnected VIDEO），她的音频照常流动。约 2 到 4 秒后，这些接收端点会各自报告 VIDEO 的 MediaFlowInStateChanged NOT_FLOWING，画面停在她的最后一帧。',
      },
      code: () => `for (const other of room.users) {
  if (other !== alice) alice.outgoing.disconnect(other.incoming.alice, 'VIDEO', onError);
}`,
      run: async (context, state) => {
        markFrames(context, state);
        await setMedia(state, 'alice', 'VIDEO', false);
      },
      check: (context, state) => flowSince(context, state, 'alice', 'VIDEO', 'NOT_FLOWING'),
      checkTimeout: 8000,
    },
    {
      id: 'unmute-video',
      title: { en: 'alice turns her camera back on', 'zh-Hans': 'alice 重新打开摄像头' },
      explain: {
        en: 'Unmuting connects VIDEO again (ElementConnected VIDEO). The new link asks alice\'s browser for a key frame, so the tiles resume at once with MediaFlowInStateChanged FLOWING; the lab checks that they decode new frames of her red again.',
        'zh-Hans': '取消静音就是重新连接 VIDEO（ElementConnected VIDEO）。新的连接会向 alice 的浏览器请求一个关键帧，所以画面马上恢复，并出现 MediaFlowInStateChanged FLOWING；实验检查这些画面重新解码出她的红色新帧。',
      },
      code: () => `for (const other of room.users) {
  if (other !== alice) alice.outgoing.connect(other.incoming.alice, 'VIDEO', onError);
}`,
      run: async (context, state) => {
        markFrames(context, state);
        await setMedia(state, 'alice', 'VIDEO', true);
      },
      check: (context, state) => {
        const result = both(flowSince(context, state, 'alice', 'VIDEO', 'FLOWING'), moving(context, state, 'alice', 10));
        return both(
          result,
          colourCheck(
            context,
            tilesOf(state, 'alice').map((incoming) => ({ slot: incoming.role, colour: RED })),
          ),
        );
      },
      checkTimeout: 10000,
    },
    {
      id: 'mute-audio',
      title: { en: 'bob mutes his microphone', 'zh-Hans': 'bob 关闭麦克风' },
      explain: {
        en: 'The same with AUDIO: bob\'s outgoing endpoint is disconnected from the others\' incoming endpoints for AUDIO, those report NOT_FLOWING for AUDIO, and his video goes on playing (the lab checks that his tiles keep decoding frames).',
        'zh-Hans': 'AUDIO 也一样：把 bob 的发送端点与其他人的接收端点之间的 AUDIO 断开，这些端点报告 AUDIO 的 NOT_FLOWING，而他的视频继续播放（实验检查他的画面仍在解码新帧）。',
      },
      code: () => `for (const other of room.users) {
  if (other !== bob) bob.outgoing.disconnect(other.incoming.bob, 'AUDIO', onError);
}`,
      run: async (context, state) => {
        markFrames(context, state);
        await setMedia(state, 'bob', 'AUDIO', false);
      },
      check: (context, state) => both(flowSince(context, state, 'bob', 'AUDIO', 'NOT_FLOWING'), moving(context, state, 'bob', 10)),
      checkTimeout: 8000,
    },
    {
      id: 'unmute-audio',
      title: { en: 'bob unmutes', 'zh-Hans': 'bob 取消静音' },
      explain: {
        en: 'connect(…, \'AUDIO\') links the audio again; the incoming endpoints report FLOWING for AUDIO within a moment.',
        'zh-Hans': 'connect(…, \'AUDIO\') 重新连上音频；接收端点很快报告 AUDIO 的 FLOWING。',
      },
      code: () => `for (const other of room.users) {
  if (other !== bob) bob.outgoing.connect(other.incoming.bob, 'AUDIO', onError);
}`,
      run: async (context, state) => {
        markFrames(context, state);
        await setMedia(state, 'bob', 'AUDIO', true);
      },
      check: (context, state) => flowSince(context, state, 'bob', 'AUDIO', 'FLOWING'),
      checkTimeout: 8000,
    },
    {
      id: 'leave',
      title: { en: 'The newcomer leaves; the others go on', 'zh-Hans': '新参与者离开，其他人继续' },
      explain: {
        en: 'As in the tutorial: every other participant releases the endpoint where they received the leaver (cancelVideoFrom), then the leaver releases their incoming endpoints and their outgoing endpoint, and their browser peers are disposed. The leaver raises ElementDisconnected for each released sink; the calls between the others are untouched.',
        'zh-Hans': '与教程一样：其他每个参与者先释放接收离开者的那个端点（cancelVideoFrom），然后离开者释放自己的所有接收端点和发送端点，并销毁其浏览器 peer。每释放一个下游，离开者都会触发 ElementDisconnected；其他人之间的通话不受影响。',
      },
      code: ({ params }) => `leaveRoom(${js(PEOPLE[participantCount(params) - 1]?.name ?? 'carol')});

function leaveRoom(name) {
  const user = room.users.find((u) => u.name === name);
  room.users = room.users.filter((u) => u !== user);
  for (const other of room.users) {       // participantLeft → cancelVideoFrom
    other.incoming[name].release(onError);
    delete other.incoming[name];
  }
  for (const endpoint of Object.values(user.incoming)) endpoint.release(onError);
  user.outgoing.release(onError);
  user.peer.dispose();                     // and the receive-only peers of that user
}`,
      run: async (context, state) => {
        const leaver = required(state.room.at(-1), 'leaver');
        state.left = leaver.name;
        state.room = state.room.filter((participant) => participant !== leaver);
        for (const other of state.room) {
          const incoming = other.incoming.get(leaver.name);
          if (!incoming) continue;
          await release(incoming.endpoint);
          incoming.peer.dispose();
          other.incoming.delete(leaver.name);
        }
        for (const incoming of leaver.incoming.values()) {
          await release(incoming.endpoint);
          incoming.peer.dispose();
        }
        await release(leaver.outgoing);
        leaver.peer.dispose();
        markFrames(context, state);
      },
      check: (context, state) => {
        const tiles = allTiles(state);
        if (tiles.length === 0) {
          return { ok: true, detail: localize({ en: `${state.room.map((p) => p.name).join(', ')} alone in the room`, 'zh-Hans': `房间里只剩 ${state.room.map((p) => p.name).join('、')}` }, context.locale) };
        }
        return both(moving(context, state, undefined, 10), colourCheck(context, tiles));
      },
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('alice', { ready: 'optional' }),
    {
      id: 'alice-connected',
      label: { en: 'alice: ElementConnected VIDEO (to an incoming endpoint)', 'zh-Hans': 'alice：ElementConnected VIDEO（连到一个接收端点）' },
      lane: 'kms',
      source: 'alice',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      within: 20000,
      hint: {
        en: 'Each incoming endpoint must be fed by the sender\'s outgoing endpoint: sender.outgoing.connect(incoming).',
        'zh-Hans': '每个接收端点都要由发送者的发送端点供流：sender.outgoing.connect(incoming)。',
      },
    },
    ...flowExpectations('alice-to-bob', ['AUDIO', 'VIDEO']),
    ...flowExpectations('bob-to-alice', ['AUDIO', 'VIDEO']),
    {
      id: 'alice-video-off',
      label: { en: 'alice: ElementDisconnected VIDEO (camera off)', 'zh-Hans': 'alice：ElementDisconnected VIDEO（关闭摄像头）' },
      lane: 'kms',
      source: 'alice',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['alice-to-bob:flow-in-VIDEO'],
    },
    {
      id: 'alice-video-stopped',
      label: { en: 'alice-to-bob: MediaFlowInStateChanged VIDEO → NOT_FLOWING', 'zh-Hans': 'alice-to-bob：MediaFlowInStateChanged VIDEO → NOT_FLOWING' },
      lane: 'kms',
      source: 'alice-to-bob',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'VIDEO', state: 'NOT_FLOWING' },
      after: ['alice-video-off'],
      within: 6000,
      hint: FLOW_HINT,
    },
    {
      id: 'alice-video-on',
      label: { en: 'alice: ElementConnected VIDEO (camera on)', 'zh-Hans': 'alice：ElementConnected VIDEO（打开摄像头）' },
      lane: 'kms',
      source: 'alice',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      after: ['alice-video-stopped'],
    },
    {
      id: 'alice-video-back',
      label: { en: 'alice-to-bob: MediaFlowInStateChanged VIDEO → FLOWING again', 'zh-Hans': 'alice-to-bob：MediaFlowInStateChanged VIDEO 再次 → FLOWING' },
      lane: 'kms',
      source: 'alice-to-bob',
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
      label: { en: 'bob: ElementDisconnected AUDIO (microphone muted)', 'zh-Hans': 'bob：ElementDisconnected AUDIO（麦克风静音）' },
      lane: 'kms',
      source: 'bob',
      type: 'ElementDisconnected',
      where: { mediaType: 'AUDIO' },
      after: ['alice-video-back'],
    },
    {
      id: 'bob-audio-stopped',
      label: { en: 'bob-to-alice: MediaFlowInStateChanged AUDIO → NOT_FLOWING', 'zh-Hans': 'bob-to-alice：MediaFlowInStateChanged AUDIO → NOT_FLOWING' },
      lane: 'kms',
      source: 'bob-to-alice',
      type: 'MediaFlowInStateChanged',
      where: { mediaType: 'AUDIO', state: 'NOT_FLOWING' },
      after: ['bob-audio-off'],
      within: 6000,
      hint: FLOW_HINT,
    },
    {
      id: 'bob-audio-on',
      label: { en: 'bob: ElementConnected AUDIO (unmuted)', 'zh-Hans': 'bob：ElementConnected AUDIO（取消静音）' },
      lane: 'kms',
      source: 'bob',
      type: 'ElementConnected',
      where: { mediaType: 'AUDIO' },
      after: ['bob-audio-stopped'],
    },
    {
      id: 'bob-audio-back',
      label: { en: 'bob-to-alice: MediaFlowInStateChanged AUDIO → FLOWING again', 'zh-Hans': 'bob-to-alice：MediaFlowInStateChanged AUDIO 再次 → FLOWING' },
      lane: 'kms',
      source: 'bob-to-alice',
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
