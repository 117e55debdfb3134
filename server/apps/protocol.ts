/**
 * The browser ⇄ application-server messages of Kurento's tutorials are ad-hoc JSON objects whose `id` selects the
 * message. This module turns a WebSocket frame into a validated, typed message, or a ProtocolError that says exactly
 * what is wrong (the app server answers it with an error message instead of crashing, unlike the Java samples, whose
 * Gson calls throw on a missing field).
 *
 * One message of Kurento Labs' own, common to every app server, for browsers that open their WebSocket with
 * `?kmsTraffic=1`: the JSON-RPC frames the app server exchanges with KMS about that browser's own media objects
 * (server/apps/kms-traffic.ts decides which), so a lab can show the app server ↔ KMS channel the browser never sees:
 *
 *   server → browser   kmsTraffic {direction: 'sent' | 'received', frame: <the JSON-RPC text>, truncated?: true,
 *                                  dropped?: <frames left out before this one (rate or buffer limit)>}
 *
 * 'sent' is app server → KMS, 'received' is KMS → app server. Frames over 32 KiB have their long strings cut.
 */

export type Json = Record<string, unknown>;

/** Something the browser sent that the protocol does not allow; its message goes back to that browser. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** An ICE candidate as the tutorials exchange it (RTCIceCandidateInit, or KMS' IceCandidate without its markers). */
export interface CandidateMessage {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

/** Reads one field; throws a ProtocolError naming the field when the value does not fit. */
export type Field<T> = (value: unknown, name: string) => T;

export type Schema = Readonly<Record<string, Field<unknown>>>;

export type Parsed<S extends Schema> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A string with at least one character. */
export const text: Field<string> = (value, name) => {
  if (typeof value !== 'string') throw new ProtocolError(`'${name}' must be a string (it is ${describe(value)})`);
  if (value.trim() === '') throw new ProtocolError(`'${name}' must not be empty`);
  return value;
};

/**
 * An SDP offer: a non-empty string. Its content is KMS' business: processOffer rejects what it cannot parse, and
 * that error goes back to the browser too.
 */
export const sdp: Field<string> = (value, name) => text(value, name);

/** One of a few fixed strings (e.g. callResponse: 'accept' | 'reject'). */
export function oneOf<T extends string>(...values: readonly T[]): Field<T> {
  return (value, name) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    throw new ProtocolError(`'${name}' must be one of ${values.map((v) => `'${v}'`).join(', ')} (it is ${typeof value === 'string' ? `'${value}'` : describe(value)})`);
  };
}

/** The field may be absent (undefined); when present it must fit `inner`. */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return (value, name) => (value === undefined ? undefined : inner(value, name));
}

/**
 * An ICE candidate object {candidate, sdpMid, sdpMLineIndex}. An empty `candidate` string is the legacy
 * end-of-candidates marker some browsers send; it is accepted and the apps skip it.
 */
export const candidate: Field<CandidateMessage> = (value, name) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError(`'${name}' must be an object {candidate, sdpMid, sdpMLineIndex} (it is ${describe(value)})`);
  const fields = value as Json;
  if (typeof fields.candidate !== 'string') throw new ProtocolError(`'${name}.candidate' must be a string (it is ${describe(fields.candidate)})`);
  if (typeof fields.sdpMid !== 'string') throw new ProtocolError(`'${name}.sdpMid' must be a string (it is ${describe(fields.sdpMid)})`);
  const index = fields.sdpMLineIndex;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new ProtocolError(`'${name}.sdpMLineIndex' must be a non-negative integer (it is ${describe(index)})`);
  return { candidate: fields.candidate, sdpMid: fields.sdpMid, sdpMLineIndex: index };
};

/** Parses a text frame into a message object with a string `id`. */
export function parseMessage(frame: string): { id: string; message: Json } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    throw new ProtocolError('the message is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProtocolError('the message must be a JSON object with an "id"');
  const message = parsed as Json;
  if (typeof message.id !== 'string' || message.id === '') throw new ProtocolError(`the message has no "id" string (it is ${describe(message.id)})`);
  return { id: message.id, message };
}

/** Checks every field of `schema` on `message` and returns them typed. Fields not in the schema are ignored. */
export function validate<S extends Schema>(message: Json, schema: S): Parsed<S> {
  const result: Json = {};
  for (const [name, field] of Object.entries(schema)) result[name] = field(message[name], name);
  return result as Parsed<S>;
}

const LONG_STRING = 48;

/** A message as one short log line: long strings (SDPs, candidates) cut, the whole line capped. */
export function shorten(value: unknown, max = 240): string {
  let line: string;
  try {
    line = JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'string' && inner.length > LONG_STRING ? `${inner.slice(0, LONG_STRING).replace(/\r?\n/g, '⏎')}…(${inner.length} chars)` : inner,
    );
  } catch {
    line = String(value);
  }
  line ??= String(value);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A readable one-line description of anything thrown (kurento-client errors carry a KMS code). */
export function describeError(error: unknown): string {
  if (error instanceof ProtocolError) return error.message;
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const message = typeof record.message === 'string' ? record.message : String(error);
  return typeof record.code === 'number' ? `KMS error ${record.code}: ${message}` : message;
}
