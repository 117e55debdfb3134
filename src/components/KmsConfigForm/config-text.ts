/**
 * Pure helpers of the KMS configuration form: validation with KMS' own rules and rendering of the settings as
 * WebRtcEndpoint.conf.ini / BaseRtpEndpoint.conf.ini lines, `docker run -e …` variables of the official image and
 * `npm run kms -- …` flags of the embedded KMS. No React and no Docusaurus here, so the unit tests can import it.
 *
 * Rules, as KMS 7.3 applies them:
 * - stunServerAddress and the TURN address are IP literals: KMS never resolves host names.
 * - turnURL is matched by `^(.+):(.+)@([0-9.]+):([0-9]+)(\?transport=(udp|tcp|tls))?$` (kmswebrtcsession.c); the
 *   greedy user group splits at the last ':' before the last '@', so a ':' in the password moves text into the user.
 * - the Docker entrypoint writes KMS_STUN_IP/KMS_STUN_PORT only when both are set, and copies every value into the
 *   ini file with `sed "s|…|key=value|"`, so '&', '|' and '\' in a value corrupt the line.
 */

export type TurnTransport = 'udp' | 'tcp' | 'tls';
export const TURN_TRANSPORTS: readonly TurnTransport[] = ['udp', 'tcp', 'tls'];

export const KMS_DOCKER_IMAGE = 'kurento/kurento-media-server:7.3.0';
export const DEFAULT_STUN_PORT = 3478;
export const DEFAULT_TURN_PORT = 3478;
/** The exact expression KMS uses to read turnURL. */
export const KMS_TURN_URL_REGEX = /^(.+):(.+)@([0-9.]+):([0-9]+)(\?transport=(udp|tcp|tls))?$/;

export interface KmsFormValues {
  stunServerAddress: string;
  stunServerPort: string;
  /** Build turnURL from its parts, or take a full turnURL as typed. */
  turnMode: 'parts' | 'url';
  turnUser: string;
  turnPassword: string;
  turnAddress: string;
  turnPort: string;
  turnTransport: TurnTransport;
  turnUrl: string;
  externalIPv4: string;
  networkInterfaces: string;
  iceTcp: boolean;
  minPort: string;
  maxPort: string;
  /** Docker Desktop (macOS, Windows): publish 8888 and the RTP range instead of `--network host`. */
  publishPorts: boolean;
}

export type FieldName = keyof KmsFormValues;

export const EMPTY_FORM: KmsFormValues = {
  stunServerAddress: '',
  stunServerPort: '',
  turnMode: 'parts',
  turnUser: '',
  turnPassword: '',
  turnAddress: '',
  turnPort: '',
  turnTransport: 'udp',
  turnUrl: '',
  externalIPv4: '',
  networkInterfaces: '',
  iceTcp: true,
  minPort: '',
  maxPort: '',
  publishPorts: false,
};

/** A LAN example: STUN and TURN on a coturn at 192.168.1.10, a 100-port range. */
export const EXAMPLE_FORM: KmsFormValues = {
  ...EMPTY_FORM,
  stunServerAddress: '192.168.1.10',
  stunServerPort: '3478',
  turnUser: 'kurento',
  turnPassword: 'S3cret-2025',
  turnAddress: '192.168.1.10',
  turnPort: '3478',
  turnTransport: 'udp',
  networkInterfaces: 'eth0',
  minPort: '40000',
  maxPort: '40099',
};

export type IssueCode =
  | 'ipv4.hostname'
  | 'ipv4.ipv6'
  | 'ipv4.invalid'
  | 'port.invalid'
  | 'stun.portWithoutAddress'
  | 'turn.required'
  | 'turn.misread'
  | 'turn.separator'
  | 'turn.whitespace'
  | 'turn.tlsPort'
  | 'turnUrl.scheme'
  | 'turnUrl.noCredentials'
  | 'turnUrl.hostname'
  | 'turnUrl.transport'
  | 'turnUrl.port'
  | 'turnUrl.address'
  | 'turnUrl.format'
  | 'external.private'
  | 'external.auto'
  | 'interfaces.address'
  | 'interfaces.linkSuffix'
  | 'interfaces.invalid'
  | 'ports.order'
  | 'ports.privileged'
  | 'ports.onlyOne'
  | 'ports.parity'
  | 'ports.publishNeedsRange'
  | 'ports.publishWide';

export type IssueLevel = 'error' | 'warning';

export interface Issue {
  field: FieldName;
  level: IssueLevel;
  code: IssueCode;
  params: Record<string, string | number>;
}

