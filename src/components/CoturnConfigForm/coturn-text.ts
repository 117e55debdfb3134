/**
 * Pure helpers of the coturn configuration form: validation, and the text of /etc/turnserver.conf, of KMS' turnURL
 * line, of /etc/default/coturn and of the turnadmin commands, with the long-term key turnadmin -k prints
 * (RFC 5389 §15.4: MD5 of "user:realm:password"). No React and no Node APIs here: the form runs in the browser and the
 * unit tests import this file. Addresses and ports are read by the same parsers as the KMS configuration form.
 */
import { ipv4Problem, parsePort } from '../KmsConfigForm/config-text';

export type TurnTransport = 'udp' | 'tcp';

export interface CoturnFormValues {
  /** relay-ip: the address coturn relays media from (an IPv4 address of the machine). */
  relayIp: string;
  /** external-ip: the public address, when coturn is behind NAT (on AWS, for example). */
  externalIp: string;
  listeningPort: string;
  minPort: string;
  maxPort: string;
  fingerprint: boolean;
  ltCredMech: boolean;
  realm: string;
  user: string;
  password: string;
  noStdoutLog: boolean;
  /** Transport of KMS' turnURL. */
  transport: TurnTransport;
}

export type CoturnField = keyof CoturnFormValues;

/** The values of the notes: coturn on one LAN machine, user kurento, realm kurento.org, the IANA dynamic port range. */
export const DEFAULT_COTURN_FORM: CoturnFormValues = {
  relayIp: '192.168.1.10',
  externalIp: '',
  listeningPort: '3478',
  minPort: '49152',
  maxPort: '65535',
  fingerprint: true,
  ltCredMech: true,
  realm: 'kurento.org',
  user: 'kurento',
  password: 'kurento',
  noStdoutLog: true,
  transport: 'udp',
};

export type CoturnIssueCode =
  | 'ipv4.hostname'
  | 'ipv4.ipv6'
  | 'ipv4.invalid'
  | 'port.invalid'
  | 'ports.order'
  | 'required'
  | 'credentials.separator'
  | 'realm.invalid'
  | 'address.missing';

export interface CoturnIssue {
  field: CoturnField;
  code: CoturnIssueCode;
  params: Record<string, string>;
}

export interface CoturnOutputs {
  turnserverConf: string;
  /** The turnURL line of /etc/kurento/modules/kurento/WebRtcEndpoint.conf.ini (empty without an address). */
  kmsIni: string;
  defaultCoturn: string;
  turnadmin: string;
  /** What `turnadmin -k` prints: 0x + hex MD5 of user:realm:password. */
  key: string;
}

// MD5 (RFC 1321) -------------------------------------------------------------------------------------------------------

const SHIFTS = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const CONSTANTS = Array.from({ length: 64 }, (_, index) => Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) >>> 0);

