import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RtpPacket } from 'werift';
import { RtpClip, isVp8KeyframeStart } from '../helpers/rtp-source';

test('a recorded clip replays as one continuous stream per player, looping on a key frame', async () => {
  const clip = await RtpClip.record({ width: 160, height: 120, fps: 10, bitrate: 100_000, gop: 5, seconds: 1 });
  try {
    assert.ok(isVp8KeyframeStart(clip.video[0]?.packet.payload ?? Buffer.alloc(0)), 'the clip starts on a key frame');
    assert.equal(clip.audio.length, 50, '1 s of 20 ms Opus packets');
    const video: RtpPacket[] = [];
    const audio: RtpPacket[] = [];
    const player = clip.player();
    player.onVideo((packet) => video.push(packet));
    player.onAudio((packet) => audio.push(packet));
    // A second player is a sender of its own: it never shares packets with the first.
    const other: RtpPacket[] = [];
    clip.player().onVideo((packet) => other.push(packet));
    await new Promise((resolve) => setTimeout(resolve, 2600));
    assert.ok(video.length > clip.video.length * 2, `two loops and more (${video.length} packets)`);
    for (const [stream, clock] of [[video, 90000], [audio, 48000]] as const) {
      for (let i = 1; i < stream.length; i += 1) {
        const previous = stream[i - 1] as RtpPacket;
        const current = stream[i] as RtpPacket;
        assert.equal(current.header.sequenceNumber, (previous.header.sequenceNumber + 1) & 0xffff, 'no sequence gap');
        const step = (current.header.timestamp - previous.header.timestamp) >>> 0;
        assert.ok(step < clock / 5, `the timestamp runs on (step ${step})`);
      }
    }
    // The packet after the last one of the clip is the clip's first: a key frame, one frame interval later.
    const loopStart = video[clip.video.length] as RtpPacket;
    assert.ok(isVp8KeyframeStart(loopStart.payload));
    assert.equal((loopStart.header.timestamp - (video[clip.video.length - 1] as RtpPacket).header.timestamp) >>> 0, 9000);
    assert.ok(other.length > 0 && other.every((packet) => !video.includes(packet)));
  } finally {
    clip.stop();
  }
});