/** What KMS ends up with, once every field with an error has been left out. */
export interface KmsSettings {
  stunServerAddress?: string;
  stunServerPort?: number;
  turnUrl?: string;
  /** An IPv4 address, or "auto" (Docker image only). */
  externalIPv4?: string;
  /** Comma-separated interface names, normalised (no spaces). */
  networkInterfaces?: string;
  /** Present only when it differs from KMS' default (on). */
  iceTcp?: false;
  minPort?: number;
  maxPort?: number;
}

export type NoteCode =
  | 'ini.externalAuto'
  | 'docker.sedChars'
  | 'docker.publishNoRange'
  | 'npm.iceTcp'
  | 'npm.tls'
  | 'npm.externalAuto'
  | 'npm.portsPair'
  | 'npm.portsLow';

export interface RenderedOutput {
  /** The text to copy; '' when there is nothing to write (the file keeps KMS' defaults). */
  text: string;
  notes: NoteCode[];
}

// ---------------------------------------------------------------------------------------------------------------
// Small parsers

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A dotted-quad IPv4 literal, without leading zeros (as inet_pton reads it), and not 0.0.0.0. */
export function isIPv4(value: string): boolean {
  return IPV4.test(value) && value !== '0.0.0.0';
}

/** Why a value is not an IPv4 literal, or undefined when it is one. */
export function ipv4Problem(value: string): 'ipv4.hostname' | 'ipv4.ipv6' | 'ipv4.invalid' | undefined {
  if (isIPv4(value)) return undefined;
  if (value.includes(':')) return 'ipv4.ipv6';
  if (/[a-z]/i.test(value) && /^[a-z0-9.-]+$/i.test(value)) return 'ipv4.hostname';
  return 'ipv4.invalid';
}

