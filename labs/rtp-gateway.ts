/**
 * The RTP gateway: KMS between WebRTC and plain RTP, with ffmpeg on the RTP side in both directions. A page cannot run
 * ffmpeg, so the lab is three-tier: the page talks to the application server at /rtpgateway (server/apps/rtp-gateway.ts),
 * which creates the RtpEndpoints, writes ffmpeg's side of their SDP, starts ffmpeg with arguments of its own, and
 * forwards every endpoint event as KMS_EVENT {source}. The checks read what came back: ffmpeg's test pattern
 * (rgbtestsrc: red, green and blue bands) in the page's remote video, and ffprobe's view of the file ffmpeg recorded (reported by the server).
 * The code of each step is labs/programs/rtp-gateway.js.
 */
import { WEBRTC_ENDPOINT_EVENTS } from '../core/events';
import { channelDistance, rgbOf, rgbText } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS } from './framework/expectations';
import { localize, type CheckResult, type ExpectedEvent, type LabDefinition, type LabView, type Localized } from './framework/types';
import { appMessage, appServerVars, browserConnected, socketsOpen } from './three-tier';

const PATH = '/rtpgateway';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The three bands of ffmpeg's rgbtestsrc (red, green, blue from the top, each a third of the height, at half
 * intensity), where the check samples them: the page's own camera is one colour all over.
 */
export const TEST_BANDS: ReadonlyArray<{ x: number; y: number; hex: string; name: Localized }> = [
  { x: 0.5, y: 1 / 6, hex: '#7f0000', name: { en: 'red', 'zh-Hans': '红色' } },
  { x: 0.5, y: 0.5, hex: '#007f00', name: { en: 'green', 'zh-Hans': '绿色' } },
  { x: 0.5, y: 5 / 6, hex: '#00007f', name: { en: 'blue', 'zh-Hans': '蓝色' } },
];
/** How far (per channel) a sampled bar may be from its colour after VP8 and the browser's conversion. */
const BAR_TOLERANCE = 50;

/** The page's remote video shows ffmpeg's test pattern: each band where it belongs. */
export function bandsShown(view: LabView): CheckResult {
  const media = view.media('videoOutput');
  const seen = TEST_BANDS.map((bar) => {
    const sample = view.sampleColorAt('videoOutput', bar.x, bar.y);
    return { bar, sample, ok: sample !== undefined && channelDistance(sample, rgbOf(bar.hex)) <= BAR_TOLERANCE };
  });
  const ok = media.framesDecoded > 0 && seen.every((item) => item.ok);
  const detail = `${media.width}x${media.height}, ${seen.map(({ bar, sample, ok: good }) => `${localize(bar.name, view.locale)} ${sample ? rgbText(sample) : '?'} ${good ? '✓' : '✗'}`).join(', ')}`;
  return {
    ok,
    detail,
    ...(ok
      ? {}
      : {
          hint: {
            en: 'the red, green and blue bands of ffmpeg\'s test pattern in the remote video. If RTP_IN_STARTED came, ffmpeg runs: look at rtpIn\'s MediaFlowOut (does KMS receive its packets and put them into the pipeline?) and at the answer\'s port. If an ERROR came instead: ffmpeg must be installed where npm start runs (sudo apt-get install ffmpeg), and the KMS must run on that machine.',
            'zh-Hans': '远端视频中 ffmpeg 测试图案的红、绿、蓝三条色带。如果已收到 RTP_IN_STARTED，说明 ffmpeg 已在运行：请查看 rtpIn 的 MediaFlowOut（KMS 收到它的包并送进管道了吗？）以及应答中的端口。如果收到的是 ERROR：运行 npm start 的机器上必须装有 ffmpeg（sudo apt-get install ffmpeg），而且 KMS 必须在同一台机器上运行。',
          },
        }),
  };
}

