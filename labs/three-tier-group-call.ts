/**
 * Group call in three tiers, as Kurento's Java group-call tutorial runs it: participants (all in this page) join a
 * room on the application server at /groupcall (server/apps/group-call.ts, after Room.java and UserSession.java).
 * Each publishes through one outgoing WebRtcEndpoint and receives every other participant through one incoming
 * WebRtcEndpoint per sender, all in the room's pipeline. The code is labs/programs/three-tier-group-call.js.
 */
import type { LabDefinition, LabParamSpec, LabView } from './framework/types';
import { appMessage, appReplies, browserConnected, browserTrack, relayedCandidate, relayedCandidateEvents, videosShow, type TestColour, appServerVars } from './three-tier';

const PATH = '/groupcall';
/** The participants in the order they join, and the colour of each one's test picture (as in the program). */
const NAMES = ['ana', 'ben', 'chen', 'dana'] as const;
const COLOURS: Readonly<Record<(typeof NAMES)[number], TestColour>> = { ana: 'red', ben: 'green', chen: 'blue', dana: 'yellow' };

const PARTICIPANTS: LabParamSpec = {
  id: 'participants',
  label: { en: 'Participants', 'zh-Hans': '参与者人数' },
  kind: 'number',
  default: 3,
  min: 2,
  max: NAMES.length,
};

/** The participants of this run (the program's `names`). */
function members(view: LabView): Array<(typeof NAMES)[number]> {
  const count = Math.round(Number(view.params.participants ?? PARTICIPANTS.default));
  return NAMES.slice(0, Number.isFinite(count) ? count : Number(PARTICIPANTS.default));
}

/** What each receiving video ("viewer←sender") should show: the sender's colour. */
function remoteColours(view: LabView): Record<string, TestColour> {
  const names = members(view);
  return Object.fromEntries(names.flatMap((viewer) => names.filter((sender) => sender !== viewer).map((sender) => [`${viewer}←${sender}`, COLOURS[sender]])));
}

