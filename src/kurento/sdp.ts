/** Small, dependency-free SDP readers used by the labs (codec lists, candidates, directions). */

export type SdpMediaKind = 'audio' | 'video' | 'application';

export interface SdpMediaSection {
  kind: SdpMediaKind | string;
  mid: string | undefined;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** Codec names in the order of the m-line's payload types (e.g. VP8, H264, rtx). */
  codecs: string[];
}

/** Splits an SDP into its media sections. Unknown lines are ignored. */
export function parseMediaSections(sdp: string): SdpMediaSection[] {
  const sections: SdpMediaSection[] = [];
  let current: (SdpMediaSection & { payloads: string[]; names: Map<string, string> }) | undefined;
  const finish = (): void => {
    if (!current) return;
    current.codecs = current.payloads.map((pt) => current?.names.get(pt)).filter((name): name is string => !!name);
    const { kind, mid, direction, codecs } = current;
    sections.push({ kind, mid, direction, codecs });
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      finish();
      const [kind = '', , , ...payloads] = line.slice(2).split(' ');
      current = { kind, mid: undefined, direction: 'sendrecv', codecs: [], payloads, names: new Map() };
    } else if (current) {
      const rtpmap = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
      if (rtpmap?.[1] && rtpmap[2]) current.names.set(rtpmap[1], rtpmap[2]);
      const mid = /^a=mid:(.+)$/.exec(line);
      if (mid?.[1]) current.mid = mid[1].trim();
      const direction = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line.trim());
      if (direction?.[1]) current.direction = direction[1] as SdpMediaSection['direction'];
    }
  }
  finish();
  return sections;
}

/** The media codecs an SDP offers per kind, without retransmission/FEC helpers, duplicates removed, order kept. */
export function offeredCodecs(sdp: string): Record<string, string[]> {
  const helpers = new Set(['rtx', 'red', 'ulpfec', 'flexfec-03', 'CN', 'telephone-event']);
  const result: Record<string, string[]> = {};
  for (const section of parseMediaSections(sdp)) {
    const list = (result[section.kind] ??= []);
    for (const codec of section.codecs) {
      if (!helpers.has(codec) && !list.some((c) => c.toLowerCase() === codec.toLowerCase())) list.push(codec);
    }
  }
  return result;
}
