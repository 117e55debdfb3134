/**
 * Mixing with a Composite: three or four participants in one page, each a synthetic source of its own colour and tone,
 * each with a send-receive WebRtcEndpoint connected to its own HubPort of one Composite (endpoint → port for what
 * they send, port → endpoint for what they receive). Every participant receives one grid of everybody's video and
 * the mix of everybody's audio but their own. The checks read the grid itself: the colour of every cell of what a
 * participant receives must be the colour of the participant in that cell. The program is labs/programs/mixing.js.
 *
 * Cells are sampled with `view.sampleColorAt(video, relX, relY)` (the average colour around a point of a video, in
 * relative coordinates): the centre of the picture is, in a grid, a corner between cells.
 */
import { AMBER, BLACK, BLUE, GREEN, RED, both, framesOf, rgbText, showsColour, type TestColour } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { localize, type CheckResult, type LabDefinition, type LabView } from './framework/types';

const PEOPLE: ReadonlyArray<{ name: string; colour: TestColour }> = [
  { name: 'alice', colour: RED },
  { name: 'bob', colour: GREEN },
  { name: 'carol', colour: BLUE },
  { name: 'dave', colour: AMBER },
];
/** What a cell can show: a participant, or black when empty. */
export const CELL_COLOURS: readonly TestColour[] = [...PEOPLE.map((person) => person.colour), BLACK];

function participantCount(view: LabView): number {
  const count = Math.round(Number(view.params.participants ?? 3));
  return Number.isFinite(count) ? Math.min(PEOPLE.length, Math.max(3, count)) : 3;
}

function colourOf(name: string): TestColour {
  return PEOPLE.find((person) => person.name === name)?.colour ?? BLACK;
}

/** The names in the program's `room`, in the order their ports were created. */
function roomOf(view: LabView): string[] {
  const room = view.read('room');
  return Array.isArray(room) ? room.map(String) : [];
}

/** The video showing what a participant's browser receives: the grid. */
const gridVideo = (name: string): string => `${name}-grid`;

