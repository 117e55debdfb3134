/**
 * The RTP gateway's own SDP and argument lists (server/apps/rtp-tools.ts): ffmpeg only ever sends to an address of
 * this machine that KMS answered with, the recorder's answer takes VP8 and refuses the rest, no argument comes from
 * outside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProbe, recorderAnswer, recorderArgs, senderArgs, senderOffer, senderTarget } from '../../server/apps/rtp-tools';

const answer = (address: string, port = 40000, extra: string[] = []): string =>
  ['v=0', `o=- 1 1 IN IP4 ${address}`, 's=Kurento Media Server', `c=IN IP4 ${address}`, 't=0 0', `m=video ${port} RTP/AVP 96`, 'a=rtpmap:96 VP8/90000', ...extra, 'a=recvonly', ''].join('\r\n');

test('the sender goes only to an address of this machine, to the ports KMS answered', () => {
  const local = new Set(['127.0.0.1', '192.168.1.20']);
  assert.deepEqual(senderTarget(answer('127.0.0.1'), local), { address: '127.0.0.1', rtpPort: 40000, rtcpPort: 40001 });
  assert.deepEqual(senderTarget(answer('192.168.1.20', 40010, ['a=rtcp:40020']), local), { address: '192.168.1.20', rtpPort: 40010, rtcpPort: 40020 });
  assert.throws(() => senderTarget(answer('10.0.0.9'), local), /not this machine's/);
  assert.throws(() => senderTarget(answer('127.0.0.1', 0), local), /rejected the video/);
  assert.throws(() => senderTarget(answer('127.0.0.1', 22), local), /outside 1024-65535/);
  const args = senderArgs({ address: '127.0.0.1', rtpPort: 40000, rtcpPort: 40001 }, 600);
  assert.equal(args.at(-1), 'rtp://127.0.0.1:40000?rtcpport=40001&pkt_size=1200');
  assert.ok(args.includes('-re') && args.includes('rgbtestsrc=size=320x240:rate=30'));
  const secure = senderArgs({ address: '127.0.0.1', rtpPort: 40000, rtcpPort: 40001 }, 600, 'a2V5');
  assert.equal(secure.at(-1), 'srtp://127.0.0.1:40000?rtcpport=40001&pkt_size=1200');
  assert.deepEqual(secure.slice(secure.indexOf('-srtp_out_suite'), secure.indexOf('-srtp_out_suite') + 4), ['-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80', '-srtp_out_params', 'a2V5']);
});

test('the sender offer is COMEDIA, SDES when keyed', () => {
  assert.match(senderOffer(), /m=video 9 RTP\/AVP 96\r\na=rtpmap:96 VP8\/90000\r\na=sendonly\r\na=direction:active\r\n$/);
  assert.match(senderOffer('S0VZ'), /m=video 9 RTP\/SAVP 96\r\na=rtpmap:96 VP8\/90000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:S0VZ\r\n/);
});

test('the recorder answers VP8 on its port and refuses audio; ffmpeg reads the video section alone', () => {
  const offer = [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=Kurento Media Server', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 40100 RTP/AVPF 96 0', 'a=rtpmap:96 opus/48000/2', 'a=sendonly',
    'm=video 40102 RTP/AVPF 103 104', 'a=rtpmap:103 H264/90000', 'a=rtpmap:104 VP8/90000', 'a=rtcp-fb:104 nack pli', 'a=sendonly', '',
  ].join('\r\n');
  const { answer: made, ffmpegSdp, payloadType } = recorderAnswer(offer, 47010);
  assert.equal(payloadType, '104');
  assert.match(made, /m=audio 0 RTP\/AVPF 96 0\r\nm=video 47010 RTP\/AVPF 104\r\na=rtpmap:104 VP8\/90000\r\na=recvonly\r\n$/);
  assert.ok(!ffmpegSdp.includes('m=audio'));
  assert.throws(() => recorderAnswer(offer.replace(/VP8/g, 'VP9'), 47010), /no plain RTP video section with VP8/);
  const args = recorderArgs('/media/x.webm', 60, 1000);
  assert.deepEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', 'pipe:0']);
  assert.equal(args.at(-1), '/media/x.webm');
});

test('ffprobe JSON → duration, size, video stream', () => {
  assert.deepEqual(parseProbe('{"streams":[{"codec_type":"video","codec_name":"vp8","width":320,"height":240}],"format":{"duration":"3.2","size":"1000"}}'), {
    durationSeconds: 3.2,
    bytes: 1000,
    video: { codec: 'vp8', width: 320, height: 240 },
  });
  assert.deepEqual(parseProbe('{"streams":[],"format":{}}'), { durationSeconds: 0, bytes: 0 });
});
