/**
 * Group call in three tiers, as Kurento's Java group-call tutorial runs it: participants (all in this page) join a
 * room on the application server at /groupcall (server/apps/group-call.ts, after Room.java and UserSession.java).
 * Each publishes through one outgoing WebRtcEndpoint and receives every other participant through one incoming
 * WebRtcEndpoint per sender, all in the room's pipeline.
 */
import { LabError } from './framework/explain';
import { js } from '../core/kurento';
import type { AppSocket, LabContext, LabDefinition, LabParamSpec, WebRtcPeer } from './framework/types';
import {
  addRelayedCandidate,
  appMessage,
  appServerError,
  appUrl,
  browserConnected,
  browserTrack,
  countParam,
  expectReply,
  generateOffer,
  processAnswer,
  relayedCandidate,
  runTag,
  sdpAnswerOf,
  sendCandidates,
} from './three-tier-signaling';

const PATH = '/groupcall';
const NAMES = ['ana', 'ben', 'chen', 'dana'] as const;

const PARTICIPANTS: LabParamSpec = {
  id: 'participants',
  label: { en: 'Participants', 'zh-Hans': '参与者人数' },
  kind: 'number',
  default: 3,
  min: 2,
  max: NAMES.length,
};

/** One participant's browser: its socket, and its peers by the name of the participant they carry. */
interface Member {
  name: string;
  socket: AppSocket;
  peers: Map<string, WebRtcPeer>;
}

interface State {
  room: string;
  members: Member[];
}

/** The browser peer (and video slot) of `viewer` that receives `sender`; a participant's own name is its sender. */
function roleOf(viewer: string, sender: string): string {
  return viewer === sender ? viewer : `${viewer}←${sender}`;
}

/** The endpoint of UserSession.java behind a candidate: the outgoing one, or the incoming one for a sender. */
function endpointOf(viewer: string, sender: string): string {
  return viewer === sender ? `${viewer}.outgoingMedia` : `${viewer}.incomingMedia[${sender}]`;
}

async function join(context: LabContext, state: State, name: string): Promise<Member> {
  const socket = await context.appSocket(PATH);
  context.onCleanup(() => socket.close());
  const member: Member = { name, socket, peers: new Map() };
  socket.on('iceCandidate', (message) => {
    const sender = String(message.name);
    const peer = member.peers.get(sender);
    if (peer) addRelayedCandidate(context, peer, roleOf(name, sender), message.candidate, endpointOf(name, sender));
    else context.record('browser', name, 'addIceCandidateError', { message: `iceCandidate for '${sender}' before its peer exists` });
  });
  const existing = expectReply(socket, PATH, 'existingParticipants', { request: 'joinRoom' });
  socket.send({ id: 'joinRoom', name, room: state.room });
  const expected = state.members.map((other) => other.name);
  const listed = (await existing).data;
  if (!Array.isArray(listed) || listed.join() !== expected.join()) {
    throw new LabError(appServerError(PATH, 'joinRoom', `existingParticipants lists ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`));
  }
  return member;
}

/** receiveVideoFrom {sender, sdpOffer} for one peer of `member`, then receiveVideoAnswer {name: sender} into it. */
async function receiveVideoFrom(context: LabContext, member: Member, sender: string): Promise<void> {
  const role = roleOf(member.name, sender);
  const own = member.name === sender;
  const peer = await context.peer(role, own ? { mode: 'sendonly', localVideo: role } : { mode: 'recvonly', remoteVideo: role });
  member.peers.set(sender, peer);
  sendCandidates(peer, member.socket, 'onIceCandidate', { name: sender });
  const sdpOffer = await generateOffer(peer);
  const answer = expectReply(member.socket, PATH, 'receiveVideoAnswer', { request: 'receiveVideoFrom', where: (message) => message.name === sender });
  member.socket.send({ id: 'receiveVideoFrom', sender, sdpOffer });
  await processAnswer(peer, sdpAnswerOf(await answer, PATH));
}