/** The grid of KMS' Composite (kmscompositemixer): ⌈√n⌉ columns, ⌈n / columns⌉ rows, in the order ports were created. */
export function gridOf(count: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

/** What every cell must show: the participants in order, then black. */
function expectedCells(room: readonly string[]): TestColour[] {
  const { columns, rows } = gridOf(room.length);
  return Array.from({ length: columns * rows }, (_, index) => {
    const name = room[index];
    return name ? colourOf(name) : BLACK;
  });
}

/**
 * Samples the centre of every cell of a grid video and compares it with the colour that cell must have. The detail
 * reads `alice-grid 2x2: ① ✓ red ② ✓ green ③ ✓ blue ④ ✓ black`.
 */
function gridCheck(view: LabView, video: string, room: readonly string[]): CheckResult {
  const { columns, rows } = gridOf(room.length);
  let ok = true;
  const marks = expectedCells(room).map((colour, index) => {
    const rgb = view.sampleColorAt(video, ((index % columns) + 0.5) / columns, (Math.floor(index / columns) + 0.5) / rows);
    const good = showsColour(rgb, colour, CELL_COLOURS);
    if (!good) ok = false;
    return `${String.fromCodePoint(0x2460 + index)} ${good ? '✓' : '✗'} ${localize(colour.name, view.locale)}${good ? '' : ` ≠ ${rgb ? rgbText(rgb) : '—'}`}`;
  });
  return { ok, detail: `${video} ${columns}x${rows}: ${marks.join(' ')}` };
}

/** The room has `count` participants, every grid plays, and the first participant's grid shows every cell right. */
function roomCheck(view: LabView, count: number): CheckResult {
  const room = roomOf(view);
  const joined = { ok: room.length === count, detail: `room ${room.join(', ') || '∅'} (${room.length}/${count})` };
  const first = room[0];
  if (!first) return joined;
  const frames = room.map((name) => ({ name, frames: framesOf(view, gridVideo(name)) }));
  const playing = { ok: frames.every((entry) => entry.frames > 0), detail: frames.map((entry) => `${gridVideo(entry.name)} framesDecoded ${entry.frames}`).join(', ') };
  return both(both(joined, playing), gridCheck(view, gridVideo(first), room));
}

export const mixing: LabDefinition = {
  id: 'mixing',
  title: { en: 'Mixing with a Composite', 'zh-Hans': '用 Composite 混流' },
  summary: {
    en: 'Three or four participants in one page, each a coloured picture with a tone of its own, each connected to a HubPort of one Composite. Everybody receives one grid of all the pictures and the mix of everybody\'s audio but their own; the grid adapts as people join and leave. The lab checks every cell of the grid by its colour.',
    'zh-Hans': '同一页面里有三到四个参与者，每人是一个带自己音调的彩色画面，各自连到同一个 Composite 的一个 HubPort。每个人收到一个包含所有画面的网格，以及除自己之外所有人的混音；有人加入或离开时网格随之调整。实验按颜色检查网格的每一格。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'Composite', 'HubPort'],
  params: [{ id: 'participants', label: { en: 'Participants', 'zh-Hans': '参与者人数' }, kind: 'number', default: 3, min: 3, max: PEOPLE.length }],
  program: () => import('./programs/mixing.js?raw').then((module) => module.default),
  page: { videos: [] },
  steps: [
    {
      id: 'composite',
      title: { en: 'One pipeline, one Composite', 'zh-Hans': '一个管道，一个 Composite' },
      explain: {
        en: 'A Composite is a Hub: it is not connected directly, you create HubPorts on it (createHubPort) and connect elements to and from the ports. Its constructor takes the size and frame rate of the grid (defaults 800x600 at 15 fps).',
        'zh-Hans': 'Composite 是一种 Hub：它本身不直接 connect，而是在它上面创建 HubPort（createHubPort），再把元素连到端口、从端口连出。构造参数是网格的尺寸和帧率（默认 800x600、15 fps）。',
      },
      sets: ['client', 'pipeline', 'composite'],
    },
    {
      id: 'two',
      title: { en: 'alice and bob join: side by side', 'zh-Hans': 'alice 和 bob 加入：左右并排' },
      explain: {
        en: 'Each participant has a WebRtcEndpoint and a HubPort: endpoint → port carries what they send into the mix, port → endpoint brings the grid and the audio mix back. With two pictures the grid is two cells side by side, in the order the ports were created: alice (red) left, bob (green) right. This is where the CPU goes: KMS decodes every participant\'s video and audio (one decoder each), draws the grid, encodes it once (the same video for everybody) and encodes one audio mix per participant, because each mix leaves that participant\'s own voice out.',
        'zh-Hans': '每个参与者有一个 WebRtcEndpoint 和一个 HubPort：端点 → 端口把他发送的媒体送进混流，端口 → 端点把网格和混音送回来。两个画面时网格是左右并排的两格，按端口创建的顺序排列：alice（红色）在左，bob（绿色）在右。CPU 就花在这里：KMS 要解码每个参与者的视频和音频（每人一个解码器），画出网格，把网格编码一次（所有人收到同一路视频），再为每个参与者各编码一路混音，因为每路混音都要去掉该参与者自己的声音。',
      },
      check: (view) => roomCheck(view, 2),
      timeout: 30000,
    },
    {
      id: 'more',
      title: { en: 'More participants: the grid becomes 2x2', 'zh-Hans': '更多参与者：网格变成 2x2' },
      explain: {
        en: 'carol (blue) joins, and dave (amber) with four participants. KMS lays the grid out again for the new number of pictures: ⌈√n⌉ columns, ⌈n / columns⌉ rows, so three or four pictures make a 2x2 grid, and a cell nobody fills stays black. Nothing is renegotiated: the grid is one video stream whose content changes. The lab samples the centre of every cell of alice\'s grid.',
        'zh-Hans': 'carol（蓝色）加入；四人时 dave（琥珀色）也加入。KMS 按新的画面数量重新排布网格：⌈√n⌉ 列、⌈n / 列数⌉ 行，所以三或四个画面组成 2x2 网格，没人占用的格子保持黑色。不需要重新协商：网格始终是同一路视频流，只是内容变了。实验对 alice 的网格每一格的中心取样。',
      },
      check: (view) => roomCheck(view, participantCount(view)),
      timeout: 35000,
    },
    {
      id: 'everyone',
      title: { en: 'Everybody sees the same grid and hears the others', 'zh-Hans': '每个人看到同一个网格，听到其他人' },
      explain: {
        en: 'Every port sends the same grid, so every participant\'s tile shows the same cells. The audio is different for each: alice hears bob\'s and carol\'s tones but not her own 440 Hz. MediaFlowInStateChanged AUDIO and VIDEO FLOWING on each endpoint prove the grid and the mix reach every participant.',
        'zh-Hans': '每个端口送出的都是同一个网格，所以每个参与者的画面都显示相同的格子。音频则各不相同：alice 听得到 bob 和 carol 的音调，却听不到自己的 440 Hz。每个端点上 AUDIO 和 VIDEO 的 MediaFlowInStateChanged FLOWING 证明网格和混音送到了每个参与者。',
      },
      check: (view) => {
        const room = roomOf(view);
        const grids = room.map((name) => gridCheck(view, gridVideo(name), room));
        const flows = room.map((name) => {
          const audio = view.recorded({ lane: 'kms', source: `endpoints.${name}`, type: 'MediaFlowInStateChanged', where: { mediaType: 'AUDIO', state: 'FLOWING' } }).length > 0;
          return { ok: audio, detail: `endpoints.${name} AUDIO ${audio ? 'FLOWING' : '…'}` };
        });
        return [...grids, ...flows].reduce(both, { ok: room.length > 0, detail: '' });
      },
      timeout: 20000,
    },
    {
      id: 'leave',
      title: { en: 'The last one leaves: the grid shrinks', 'zh-Hans': '最后一个人离开：网格缩小' },
      explain: {
        en: 'The leaver\'s HubPort and endpoint are released and the browser peer disposed. Releasing the port disconnects it (ElementDisconnected on the leaver\'s endpoint); the Composite takes the picture out of the grid and lays it out again for the others, whose calls go on.',
        'zh-Hans': '释放离开者的 HubPort 和端点，并销毁浏览器 peer。释放端口会先断开它（离开者的端点触发 ElementDisconnected）；Composite 把这个画面从网格中拿掉，为其余的人重新排布，他们的通话照常进行。',
      },
      sets: ['leaver'],
      check: (view) => roomCheck(view, participantCount(view) - 1),
      timeout: 25000,
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('endpoints.alice', { ready: 'optional' }),
    {
      id: 'alice-into-port',
      label: { en: 'endpoints.alice: ElementConnected VIDEO (endpoint → HubPort)', 'zh-Hans': 'endpoints.alice：ElementConnected VIDEO（端点 → HubPort）' },
      lane: 'kms',
      source: 'endpoints.alice',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      within: 20000,
      hint: {
        en: 'Each participant\'s endpoint must feed its own port: webRtcEp.connect(port).',
        'zh-Hans': '每个参与者的端点都要连到自己的端口：webRtcEp.connect(port)。',
      },
    },
    {
      id: 'alice-port-out',
      label: { en: 'ports.alice: MediaFlowOutStateChanged VIDEO → FLOWING (the grid leaves the port)', 'zh-Hans': 'ports.alice：MediaFlowOutStateChanged VIDEO → FLOWING（网格从端口送出）' },
      lane: 'kms',
      source: 'ports.alice',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['endpoints.alice:connected'],
      within: 20000,
      hint: {
        en: 'The Composite sends nothing out of this port: is the port connected back to the endpoint (port.connect(webRtcEp))? The grid starts once some participant\'s video arrives.',
        'zh-Hans': 'Composite 没有从这个端口送出任何东西：端口是否连回了端点（port.connect(webRtcEp)）？要等某个参与者的视频到达后网格才会开始。',
      },
    },
    ...flowExpectations('endpoints.alice', ['AUDIO', 'VIDEO'], { after: ['endpoints.alice:connected'] }),
    ...flowExpectations('endpoints.bob', ['AUDIO', 'VIDEO']),
    {
      id: 'left',
      label: { en: 'ElementDisconnected VIDEO (a participant left)', 'zh-Hans': 'ElementDisconnected VIDEO（有参与者离开）' },
      lane: 'kms',
      type: 'ElementDisconnected',
      where: { mediaType: 'VIDEO' },
      after: ['endpoints.bob:flow-in-VIDEO'],
      hint: {
        en: 'Releasing the leaver\'s HubPort disconnects it from the leaver\'s endpoint, which raises ElementDisconnected.',
        'zh-Hans': '释放离开者的 HubPort 时，KMS 会把它与离开者的端点断开，由端点触发 ElementDisconnected。',
      },
    },
  ],
  completion: {
    en: 'Complete when every cell of the grid showed the right participant with two, then three or four participants, everybody received the grid and the audio mix, and the grid shrank when the last participant left.',
    'zh-Hans': '当两人、再到三或四人时网格的每一格都显示出正确的参与者，每个人都收到了网格和混音，且最后一人离开后网格随之缩小时完成。',
  },
};