/** A port number 1..65535 written in decimal digits, or undefined. */
export function parsePort(value: string): number | undefined {
  const text = value.trim();
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function isPrivateIPv4(value: string): boolean {
  if (!isIPv4(value)) return false;
  const [a = 0, b = 0] = value.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export interface TurnParts {
  user: string;
  password: string;
  address: string;
  port: number;
  transport: TurnTransport;
}

/** Reads a turnURL exactly as KMS does (same expression, same default transport), or undefined when KMS rejects it. */
export function parseTurnUrl(url: string): (TurnParts & { transportGiven: boolean }) | undefined {
  const match = KMS_TURN_URL_REGEX.exec(url);
  if (!match) return undefined;
  const [, user = '', password = '', address = '', port = '', , transport] = match;
  return {
    user,
    password,
    address,
    port: Number(port),
    transport: (transport ?? 'udp') as TurnTransport,
    transportGiven: transport !== undefined,
  };
}

/** Writes the turnURL of KMS, always with the transport (udp is KMS' default, written out for clarity). */
export function buildTurnUrl(parts: TurnParts): string {
  return `${parts.user}:${parts.password}@${parts.address}:${parts.port}?transport=${parts.transport}`;
}

/** Why KMS would reject this turnURL: the first problem a person would have to fix. */
export function diagnoseTurnUrl(url: string): IssueCode {
  if (/^(turns?|stuns?):/i.test(url) && !url.slice(url.indexOf(':') + 1).includes('@')) return 'turnUrl.scheme';
  const at = url.lastIndexOf('@');
  if (at < 0 || !/^.+:.+$/.test(url.slice(0, at))) {
    return /^(turns?|stuns?):/i.test(url) ? 'turnUrl.scheme' : 'turnUrl.noCredentials';
  }
  const rest = /^([^:?]*)(?::([^?]*))?(?:\?(.*))?$/.exec(url.slice(at + 1));
  if (!rest) return 'turnUrl.format';
  const [, host = '', port, query] = rest;
  if (host === '' || !/^[0-9.]+$/.test(host)) return /[a-z]/i.test(host) ? 'turnUrl.hostname' : 'turnUrl.address';
  if (port === undefined || !/^[0-9]+$/.test(port)) return 'turnUrl.port';
  if (query !== undefined && !/^transport=(udp|tcp|tls)$/.test(query)) return 'turnUrl.transport';
  return 'turnUrl.format';
}

/** Quotes a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function interfaceNames(value: string): string[] {
  // KMS splits networkInterfaces on spaces and commas and ignores empty items.
  return value.split(/[\s,]+/).filter((name) => name !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

function issue(field: FieldName, level: IssueLevel, code: IssueCode, params: Record<string, string | number> = {}): Issue {
  return { field, level, code, params };
}

function checkAddress(field: FieldName, value: string, issues: Issue[]): boolean {
  const problem = ipv4Problem(value);
  if (problem) issues.push(issue(field, 'error', problem, { value }));
  return problem === undefined;
}

function checkPort(field: FieldName, raw: string, issues: Issue[]): number | undefined {
  if (raw.trim() === '') return undefined;
  const port = parsePort(raw);
  if (port === undefined) issues.push(issue(field, 'error', 'port.invalid', { value: raw.trim() }));
  return port;
}

function turnFromParts(values: KmsFormValues, issues: Issue[]): string | undefined {
  const user = values.turnUser;
  const password = values.turnPassword;
  const address = values.turnAddress.trim();
  const used = user !== '' || password !== '' || address !== '' || values.turnPort.trim() !== '';
  if (!used) return undefined;
  let ok = true;
  for (const [field, value, part] of [
    ['turnUser', user, 'user'],
    ['turnPassword', password, 'password'],
    ['turnAddress', address, 'address'],
  ] as const) {
    if (value === '') {
      issues.push(issue(field, 'error', 'turn.required', { part }));
      ok = false;
    }
  }
  if (address !== '' && !checkAddress('turnAddress', address, issues)) ok = false;
  const portText = values.turnPort.trim();
  const port = portText === '' ? DEFAULT_TURN_PORT : checkPort('turnPort', portText, issues);
  if (port === undefined) ok = false;
  for (const [field, value] of [
    ['turnUser', user],
    ['turnPassword', password],
  ] as const) {
    if (/\s/.test(value)) issues.push(issue(field, 'warning', 'turn.whitespace'));
  }
  if (user !== '' && password !== '') {
    // Only the credentials matter here: check them with a valid address and port, whatever the form holds.
    const url = buildTurnUrl({ user, password, address: '192.0.2.1', port: DEFAULT_TURN_PORT, transport: values.turnTransport });
    const read = parseTurnUrl(url);
    if (!read || read.user !== user || read.password !== password) {
      issues.push(issue('turnPassword', 'error', 'turn.misread', { user: read?.user ?? '', password: read?.password ?? '' }));
      ok = false;
    } else if (/[:@]/.test(user) || /[@]/.test(password)) {
      issues.push(issue(/[:@]/.test(user) ? 'turnUser' : 'turnPassword', 'warning', 'turn.separator'));
    }
  }
  if (values.turnTransport === 'tls' && port === DEFAULT_TURN_PORT) issues.push(issue('turnPort', 'warning', 'turn.tlsPort'));
  if (!ok || port === undefined) return undefined;
  return buildTurnUrl({ user, password, address, port, transport: values.turnTransport });
}

function turnFromUrl(values: KmsFormValues, issues: Issue[]): string | undefined {
  const url = values.turnUrl.trim();
  if (url === '') return undefined;
  const read = parseTurnUrl(url);
  if (!read) {
    issues.push(issue('turnUrl', 'error', diagnoseTurnUrl(url), { value: url }));
    return undefined;
  }
  if (!isIPv4(read.address)) {
    issues.push(issue('turnUrl', 'error', 'turnUrl.address', { value: read.address }));
    return undefined;
  }
  if (read.port < 1 || read.port > 65535) {
    issues.push(issue('turnUrl', 'error', 'turnUrl.port', { value: String(read.port) }));
    return undefined;
  }
  if (/\s/.test(read.user + read.password)) issues.push(issue('turnUrl', 'warning', 'turn.whitespace'));
  if (read.transport === 'tls' && read.port === DEFAULT_TURN_PORT) issues.push(issue('turnUrl', 'warning', 'turn.tlsPort'));
  return url;
}

/** Checks every field as KMS would read it; errors leave the field out of the output, warnings do not. */
export function resolveKmsSettings(values: KmsFormValues): { settings: KmsSettings; issues: Issue[] } {
  const issues: Issue[] = [];
  const settings: KmsSettings = {};

  // STUN
  const stun = values.stunServerAddress.trim();
  const stunPort = checkPort('stunServerPort', values.stunServerPort, issues);
  if (stun !== '') {
    if (checkAddress('stunServerAddress', stun, issues) && (values.stunServerPort.trim() === '' || stunPort !== undefined)) {
      settings.stunServerAddress = stun;
      settings.stunServerPort = stunPort ?? DEFAULT_STUN_PORT;
    }
  } else if (values.stunServerPort.trim() !== '' && stunPort !== undefined) {
    issues.push(issue('stunServerPort', 'warning', 'stun.portWithoutAddress'));
  }

  // TURN
  const turnUrl = values.turnMode === 'url' ? turnFromUrl(values, issues) : turnFromParts(values, issues);
  if (turnUrl !== undefined) settings.turnUrl = turnUrl;

  // External address
  const external = values.externalIPv4.trim();
  if (external !== '') {
    if (external.toLowerCase() === 'auto') {
      settings.externalIPv4 = 'auto';
      issues.push(issue('externalIPv4', 'warning', 'external.auto'));
    } else if (checkAddress('externalIPv4', external, issues)) {
      settings.externalIPv4 = external;
      if (isPrivateIPv4(external)) issues.push(issue('externalIPv4', 'warning', 'external.private', { value: external }));
    }
  }

  // Network interfaces
  const names = interfaceNames(values.networkInterfaces);
  if (names.length > 0) {
    let ok = true;
    for (const name of names) {
      if (isIPv4(name) || (name.includes(':') && /^[0-9a-f:]+$/i.test(name))) {
        issues.push(issue('networkInterfaces', 'error', 'interfaces.address', { value: name }));
        ok = false;
      } else if (/^[^@]+@.+$/.test(name)) {
        issues.push(issue('networkInterfaces', 'error', 'interfaces.linkSuffix', { value: name, name: name.slice(0, name.indexOf('@')) }));
        ok = false;
      } else if (name.length > 15 || /[/]/.test(name) || !/^[A-Za-z0-9_.:-]+$/.test(name)) {
        issues.push(issue('networkInterfaces', 'error', 'interfaces.invalid', { value: name }));
        ok = false;
      }
    }
    if (ok) settings.networkInterfaces = names.join(',');
  }

  if (!values.iceTcp) settings.iceTcp = false;

  // RTP port range
  const minPort = checkPort('minPort', values.minPort, issues);
  const maxPort = checkPort('maxPort', values.maxPort, issues);
  const minGiven = values.minPort.trim() !== '';
  const maxGiven = values.maxPort.trim() !== '';
  let rangeOk = !(minGiven && minPort === undefined) && !(maxGiven && maxPort === undefined);
  if (minPort !== undefined && maxPort !== undefined && minPort >= maxPort) {
    issues.push(issue('maxPort', 'error', 'ports.order', { min: minPort, max: maxPort }));
    rangeOk = false;
  }
  if (rangeOk) {
    if (minPort !== undefined) settings.minPort = minPort;
    if (maxPort !== undefined) settings.maxPort = maxPort;
    if (minPort !== undefined && minPort < 1024) issues.push(issue('minPort', 'warning', 'ports.privileged', { value: minPort }));
    if (minGiven !== maxGiven) issues.push(issue(minGiven ? 'maxPort' : 'minPort', 'warning', 'ports.onlyOne'));
    if ((minPort !== undefined && minPort % 2 === 1) || (maxPort !== undefined && maxPort % 2 === 0)) {
      issues.push(issue(minPort !== undefined && minPort % 2 === 1 ? 'minPort' : 'maxPort', 'warning', 'ports.parity'));
    }
  }
  if (values.publishPorts) {
    if (settings.minPort === undefined || settings.maxPort === undefined) {
      issues.push(issue('publishPorts', 'warning', 'ports.publishNeedsRange'));
    } else if (settings.maxPort - settings.minPort + 1 > 200) {
      issues.push(issue('publishPorts', 'warning', 'ports.publishWide', { count: settings.maxPort - settings.minPort + 1 }));
    }
  }

  return { settings, issues };
}

/** Only the issues; see resolveKmsSettings. */
export function validateKmsForm(values: KmsFormValues): Issue[] {
  return resolveKmsSettings(values).issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** Lines for /etc/kurento/modules/kurento/WebRtcEndpoint.conf.ini, in the order of the file KMS ships. */
export function renderWebRtcEndpointIni(settings: KmsSettings): RenderedOutput {
  const lines: string[] = [];
  const notes: NoteCode[] = [];
  if (settings.networkInterfaces) lines.push(`networkInterfaces=${settings.networkInterfaces}`);
  if (settings.stunServerAddress) {
    lines.push(`stunServerAddress=${settings.stunServerAddress}`);
    lines.push(`stunServerPort=${settings.stunServerPort ?? DEFAULT_STUN_PORT}`);
  }
  if (settings.turnUrl) lines.push(`turnURL=${settings.turnUrl}`);
  if (settings.externalIPv4 === 'auto') notes.push('ini.externalAuto');
  else if (settings.externalIPv4) lines.push(`externalIPv4=${settings.externalIPv4}`);
  if (settings.iceTcp === false) lines.push('iceTcp=0');
  return { text: lines.join('\n'), notes };
}

/** Lines for /etc/kurento/modules/kurento/BaseRtpEndpoint.conf.ini. */
export function renderBaseRtpEndpointIni(settings: KmsSettings): RenderedOutput {
  const lines: string[] = [];
  if (settings.minPort !== undefined) lines.push(`minPort=${settings.minPort}`);
  if (settings.maxPort !== undefined) lines.push(`maxPort=${settings.maxPort}`);
  return { text: lines.join('\n'), notes: [] };
}

/** The environment variables of the official image, in the order its entrypoint reads the ini keys. */
export function dockerEnv(settings: KmsSettings): Array<[string, string]> {
  const env: Array<[string, string]> = [];
  if (settings.stunServerAddress) {
    // The entrypoint writes STUN only when both variables are set.
    env.push(['KMS_STUN_IP', settings.stunServerAddress]);
    env.push(['KMS_STUN_PORT', String(settings.stunServerPort ?? DEFAULT_STUN_PORT)]);
  }
  if (settings.turnUrl) env.push(['KMS_TURN_URL', settings.turnUrl]);
  if (settings.externalIPv4) env.push(['KMS_EXTERNAL_IPV4', settings.externalIPv4]);
  if (settings.networkInterfaces) env.push(['KMS_NETWORK_INTERFACES', settings.networkInterfaces]);
  if (settings.iceTcp === false) env.push(['KMS_ICE_TCP', '0']);
  if (settings.minPort !== undefined) env.push(['KMS_MIN_PORT', String(settings.minPort)]);
  if (settings.maxPort !== undefined) env.push(['KMS_MAX_PORT', String(settings.maxPort)]);
  return env;
}

function command(head: string, args: string[]): string {
  return args.length === 0 ? head : [head, ...args].join(' \\\n    ');
}

/**
 * `docker run` for the official image. With host networking (Linux) KMS sees the host's interfaces; with
 * `publishPorts` (Docker Desktop) it publishes 8888/tcp and the RTP range, which must then be small.
 */
export function renderDockerRun(settings: KmsSettings, options: { publishPorts?: boolean } = {}): RenderedOutput {
  const notes: NoteCode[] = [];
  const args: string[] = [];
  if (options.publishPorts) {
    args.push('-p 8888:8888/tcp');
    if (settings.minPort !== undefined && settings.maxPort !== undefined) {
      args.push(`-p ${settings.minPort}-${settings.maxPort}:${settings.minPort}-${settings.maxPort}/udp`);
    } else {
      notes.push('docker.publishNoRange');
    }
  }
  for (const [name, value] of dockerEnv(settings)) {
    args.push(`-e ${name}=${shellQuote(value)}`);
    if (/[&|\\]/.test(value)) notes.push('docker.sedChars');
  }
  args.push(KMS_DOCKER_IMAGE);
  const head = options.publishPorts ? 'docker run -d --name kurento' : 'docker run -d --name kurento --network host';
  return { text: command(head, args), notes };
}

/** `npm run kms -- …` for the embedded KMS of this site (same names as the Docker variables, see --help). */
export function renderNpmKms(settings: KmsSettings): RenderedOutput {
  const notes: NoteCode[] = [];
  const args: string[] = [];
  if (settings.stunServerAddress) {
    args.push(`--stun-address ${settings.stunServerAddress}`);
    args.push(`--stun-port ${settings.stunServerPort ?? DEFAULT_STUN_PORT}`);
  }
  if (settings.turnUrl) {
    args.push(`--turn-url ${shellQuote(settings.turnUrl)}`);
    if (parseTurnUrl(settings.turnUrl)?.transport === 'tls') notes.push('npm.tls');
  }
  if (settings.externalIPv4 === 'auto') notes.push('npm.externalAuto');
  else if (settings.externalIPv4) args.push(`--external-ipv4 ${settings.externalIPv4}`);
  if (settings.networkInterfaces) args.push(`--network-interfaces ${shellQuote(settings.networkInterfaces)}`);
  if (settings.iceTcp === false) notes.push('npm.iceTcp');
  const { minPort, maxPort } = settings;
  if (minPort !== undefined && maxPort !== undefined) {
    // The embedded KMS takes both or neither, and only unprivileged ports.
    if (minPort < 1024) notes.push('npm.portsLow');
    else args.push(`--min-port ${minPort}`, `--max-port ${maxPort}`);
  } else if (minPort !== undefined || maxPort !== undefined) {
    notes.push('npm.portsPair');
  }
  return { text: args.length === 0 ? 'npm run kms' : command('npm run kms --', args), notes };
}