/** The video slots that receive another participant. */
function remoteSlots(state: State): string[] {
  return state.members.flatMap((member) => state.members.filter((other) => other !== member).map((other) => roleOf(member.name, other.name)));
}

export const threeTierGroupCall: LabDefinition<State> = {
  id: 'three-tier-group-call',
  title: { en: 'Three tiers: a group call', 'zh-Hans': '三层架构：多人通话' },
  summary: {
    en: 'The Java group-call tutorial with every participant in this page: they join one room, each publishes its camera through an outgoing WebRtcEndpoint, and receives each other participant through an incoming WebRtcEndpoint connected to that participant\'s outgoing one. One pipeline per room.',
    'zh-Hans': '在本页面中运行所有参与者的 Java group-call 教程：大家加入同一个房间，每人通过一个发送用的 WebRtcEndpoint 发布摄像头画面，并为其他每位参与者各用一个接收用的 WebRtcEndpoint 接收画面，后者连接到对方的发送端点。每个房间一个管道。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [PARTICIPANTS],
  createState: () => ({ room: `room-${runTag()}`, members: [] }),
  steps: [
    {
      id: 'join',
      title: { en: 'Everyone joins the room: joinRoom {name, room}', 'zh-Hans': '所有人加入房间：joinRoom {name, room}' },
      explain: {
        en: 'Participants join one after the other. The newcomer gets existingParticipants {data: [names]}; those already in get newParticipantArrived {name}. The server creates the room\'s pipeline on the first join and each participant\'s outgoing endpoint on its join. The room name has a random suffix, so learners sharing a server get rooms of their own.',
        'zh-Hans': '参与者依次加入。新加入者收到 existingParticipants {data: [名字]}；已在房间中的人收到 newParticipantArrived {name}。服务器在第一个人加入时创建房间的管道，并在每个人加入时创建其发送端点。房间名带有随机后缀，因此共用一台服务器的学员各自拥有自己的房间。',
      },
      code: () => `const ws = new WebSocket(${appUrl(PATH)});
ws.onmessage = (message) => {
  const parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'existingParticipants': onExistingParticipants(parsedMessage); break;
    case 'newParticipantArrived': receiveVideo(parsedMessage.name); break;
    case 'participantLeft': onParticipantLeft(parsedMessage); break;
    case 'receiveVideoAnswer': participants[parsedMessage.name].rtcPeer.processAnswer(parsedMessage.sdpAnswer); break;
    case 'iceCandidate': participants[parsedMessage.name].rtcPeer.addIceCandidate(parsedMessage.candidate); break;
  }
};
ws.onopen = () => sendMessage({ id: 'joinRoom', name: 'ana', room: 'my-room' });`,
      run: async (context, state) => {
        const count = countParam(context.params, PARTICIPANTS);
        for (const name of NAMES.slice(0, count)) state.members.push(await join(context, state, name));
      },
      check: (context, state) => {
        const arrivals = context.recorded({ lane: 'app', source: PATH, type: 'newParticipantArrived' }).length;
        const expected = (state.members.length * (state.members.length - 1)) / 2;
        return { ok: arrivals >= expected, detail: `newParticipantArrived ${arrivals}/${expected}` };
      },
    },
    {
      id: 'publish',
      title: { en: 'Each participant publishes: receiveVideoFrom its own name', 'zh-Hans': '每位参与者发布画面：对自己的名字发送 receiveVideoFrom' },
      explain: {
        en: 'In the tutorial a participant sends its own camera by asking to "receive video from" itself: receiveVideoFrom {sender: own name, sdpOffer} negotiates the outgoing endpoint. Candidates carry a name, telling the server which endpoint they belong to.',
        'zh-Hans': '在教程中，参与者通过“接收来自自己的视频”来发送自己的摄像头画面：receiveVideoFrom {sender: 自己的名字, sdpOffer} 协商的是发送端点。候选消息都带有 name，用来告诉服务器候选属于哪个端点。',
      },
      code: ({ iceServers }) => `participant.rtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
  localVideo: video,
  configuration: { iceServers: ${js(iceServers)} },
  onicecandidate: (candidate) => sendMessage({ id: 'onIceCandidate', candidate, name: 'ana' }),
}, function (error) {
  if (error) return console.error(error);
  this.generateOffer((error, offerSdp) => sendMessage({ id: 'receiveVideoFrom', sender: 'ana', sdpOffer: offerSdp }));
});`,
      run: async (context, state) => {
        for (const member of state.members) await receiveVideoFrom(context, member, member.name);
      },
    },
    {
      id: 'receive',
      title: { en: 'Each participant receives the others', 'zh-Hans': '每位参与者接收其他人的画面' },
      explain: {
        en: 'For every other participant, a receive-only peer sends receiveVideoFrom {sender, sdpOffer}. The server creates an incoming endpoint for that sender, connects the sender\'s outgoing endpoint to it, and answers receiveVideoAnswer {name: sender, sdpAnswer}. With N participants that is N outgoing and N×(N−1) incoming endpoints.',
        'zh-Hans': '对其他每位参与者，一个只接收的 peer 发送 receiveVideoFrom {sender, sdpOffer}。服务器为该发送者创建一个接收端点，把发送者的发送端点连接到它，并回复 receiveVideoAnswer {name: sender, sdpAnswer}。N 位参与者时共有 N 个发送端点和 N×(N−1) 个接收端点。',
      },
      code: () => `function receiveVideo(sender) {
  const participant = new Participant(sender);
  participants[sender] = participant;
  participant.rtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
    remoteVideo: participant.getVideoElement(),
    onicecandidate: (candidate) => sendMessage({ id: 'onIceCandidate', candidate, name: sender }),
  }, function (error) {
    this.generateOffer((error, offerSdp) => sendMessage({ id: 'receiveVideoFrom', sender, sdpOffer: offerSdp }));
  });
}
// on existingParticipants: msg.data.forEach(receiveVideo); on newParticipantArrived: receiveVideo(msg.name)`,
      run: async (context, state) => {
        for (const member of state.members) {
          for (const other of state.members) if (other !== member) await receiveVideoFrom(context, member, other.name);
        }
      },
    },
    {
      id: 'play',
      title: { en: 'Everyone sees everyone', 'zh-Hans': '每个人都看到其他所有人' },
      explain: {
        en: 'Each tile "viewer←sender" plays what the sender publishes, through the sender\'s outgoing endpoint and the viewer\'s incoming one. Stop or Reset closes the sockets: the server tells the others participantLeft, releases the leaving participant\'s endpoints, and releases the pipeline when the room is empty.',
        'zh-Hans': '每个“观看者←发送者”画面播放发送者发布的内容，经由发送者的发送端点和观看者的接收端点。“停止”或“重置”会关闭 WebSocket：服务器向其他人发送 participantLeft，释放离开者的端点，并在房间变空时释放管道。',
      },
      code: () => `// Each participant's <video> elements play on their own: kurento-utils attached the remote streams to them.`,
      run: async (context, state) => {
        for (const slot of remoteSlots(state)) await context.waitForPlayback(slot, 20000);
      },
      check: (context, state) => {
        const slots = remoteSlots(state);
        const playing = slots.filter((slot) => context.media(slot).framesDecoded > 0).length;
        return { ok: slots.length > 0 && playing === slots.length, detail: `${playing}/${slots.length}` };
      },
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
    browserConnected('publisher-connected', 'ana', ['answer']),
    browserConnected('receiver-connected', 'ben←ana', ['answer']),
    browserTrack('receiver-track', 'ben←ana', ['answer']),
  ],
  completion: {
    en: 'Complete when everyone joined, every receiveVideoFrom was answered, the peers are ICE-connected, and every participant plays every other participant\'s video.',
    'zh-Hans': '当所有人都已加入、每个 receiveVideoFrom 都得到应答、各 peer 都已 ICE 连接，并且每位参与者都在播放其他所有参与者的视频时完成。',
  },
};

