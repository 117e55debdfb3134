/**
 * Expected-event sets shared by several labs, following the documented WebRtcEndpoint sequence (Kurento docs,
 * "Endpoint Events"): GATHERING → CONNECTING → (NewCandidatePairSelected) → CONNECTED → READY, with IceCandidateFound
 * and IceGatheringDone interleaved anywhere after GATHERING.
 */
import type { ExpectedEvent } from './types';

type Mode = 'required' | 'optional';

export function WEBRTC_ICE_EXPECTATIONS(source: string, options: { ready?: Mode; prefix?: string } = {}): ExpectedEvent[] {
  const p = options.prefix ?? source;
  const id = (name: string): string => `${p}:${name}`;
  return [
    {
      id: id('gathering'),
      label: { en: 'IceComponentStateChanged → GATHERING', 'zh-Hans': 'IceComponentStateChanged → GATHERING' },
      lane: 'kms',
      source,
      type: 'IceComponentStateChanged',
      where: { state: 'GATHERING' },
      within: 20000,
      hint: {
        en: 'KMS starts ICE only when gatherCandidates() is called, after processOffer (or processAnswer). Check that the call was made and did not fail.',
        'zh-Hans': 'KMS 只有在 processOffer（或 processAnswer）之后调用 gatherCandidates() 时才开始 ICE。请确认调用已发出且没有失败。',
      },
    },
    {
      id: id('candidate'),
      label: { en: 'IceCandidateFound', 'zh-Hans': 'IceCandidateFound' },
      lane: 'kms',
      source,
      type: 'IceCandidateFound',
      after: [id('gathering')],
      within: 5000,
      hint: {
        en: 'KMS found no local candidate: it has no usable network interface (check networkInterfaces in WebRtcEndpoint.conf.ini).',
        'zh-Hans': 'KMS 没有找到本地候选：它没有可用的网络接口（检查 WebRtcEndpoint.conf.ini 中的 networkInterfaces）。',
      },
    },
    {
      id: id('connecting'),
      label: { en: 'IceComponentStateChanged → CONNECTING', 'zh-Hans': 'IceComponentStateChanged → CONNECTING' },
      lane: 'kms',
      source,
      type: 'IceComponentStateChanged',
      where: { state: 'CONNECTING' },
      after: [id('gathering')],
      within: 5000,
      hint: {
        en: 'KMS starts connectivity checks when the first remote candidate arrives: the browser\'s candidates are not reaching addIceCandidate. Check the icecandidate handler.',
        'zh-Hans': '第一个远端候选到达时 KMS 才开始连通性检查：浏览器的候选没有送到 addIceCandidate。请检查 icecandidate 的处理函数。',
      },
    },
    {
      id: id('pair'),
      label: { en: 'NewCandidatePairSelected', 'zh-Hans': 'NewCandidatePairSelected' },
      lane: 'kms',
      source,
      type: 'NewCandidatePairSelected',
      after: [id('connecting')],
      within: 10000,
      hint: {
        en: 'No candidate pair succeeded yet. Both sides must add each other\'s candidates; across networks, a STUN or TURN server is needed.',
        'zh-Hans': '还没有候选对检查成功。双方都必须加入对方的候选；跨网络时需要 STUN 或 TURN 服务器。',
      },
    },
    {
      id: id('connected'),
      label: { en: 'IceComponentStateChanged → CONNECTED', 'zh-Hans': 'IceComponentStateChanged → CONNECTED' },
      lane: 'kms',
      source,
      type: 'IceComponentStateChanged',
      where: { state: 'CONNECTED' },
      after: [id('connecting')],
      within: 10000,
      hint: {
        en: 'CONNECTED never came: check that candidates flow both ways (IceCandidateFound → browser addIceCandidate, browser icecandidate → KMS addIceCandidate), that no firewall blocks UDP, and set STUN/TURN when the browser and KMS are on different networks.',
        'zh-Hans': '一直没有等到 CONNECTED：请确认候选双向传递（IceCandidateFound → 浏览器 addIceCandidate，浏览器 icecandidate → KMS addIceCandidate），确认没有防火墙阻挡 UDP；浏览器与 KMS 不在同一网络时请配置 STUN/TURN。',
      },
    },
    {
      id: id('gathering-done'),
      label: { en: 'IceGatheringDone', 'zh-Hans': 'IceGatheringDone' },
      lane: 'kms',
      source,
      type: 'IceGatheringDone',
      after: [id('gathering')],
      within: 15000,
      hint: {
        en: 'Gathering takes long when a STUN or TURN server does not answer: check stunServerAddress/turnURL.',
        'zh-Hans': '当 STUN 或 TURN 服务器没有应答时，收集会拖得很久：请检查 stunServerAddress/turnURL。',
      },
    },
    {
      id: id('ready'),
      label: { en: 'IceComponentStateChanged → READY', 'zh-Hans': 'IceComponentStateChanged → READY' },
      lane: 'kms',
      source,
      type: 'IceComponentStateChanged',
      where: { state: 'READY' },
      after: [id('connected')],
      within: 15000,
      optional: options.ready === 'optional',
      hint: {
        en: 'READY comes when all checks are over; pairs still being checked (for example through an unreachable interface) delay it.',
        'zh-Hans': '所有检查结束后才会 READY；仍在检查中的候选对（例如经由不可达接口的）会推迟它。',
      },
    },
  ];
}

/** MediaFlowInStateChanged FLOWING (and MediaFlowOut, optional) per media type on one element. */
export function flowExpectations(source: string, mediaTypes: ReadonlyArray<'AUDIO' | 'VIDEO'>, options: { direction?: 'in' | 'both'; after?: string[] } = {}): ExpectedEvent[] {
  const result: ExpectedEvent[] = [];
  for (const mediaType of mediaTypes) {
    result.push({
      id: `${source}:flow-in-${mediaType}`,
      label: { en: `MediaFlowInStateChanged ${mediaType} → FLOWING`, 'zh-Hans': `MediaFlowInStateChanged ${mediaType} → FLOWING` },
      lane: 'kms',
      source,
      type: 'MediaFlowInStateChanged',
      where: { mediaType, state: 'FLOWING' },
      after: options.after,
      within: 20000,
      hint: {
        en: `No ${mediaType} reaches this element from the pipeline. Is it connected to a source (connect), is ICE CONNECTED, and does the source receive ${mediaType} (MediaFlowOut on the source)?`,
        'zh-Hans': `没有 ${mediaType} 从管道进入这个元素。它是否已经 connect 到某个源？ICE 是否已 CONNECTED？源本身是否收到了 ${mediaType}（看源上的 MediaFlowOut）？`,
      },
    });
    if (options.direction === 'both') {
      result.push({
        id: `${source}:flow-out-${mediaType}`,
        label: { en: `MediaFlowOutStateChanged ${mediaType} → FLOWING`, 'zh-Hans': `MediaFlowOutStateChanged ${mediaType} → FLOWING` },
        lane: 'kms',
        source,
        type: 'MediaFlowOutStateChanged',
        where: { mediaType, state: 'FLOWING' },
        after: options.after,
        within: 20000,
        hint: {
          en: `This element sends no ${mediaType} into the pipeline: its browser is not sending it, or nothing is connected to it yet.`,
          'zh-Hans': `这个元素没有向管道输出 ${mediaType}：对应的浏览器没有发送，或者还没有任何元素连接到它。`,
        },
      });
    }
  }
  return result;
}