/** The recording the server probed: a VP8 video stream of a plausible duration. */
export function recordingMade(view: LabView): CheckResult {
  const info = record(view.read('recording'));
  const video = record(info.video);
  const seconds = typeof info.durationSeconds === 'number' ? info.durationSeconds : 0;
  const ok = typeof video.codec === 'string' && Number(video.width) > 0 && seconds >= 2 && seconds <= 30;
  const detail = info.file
    ? `${String(info.file)}: ${seconds.toFixed(1)} s, ${typeof video.codec === 'string' ? `${video.codec} ${String(video.width)}x${String(video.height)}` : 'no video'}`
    : localize({ en: 'no RECORDING message yet', 'zh-Hans': '还没有收到 RECORDING 消息' }, view.locale);
  return {
    ok,
    detail,
    ...(ok
      ? {}
      : {
          hint: {
            en: 'a recording with a video stream of 2 s or more. If the file has no video, nothing reached ffmpeg: look at rtpOut\'s MediaFlowIn and at the KMS address of its offer (it must be this machine\'s); ffmpeg\'s own error comes with an ERROR or FFMPEG_EXITED message.',
            'zh-Hans': '一个包含视频流、时长至少 2 秒的录制文件。如果文件里没有视频，说明没有媒体到达 ffmpeg：请查看 rtpOut 的 MediaFlowIn 以及它的 offer 中 KMS 的地址（必须是本机地址）；ffmpeg 自己的错误会随 ERROR 或 FFMPEG_EXITED 消息一起到来。',
          },
        }),
  };
}

function rtpExpectation(id: string, source: string, type: string, where: Readonly<Record<string, unknown>>, label: Localized, hint: Localized, after?: string[]): ExpectedEvent {
  return { id, label, lane: 'kms', source, type, where, within: 20000, hint, ...(after ? { after } : {}) };
}

