/**
 * Constructors for werift's RtpHeader and RtpPacket objects that the fast paths build (parse, clone): each object
 * has werift's prototype and werift's own fields in werift's order, like one from werift's constructors, but is made
 * by one `new` of a plain function that assigns every field. Built with Object.create(prototype) and then assigned
 * field by field, an RTP header (15 fields) outgrows the few in-object slots such an object gets and V8 reallocates
 * its property store as it grows; with `new`, V8 sizes the object for all its fields after the first few (slack
 * tracking), so each header is one allocation. The RTP path makes two or three headers per forwarded packet.
 */
import { RtpHeader, RtpPacket } from 'werift';

export interface HeaderFields {
  version: number;
  padding: boolean;
  paddingSize: number;
  extension: boolean;
  marker: boolean;
  payloadOffset: number;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcLength: number;
  csrc: number[];
  extensionProfile: number;
  extensionLength: number | undefined;
  extensions: Array<{ id: number; payload: Buffer }>;
}

/** werift's header fields, in the order its constructor defines them (checked against it by the unit tests). */
export const HEADER_FIELD_ORDER: ReadonlyArray<keyof HeaderFields> = [
  'version',
  'padding',
  'paddingSize',
  'extension',
  'marker',
  'payloadOffset',
  'payloadType',
  'sequenceNumber',
  'timestamp',
  'ssrc',
  'csrcLength',
  'csrc',
  'extensionProfile',
  'extensionLength',
  'extensions',
];

function Header(this: HeaderFields, source: HeaderFields): void {
  this.version = source.version;
  this.padding = source.padding;
  this.paddingSize = source.paddingSize;
  this.extension = source.extension;
  this.marker = source.marker;
  this.payloadOffset = source.payloadOffset;
  this.payloadType = source.payloadType;
  this.sequenceNumber = source.sequenceNumber;
  this.timestamp = source.timestamp;
  this.ssrc = source.ssrc;
  this.csrcLength = source.csrcLength;
  this.csrc = source.csrc;
  this.extensionProfile = source.extensionProfile;
  this.extensionLength = source.extensionLength;
  this.extensions = source.extensions;
}
Header.prototype = RtpHeader.prototype;

function Packet(this: { header: RtpHeader; payload: Buffer }, header: RtpHeader, payload: Buffer): void {
  this.header = header;
  this.payload = payload;
}
Packet.prototype = RtpPacket.prototype;

const HeaderConstructor = Header as unknown as new (source: HeaderFields) => RtpHeader;
const PacketConstructor = Packet as unknown as new (header: RtpHeader, payload: Buffer) => RtpPacket;

/** An RtpHeader with the fields of `source` (arrays shared, as werift's clone shares them). */
export function makeHeader(source: HeaderFields | RtpHeader): RtpHeader {
  return new HeaderConstructor(source as HeaderFields);
}

export function makePacket(header: RtpHeader, payload: Buffer): RtpPacket {
  return new PacketConstructor(header, payload);
}