export const threeTierGroupCall: LabDefinition = {
  id: 'three-tier-group-call',
  title: { en: 'Three tiers: a group call', 'zh-Hans': '三层架构：多人通话' },
  summary: {
    en: 'The Java group-call tutorial with every participant in this page: they join one room, each publishes its camera through an outgoing WebRtcEndpoint, and receives each other participant through an incoming WebRtcEndpoint connected to that participant\'s outgoing one. One pipeline per room.',
    'zh-Hans': '在本页面中运行所有参与者的 Java group-call 教程：大家加入同一个房间，每人通过一个发送用的 WebRtcEndpoint 发布摄像头画面，并为其他每位参与者各用一个接收用的 WebRtcEndpoint 接收画面，后者连接到对方的发送端点。每个房间一个管道。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [PARTICIPANTS],
  program: () => import('./programs/three-tier-group-call.js?raw').then((module) => module.default),
  settingsVars: appServerVars,
  page: { videos: [] },
  // A relayed candidate names the participant whose media its endpoint carries (its outgoing endpoint, or another
  // participant's incoming endpoint for it).
  appEvents: (path, message) => (path === PATH ? relayedCandidateEvents(message, `WebRtcEndpoint (${String(message.name)})`) : undefined),
  steps: [
    {
      id: 'join',
      title: { en: 'Everyone joins the room: joinRoom {name, room}', 'zh-Hans': '所有人加入房间：joinRoom {name, room}' },
      explain: {
        en: 'Participants join one after the other, each with its own socket. The newcomer gets existingParticipants {data: [names]}; those already in get newParticipantArrived {name}. The server creates the room\'s pipeline on the first join and each participant\'s outgoing endpoint on its join. The room name has a random suffix, so learners sharing a server get rooms of their own.',
        'zh-Hans': '参与者依次加入，每人使用自己的 WebSocket。新加入者收到 existingParticipants {data: [名字]}；已在房间中的人收到 newParticipantArrived {name}。服务器在第一个人加入时创建房间的管道，并在每个人加入时创建其发送端点。房间名带有随机后缀，因此共用一台服务器的学员各自拥有自己的房间。',
      },
      // Each newcomer is told who came before it: [], [ana], [ana, ben], …; and those already in, of each newcomer.
      check: (view) => {
        const names = members(view);
        const lists = view.recorded({ lane: 'app', source: PATH, type: 'existingParticipants' }).map((event) => JSON.stringify(event.data.data));
        const expectedLists = names.map((_, index) => JSON.stringify(names.slice(0, index)));
        const arrivals = appReplies(view, PATH, 'newParticipantArrived');
        const expected = (names.length * (names.length - 1)) / 2;
        const listsOk = lists.length >= names.length && expectedLists.every((list, index) => lists[index] === list);
        return {
          ok: listsOk && arrivals >= expected,
          detail: `existingParticipants ${lists.join(' ')}, newParticipantArrived ${arrivals}/${expected}`,
          ...(lists.length >= names.length && !listsOk
            ? { hint: { en: `existingParticipants should list ${expectedLists.join(' ')}`, 'zh-Hans': `existingParticipants 应依次列出 ${expectedLists.join(' ')}` } }
            : {}),
        };
      },
    },
    {
      id: 'publish',
      title: { en: 'Each participant publishes: receiveVideoFrom its own name', 'zh-Hans': '每位参与者发布画面：对自己的名字发送 receiveVideoFrom' },
      explain: {
        en: 'In the tutorial a participant sends its own camera by asking to "receive video from" itself: receiveVideoFrom {sender: own name, sdpOffer} negotiates the outgoing endpoint. Candidates carry a name, telling the server which endpoint they belong to.',
        'zh-Hans': '在教程中，参与者通过“接收来自自己的视频”来发送自己的摄像头画面：receiveVideoFrom {sender: 自己的名字, sdpOffer} 协商的是发送端点。候选消息都带有 name，用来告诉服务器候选属于哪个端点。',
      },
      check: (view) => {
        const count = members(view).length;
        const answers = appReplies(view, PATH, 'receiveVideoAnswer');
        return { ok: answers >= count, detail: `receiveVideoAnswer ${answers}/${count}` };
      },
    },
    {
      id: 'receive',
      title: { en: 'Each participant receives the others', 'zh-Hans': '每位参与者接收其他人的画面' },
      explain: {
        en: 'For every other participant, a receive-only peer sends receiveVideoFrom {sender, sdpOffer}. The server creates an incoming endpoint for that sender, connects the sender\'s outgoing endpoint to it, and answers receiveVideoAnswer {name: sender, sdpAnswer}. With N participants that is N outgoing and N×(N−1) incoming endpoints.',
        'zh-Hans': '对其他每位参与者，一个只接收的 peer 发送 receiveVideoFrom {sender, sdpOffer}。服务器为该发送者创建一个接收端点，把发送者的发送端点连接到它，并回复 receiveVideoAnswer {name: sender, sdpAnswer}。N 位参与者时共有 N 个发送端点和 N×(N−1) 个接收端点。',
      },
      check: (view) => {
        const count = members(view).length;
        const answers = appReplies(view, PATH, 'receiveVideoAnswer');
        return { ok: answers >= count * count, detail: `receiveVideoAnswer ${answers}/${count * count}` };
      },
      timeout: 20000,
    },
    {
      id: 'play',
      title: { en: 'Everyone sees everyone', 'zh-Hans': '每个人都看到其他所有人' },
      explain: {
        en: 'Each video "viewer←sender" plays what the sender publishes (its colour), through the sender\'s outgoing endpoint and the viewer\'s incoming one. Stop or Reset closes the sockets: the server tells the others participantLeft, releases the leaving participant\'s endpoints, and releases the pipeline when the room is empty.',
        'zh-Hans': '每个“观看者←发送者”画面播放发送者发布的内容（它的颜色），经由发送者的发送端点和观看者的接收端点。“停止”或“重置”会关闭 WebSocket：服务器向其他人发送 participantLeft，释放离开者的端点，并在房间变空时释放管道。',
      },
      check: (view) => videosShow(view, remoteColours(view)),
      timeout: 25000,
    },
  ],
  expected: [
    appMessage('existing', PATH, 'existingParticipants', { en: 'existingParticipants (to each newcomer)', 'zh-Hans': 'existingParticipants（发给每位新加入者）' }),
    appMessage('arrived', PATH, 'newParticipantArrived', { en: 'newParticipantArrived (to those already in)', 'zh-Hans': 'newParticipantArrived（发给已在房间的人）' }, { after: ['existing'] }),
    appMessage('answer', PATH, 'receiveVideoAnswer', { en: 'receiveVideoAnswer', 'zh-Hans': 'receiveVideoAnswer' }, {
      after: ['existing'],
      within: 20000,
      hint: {
        en: 'The server did not answer receiveVideoFrom: look for an error message in the inspector (channel app:/groupcall) and in the npm start terminal.',
        'zh-Hans': '服务器没有应答 receiveVideoFrom：请在检查器（app:/groupcall 通道）和 npm start 终端中查找错误消息。',
      },
    }),
    relayedCandidate('candidate', undefined, { en: 'IceCandidateFound (relayed as iceCandidate {name, candidate})', 'zh-Hans': 'IceCandidateFound（以 iceCandidate {name, candidate} 转发）' }),
    browserConnected('publisher-connected', 'peers.ana', ['answer']),
    browserConnected('receiver-connected', 'peers.ben←ana', ['answer']),
    browserTrack('receiver-track', 'peers.ben←ana', ['answer']),
  ],
  completion: {
    en: 'Complete when everyone joined, every receiveVideoFrom was answered, the peers are ICE-connected, and every participant plays every other participant\'s video.',
    'zh-Hans': '当所有人都已加入、每个 receiveVideoFrom 都得到应答、各 peer 都已 ICE 连接，并且每位参与者都在播放其他所有参与者的视频时完成。',
  },
};