export const rtpGateway: LabDefinition = {
  id: 'rtp-gateway',
  title: { en: 'RTP gateway: ffmpeg in, ffmpeg out', 'zh-Hans': 'RTP 网关：ffmpeg 进，ffmpeg 出' },
  summary: {
    en: 'KMS as the gateway between WebRTC and plain RTP: ffmpeg sends its test pattern into an RtpEndpoint and this page receives them over WebRTC; then the page\'s camera goes out through another RtpEndpoint to ffmpeg, which records it. An application server runs ffmpeg and writes its side of each SDP, shown here: no ICE, no DTLS, just addresses, ports and codecs.',
    'zh-Hans': 'KMS 作为 WebRTC 与普通 RTP 之间的网关：ffmpeg 把它的测试图案发进一个 RtpEndpoint，本页面通过 WebRTC 收到它；然后页面的摄像头画面经由另一个 RtpEndpoint 发给 ffmpeg，由它录制下来。ffmpeg 由应用服务器运行，每个 SDP 中 ffmpeg 那一方也由它编写，都显示在这里：没有 ICE，没有 DTLS，只有地址、端口和编解码器。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'RtpEndpoint'],
  eventClasses: { ...WEBRTC_ENDPOINT_EVENTS, RtpEndpoint: ['OnKeySoftLimit'] },
  params: [
    {
      id: 'transport',
      label: { en: 'ffmpeg → KMS', 'zh-Hans': 'ffmpeg → KMS' },
      kind: 'choice',
      default: 'rtp',
      choices: [
        { value: 'rtp', label: { en: 'Plain RTP (RTP/AVP)', 'zh-Hans': '普通 RTP（RTP/AVP）' } },
        { value: 'srtp', label: { en: 'SRTP with SDES keys (RTP/SAVP, crypto)', 'zh-Hans': '使用 SDES 密钥的 SRTP（RTP/SAVP，crypto）' } },
      ],
    },
  ],
  program: () => import('./programs/rtp-gateway.js?raw').then((module) => module.default),
  settingsVars: appServerVars,
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput), later recorded by ffmpeg', 'zh-Hans': '你的摄像头（videoInput），稍后由 ffmpeg 录制' }, muted: true },
      { id: 'videoOutput', label: { en: 'From ffmpeg through KMS (videoOutput)', 'zh-Hans': '来自 ffmpeg、经过 KMS（videoOutput）' }, muted: true },
    ],
  },
  // The KMS lane: each KMS_EVENT is the event of the endpoint it names (webRtcEp, rtpIn or rtpOut).
  appEvents: (path, message) =>
    path === PATH && message.id === 'KMS_EVENT' && typeof message.eventType === 'string' && typeof message.source === 'string'
      ? [{ lane: 'kms', source: message.source, type: message.eventType, data: record(message.data) }]
      : undefined,
  steps: [
    {
      id: 'socket',
      title: { en: 'Open the WebSocket to the application server', 'zh-Hans': '打开到应用服务器的 WebSocket' },
      explain: {
        en: 'A page cannot start ffmpeg, and should not be able to: the application server does, on the machine of npm start, next to its kurento-client. The page only asks for each step (START_RTP_IN, START_RTP_OUT, STOP_RTP_OUT); the server builds every ffmpeg argument itself and sends only to the addresses and ports KMS negotiated.',
        'zh-Hans': '页面无法启动 ffmpeg，也不应该能够启动：由应用服务器在运行 npm start 的机器上启动它，和它的 kurento-client 在一起。页面只请求每一步（START_RTP_IN、START_RTP_OUT、STOP_RTP_OUT）；ffmpeg 的每个参数都由服务器自己构造，并且只发往 KMS 协商出的地址和端口。',
      },
      sets: ['ws'],
      check: (view) => socketsOpen(view, ['ws']),
    },
    {
      id: 'peer',
      title: { en: 'A camera and a WebRtcPeerSendrecv', 'zh-Hans': '摄像头和 WebRtcPeerSendrecv' },
      explain: {
        en: 'One WebRTC connection carries both directions of this lab: it receives what ffmpeg sends, and sends the blue test camera that ffmpeg will record.',
        'zh-Hans': '本实验的两个方向都走同一条 WebRTC 连接：它接收 ffmpeg 发来的画面，并发送稍后由 ffmpeg 录制的蓝色测试摄像头画面。',
      },
      sets: ['webRtcPeer'],
      check: (view) => {
        const local = view.media('videoInput');
        return { ok: local.width > 0, detail: `${local.width}x${local.height}` };
      },
    },
    {
      id: 'offer',
      title: { en: 'PROCESS_SDP_OFFER: the pipeline and its WebRtcEndpoint', 'zh-Hans': 'PROCESS_SDP_OFFER：管道及其 WebRtcEndpoint' },
      explain: {
        en: 'As in the three-tier Hello World: the server creates a MediaPipeline and a WebRtcEndpoint (webRtcEp), answers, and relays ICE candidates. Nothing is connected to webRtcEp yet, so the remote video stays black.',
        'zh-Hans': '和三层架构的 Hello World 一样：服务器创建 MediaPipeline 和 WebRtcEndpoint（webRtcEp），给出应答，并转发 ICE 候选。webRtcEp 还没有连接任何元素，所以远端视频仍是黑的。',
      },
      sets: ['sdpAnswer'],
      expects: ['answer', 'browser-connected'],
    },
    {
      id: 'rtp-in',
      title: { en: 'ffmpeg → rtpIn → webRtcEp: SDP without ICE', 'zh-Hans': 'ffmpeg → rtpIn → webRtcEp：没有 ICE 的 SDP' },
      explain: {
        en: 'ffmpeg reads no SDP when it sends, so the server writes the offer for it: one video section, VP8 on payload type 96, a=sendonly, and a=direction:active: COMEDIA, "I will send first, learn my address from my packets". KMS answers with its address (c=) and the even port its RtpEndpoint listens on (RTCP on the next one), and the server starts ffmpeg towards exactly that address and port. With SRTP, the RtpEndpoint is created with crypto (SDES): the offer carries ffmpeg\'s key in a=crypto and the answer KMS\' own. The check looks for ffmpeg\'s test pattern (rgbtestsrc: red, green and blue bands) in the remote video.',
        'zh-Hans': 'ffmpeg 发送时不读 SDP，所以由服务器替它写 offer：一个视频段，VP8 使用负载类型 96，a=sendonly，以及 a=direction:active：即 COMEDIA，“我先发送，请从我的包里得知我的地址”。KMS 在应答中给出它的地址（c=）和 RtpEndpoint 监听的偶数端口（RTCP 用下一个端口），服务器再让 ffmpeg 正好发往这个地址和端口。选择 SRTP 时，RtpEndpoint 创建时带有 crypto（SDES）：offer 的 a=crypto 中是 ffmpeg 的密钥，应答中是 KMS 自己的密钥。检查会在远端视频中寻找 ffmpeg 的测试图案（rgbtestsrc：红、绿、蓝三条色带）。',
      },
      sets: ['rtpIn'],
      expects: ['rtp-in-started', 'rtpIn:flow-out'],
      check: bandsShown,
      timeout: 30000,
    },
    {
      id: 'rtp-out',
      title: { en: 'webRtcEp → rtpOut → ffmpeg: KMS makes the offer', 'zh-Hans': 'webRtcEp → rtpOut → ffmpeg：由 KMS 提出 offer' },
      explain: {
        en: 'The other direction: rtpOut.generateOffer() says where KMS sends from and what it can send (audio and video, RTP/AVPF, several codecs). The server answers for ffmpeg: VP8 video to a port of 127.0.0.1, audio refused with port 0. ffmpeg reads that SDP on its standard input and listens; then processAnswer tells KMS where to send, and webRtcEp.connect(rtpOut) starts the media (with a key frame requested from the browser, so that the recording starts with one).',
        'zh-Hans': '另一个方向：rtpOut.generateOffer() 说明 KMS 从哪里发送、能发送什么（音频和视频、RTP/AVPF、多种编解码器）。服务器替 ffmpeg 作答：VP8 视频发往 127.0.0.1 的一个端口，音频以端口 0 拒绝。ffmpeg 从标准输入读取这个 SDP 并开始监听；随后 processAnswer 告诉 KMS 发往哪里，webRtcEp.connect(rtpOut) 让媒体开始流动（同时向浏览器请求一个关键帧，使录制从关键帧开始）。',
      },
      sets: ['rtpOut'],
      expects: ['rtp-out-started', 'rtpOut:flow-in'],
    },
    {
      id: 'stop-recording',
      title: { en: 'STOP_RTP_OUT: ffmpeg finishes the file, ffprobe reads it', 'zh-Hans': 'STOP_RTP_OUT：ffmpeg 写完文件，ffprobe 读取它' },
      explain: {
        en: 'After four seconds the server stops ffmpeg with SIGINT (so that it writes the end of the WebM file), releases rtpOut and reports what ffprobe finds in the file: its duration and its video stream. In the embedded KMS\'s media folder, the file can be downloaded from /kms-media/.',
        'zh-Hans': '四秒后，服务器用 SIGINT 停止 ffmpeg（让它写完 WebM 文件的结尾），释放 rtpOut，并报告 ffprobe 在文件中看到的内容：时长和视频流。文件位于内嵌 KMS 的媒体文件夹中，可以从 /kms-media/ 下载。',
      },
      sets: ['recording'],
      expects: ['recorded'],
      check: recordingMade,
      timeout: 25000,
    },
  ],
  expected: [
    appMessage('answer', PATH, 'PROCESS_SDP_ANSWER', { en: 'PROCESS_SDP_ANSWER (application server)', 'zh-Hans': 'PROCESS_SDP_ANSWER（应用服务器）' }, {
      hint: {
        en: 'The application server did not answer the offer: look for an ERROR message in the inspector (channel app:/rtpgateway) and at the npm start terminal.',
        'zh-Hans': '应用服务器没有应答 offer：请在检查器（app:/rtpgateway 通道）中查找 ERROR 消息，并查看 npm start 终端。',
      },
    }),
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }),
    browserConnected('browser-connected', 'webRtcPeer', ['answer']),
    appMessage('rtp-in-started', PATH, 'RTP_IN_STARTED', { en: 'RTP_IN_STARTED (ffmpeg sends)', 'zh-Hans': 'RTP_IN_STARTED（ffmpeg 开始发送）' }, {
      after: ['answer'],
      hint: {
        en: 'The application server did not start the sender: its ERROR message says why. ffmpeg must be installed on the machine of npm start (sudo apt-get install ffmpeg), and KMS must answer with an address of that machine.',
        'zh-Hans': '应用服务器没有启动发送端：它的 ERROR 消息说明了原因。运行 npm start 的机器上必须装有 ffmpeg（sudo apt-get install ffmpeg），而且 KMS 应答中的地址必须是那台机器的地址。',
      },
    }),
    rtpExpectation('rtpIn:connected', 'rtpIn', 'ConnectionStateChanged', { newState: 'CONNECTED' }, { en: 'rtpIn: ConnectionStateChanged → CONNECTED (both SDPs known)', 'zh-Hans': 'rtpIn：ConnectionStateChanged → CONNECTED（双方 SDP 已知）' }, {
      en: 'An RtpEndpoint is connected as soon as its offer and answer are known: processOffer did not complete.',
      'zh-Hans': 'RtpEndpoint 在 offer 和 answer 都已知时就处于连接状态：processOffer 没有完成。',
    }),
    rtpExpectation('rtpIn:flow-out', 'rtpIn', 'MediaFlowOutStateChanged', { mediaType: 'VIDEO', state: 'FLOWING' }, { en: 'rtpIn: MediaFlowOutStateChanged VIDEO → FLOWING (ffmpeg\'s video into the pipeline)', 'zh-Hans': 'rtpIn：MediaFlowOutStateChanged VIDEO → FLOWING（ffmpeg 的视频进入管道）' }, {
      en: 'KMS receives no RTP from ffmpeg, so rtpIn puts nothing out into the pipeline (MediaFlowOut: out of the element, towards webRtcEp): ffmpeg sends to another port than the answer\'s, or (SRTP) with a key KMS cannot use. Compare the command line with the answer.',
      'zh-Hans': 'KMS 没有收到 ffmpeg 的 RTP，所以 rtpIn 没有向管道输出任何内容（MediaFlowOut：从元素流出、流向 webRtcEp）：ffmpeg 发往的端口不是应答中的端口，或者（SRTP）用了 KMS 无法使用的密钥。请对照命令行和应答。',
    }, ['rtp-in-started']),
    rtpExpectation('webRtcEp:flow-out', 'webRtcEp', 'MediaFlowOutStateChanged', { mediaType: 'VIDEO', state: 'FLOWING' }, { en: 'webRtcEp: MediaFlowOutStateChanged VIDEO → FLOWING (to this page)', 'zh-Hans': 'webRtcEp：MediaFlowOutStateChanged VIDEO → FLOWING（发往本页面）' }, {
      en: 'webRtcEp sends no video to the page: rtpIn must be connected to it (rtpIn.connect(webRtcEp)) and receive video.',
      'zh-Hans': 'webRtcEp 没有向页面发送视频：rtpIn 必须连接到它（rtpIn.connect(webRtcEp)）并且收到视频。',
    }, ['rtp-in-started']),
    appMessage('rtp-out-started', PATH, 'RTP_OUT_STARTED', { en: 'RTP_OUT_STARTED (ffmpeg records)', 'zh-Hans': 'RTP_OUT_STARTED（ffmpeg 开始录制）' }, {
      after: ['rtp-in-started'],
      hint: {
        en: 'The application server did not start the recorder: its ERROR message says why (ffmpeg missing, no free port, KMS not on this machine).',
        'zh-Hans': '应用服务器没有启动录制端：它的 ERROR 消息说明了原因（缺少 ffmpeg、没有空闲端口、KMS 不在本机）。',
      },
    }),
    rtpExpectation('rtpOut:flow-in', 'rtpOut', 'MediaFlowInStateChanged', { mediaType: 'VIDEO', state: 'FLOWING' }, { en: 'rtpOut: MediaFlowInStateChanged VIDEO → FLOWING (the camera, on its way to ffmpeg)', 'zh-Hans': 'rtpOut：MediaFlowInStateChanged VIDEO → FLOWING（摄像头画面，正发往 ffmpeg）' }, {
      en: 'No video reaches rtpOut from the pipeline (MediaFlowIn: into the element, from webRtcEp): webRtcEp must be connected to it and receive the browser\'s video (webRtcEp MediaFlowOut).',
      'zh-Hans': '没有视频从管道进入 rtpOut（MediaFlowIn：从 webRtcEp 流入该元素）：webRtcEp 必须连接到它，并且收到浏览器的视频（webRtcEp 的 MediaFlowOut）。',
      // After RTP_IN_STARTED (rtpOut is made on the START_RTP_OUT that follows it), not after RTP_OUT_STARTED: the
      // server sends that once connect() has returned, and KMS's first MediaFlowIn, raised as the media starts at the
      // connect, may reach the server, and be forwarded, before connect's response does.
    }, ['rtp-in-started']),
    appMessage('recorded', PATH, 'RECORDING', { en: 'RECORDING (ffprobe of the file)', 'zh-Hans': 'RECORDING（ffprobe 读取文件的结果）' }, {
      after: ['rtp-out-started'],
      within: 25000,
      hint: {
        en: 'The server did not report the recording: ffprobe could not read the file (its ERROR message quotes ffmpeg), usually because no packet reached ffmpeg.',
        'zh-Hans': '服务器没有报告录制结果：ffprobe 无法读取文件（ERROR 消息中引用了 ffmpeg 的输出），通常是因为没有任何包到达 ffmpeg。',
      },
    }),
  ],
  completion: {
    en: 'Complete when the page shows ffmpeg\'s test pattern received through rtpIn and webRtcEp, and ffmpeg recorded the page\'s camera through rtpOut into a file with a VP8 video stream of two seconds or more.',
    'zh-Hans': '当页面显示经由 rtpIn 和 webRtcEp 收到的 ffmpeg 测试图案，并且 ffmpeg 经由 rtpOut 把页面的摄像头画面录制成一个包含 VP8 视频流、时长两秒以上的文件时完成。',
  },
};