/** MD5 of the UTF-8 bytes of `text`, as 32 lowercase hex digits. */
export function md5Hex(text: string): string {
  const input = new TextEncoder().encode(text);
  const length = (((input.length + 8) >>> 6) + 1) * 64;
  const bytes = new Uint8Array(length);
  bytes.set(input);
  bytes[input.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = input.length * 8;
  view.setUint32(length - 8, bits >>> 0, true);
  view.setUint32(length - 4, Math.floor(bits / 2 ** 32), true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  for (let offset = 0; offset < length; offset += 64) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i += 1) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + (CONSTANTS[i] ?? 0) + view.getUint32(offset + g * 4, true)) >>> 0;
      const shift = SHIFTS[i] ?? 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const out = new DataView(new ArrayBuffer(16));
  [a0, b0, c0, d0].forEach((word, index) => out.setUint32(index * 4, word, true));
  return Array.from(new Uint8Array(out.buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The long-term credential key of coturn (what `turnadmin -k -u user -r realm -p password` prints). */
export function coturnKey(user: string, realm: string, password: string): string {
  return `0x${md5Hex(`${user}:${realm}:${password}`)}`;
}

// Validation -----------------------------------------------------------------------------------------------------------

function ipv4Issue(field: CoturnField, value: string): CoturnIssue | undefined {
  const text = value.trim();
  const code = text === '' ? undefined : ipv4Problem(text);
  return code ? { field, code, params: { value: text } } : undefined;
}

/** Characters that break `user=name:password` in turnserver.conf or KMS' `user:password@ip:port`. */
const SEPARATORS = /[:@\s]/;

export function validateCoturnForm(values: CoturnFormValues): CoturnIssue[] {
  const issues: CoturnIssue[] = [];
  const add = (issue: CoturnIssue | undefined): void => {
    if (issue) issues.push(issue);
  };
  add(ipv4Issue('relayIp', values.relayIp));
  add(ipv4Issue('externalIp', values.externalIp));
  for (const field of ['listeningPort', 'minPort', 'maxPort'] as const) {
    const text = values[field].trim();
    if (text !== '' && parsePort(text) === undefined) add({ field, code: 'port.invalid', params: { value: text } });
  }
  const min = parsePort(values.minPort);
  const max = parsePort(values.maxPort);
  if (min !== undefined && max !== undefined && max <= min) add({ field: 'maxPort', code: 'ports.order', params: { min: String(min), max: String(max) } });
  for (const field of ['user', 'password'] as const) {
    const text = values[field];
    if (text === '') add({ field, code: 'required', params: {} });
    else if (SEPARATORS.test(text)) add({ field, code: 'credentials.separator', params: { value: text } });
  }
  if (values.realm.trim() === '') add({ field: 'realm', code: 'required', params: {} });
  else if (/\s/.test(values.realm.trim())) add({ field: 'realm', code: 'realm.invalid', params: { value: values.realm.trim() } });
  return issues;
}

// Rendering ------------------------------------------------------------------------------------------------------------

/** Quotes a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.,/+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The outputs, leaving out every field that has an error. */
export function renderCoturnOutputs(values: CoturnFormValues): CoturnOutputs {
  const issues = validateCoturnForm(values);
  const ok = (field: CoturnField): boolean => !issues.some((issue) => issue.field === field);
  const value = (field: 'relayIp' | 'externalIp' | 'listeningPort' | 'minPort' | 'maxPort' | 'realm' | 'user' | 'password'): string =>
    ok(field) ? values[field].trim() : '';
  const listeningPort = parsePort(value('listeningPort')) ?? 3478;
  const orderOk = ok('maxPort');
  const realm = value('realm');
  const user = ok('user') ? values.user : '';
  const password = ok('password') ? values.password : '';

  const conf: string[] = ['# /etc/turnserver.conf', `listening-port=${listeningPort}`];
  if (value('relayIp')) conf.push(`relay-ip=${value('relayIp')}`);
  if (value('externalIp')) conf.push(`external-ip=${value('externalIp')}`);
  if (value('minPort') && orderOk) conf.push(`min-port=${value('minPort')}`);
  if (value('maxPort') && orderOk) conf.push(`max-port=${value('maxPort')}`);
  if (values.fingerprint) conf.push('fingerprint');
  if (values.ltCredMech) conf.push('lt-cred-mech');
  if (realm) conf.push(`realm=${realm}`);
  if (user && password) conf.push(`user=${user}:${password}`);
  if (values.noStdoutLog) conf.push('no-stdout-log');

  // KMS reaches coturn at its public address when it has one, else at the relay address.
  const address = value('externalIp') || value('relayIp');
  const kmsIni = address && user && password ? `turnURL=${user}:${password}@${address}:${listeningPort}?transport=${values.transport}` : '';

  const credentials = user && password && realm ? `-u ${shellQuote(user)} -p ${shellQuote(password)} -r ${shellQuote(realm)}` : '';
  const turnadmin = credentials
    ? [
        '# add the user to the user database of coturn',
        `sudo turnadmin -a ${credentials}`,
        '# print its key (the MD5 of user:realm:password)',
        `sudo turnadmin -k ${credentials}`,
      ].join('\n')
    : '';
  return {
    turnserverConf: conf.join('\n'),
    kmsIni,
    defaultCoturn: 'TURNSERVER_ENABLED=1',
    turnadmin,
    key: credentials ? coturnKey(user, realm, password) : '',
  };
}

/** Why the KMS line is empty, when it is. */
export function kmsLineProblem(values: CoturnFormValues): CoturnIssue | undefined {
  const issues = validateCoturnForm(values);
  const usable = (field: 'relayIp' | 'externalIp'): boolean => values[field].trim() !== '' && !issues.some((issue) => issue.field === field);
  if (!usable('relayIp') && !usable('externalIp')) return { field: 'relayIp', code: 'address.missing', params: {} };
  return undefined;
}
