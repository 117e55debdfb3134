/**
 * `npm start`: the one Node process behind Kurento Labs. It serves the production build of the site (building it when
 * missing or stale) together with the embedded KMS the labs use, prints the URLs, and shuts everything down cleanly on
 * SIGINT/SIGTERM. `npm run dev` runs the same services with Docusaurus' live-reload dev server instead of the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KmsServer } from './kms/server';
import { createLogger, parseLogLevel } from './kms/logger';
import { KMS_OPTIONS_HELP, STANDALONE_ORIGINS, kmsArgOptions, kmsConfigFrom } from './kms/options';
import { startAll, stopAll, type Service, type ServiceHealth, type ServiceUrl } from './service';
import { AppServers } from './apps';
import { SiteService } from './site/site-service';
import { CoturnService, parseTurnEnv, type CoturnStatus, type TurnForLabs } from './turn/coturn';
import { lanAddresses, loadTls } from './site/tls';
import { isLoopbackHost } from './kms/config';
import { WorkshopDashboard } from './workshop/dashboard';
import { KmsPool, parseKmsList } from './workshop/kms-pool';
import type { IncomingMessage } from 'node:http';

/**
 * Where the TURN relay may send: the embedded KMS's media addresses (in a workshop, its LAN addresses only: relaying
 * into this machine's loopback is what must not happen), or the host of KMS_URL when the labs use another KMS.
 */
function relayTargets(kms: KmsServer | undefined, externalKms: readonly string[], reach: 'loopback' | 'network'): string[] {
  if (kms) {
    const addresses = kms.mediaAddresses.addresses;
    return reach === 'network' ? addresses.filter((address) => !/^127\./.test(address)) : addresses;
  }
  const targets = new Set<string>();
  for (const url of externalKms) {
    try {
      const host = new URL(url).hostname;
      if (isIP(host) === 4) targets.add(host);
      if (host === 'localhost') targets.add('127.0.0.1');
    } catch {
      // not a URL: nothing to relay to
    }
  }
  return [...targets];
}

const root = path.resolve(__dirname, '..');

function usage(): string {
  return [
    'Usage: npm start -- [options]      (npm run dev -- [options] for the live-reload site)',
    '  --host ADDRESS   address the site listens on (default 127.0.0.1; 0.0.0.0 for a workshop on the LAN)',
    '  --port N         port of the site (default 3000, or $PORT)',
    '  --https          workshop mode: https for the site and wss for the KMS (same origin, path /kurento);',
    '                   a self-signed certificate for localhost and the LAN addresses is made on first start',
    '  --cert FILE --key FILE   use this certificate instead (PEM)',
    '  --allow-host NAME        a host name (not an address) attendees may open the site by (repeatable)',
    '  --kms URL        use that KMS instead of the embedded one; repeat it for a pool of KMS (each attendee is',
    '                   assigned one by load, and reaches it through the site at /kurento); same as KMS_URL=URL,URL',
    '  --help           this text',
    '',
    KMS_OPTIONS_HELP,
    '',
    'Environment: KMS_URL (use that KMS instead of starting the embedded one; several, comma-separated: a pool),',
    '  ICE_SERVERS (JSON list of RTCIceServer),',
    '  TURN_URL (user:password@ip:port?transport=udp|tcp: that TURN server instead of starting coturn).',
  ].join('\n');
}

/** Docusaurus' dev server as a service (live reload; search and the zh-Hans locale need the production build). */
class DevSiteService implements Service {
  readonly name = 'site-dev';
  private child: ChildProcess | undefined;

  constructor(private readonly host: string, private readonly port: number, private readonly env: NodeJS.ProcessEnv) {}

  async start(): Promise<void> {
    const docusaurus = path.join(root, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
    const child = spawn(process.execPath, [docusaurus, 'start', '--host', this.host, '--port', String(this.port), '--no-open'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...this.env },
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }

  async health(): Promise<ServiceHealth> {
    return this.child && this.child.exitCode === null ? { ok: true, detail: 'dev server running' } : { ok: false, detail: 'not running' };
  }

  urls(): ServiceUrl[] {
    return [{ label: 'Site (dev, English)', url: `http://${this.host === '0.0.0.0' ? '127.0.0.1' : this.host}:${this.port}/` }];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      dev: { type: 'boolean', default: false },
      https: { type: 'boolean', default: false },
      cert: { type: 'string' },
      key: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      kms: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
      ...kmsArgOptions,
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const log = (line: string): void => console.log(`[kurento-labs] ${line}`);

  const anyHost = values.host === '0.0.0.0';
  const lan = anyHost ? lanAddresses() : [];
  const siteHosts = [...new Set(['127.0.0.1', 'localhost', ...(anyHost ? lan : [values.host])])];
  const https = values.https || values.cert !== undefined;
  const tls = https
    ? await loadTls({ cert: values.cert, key: values.key, dir: path.join(root, 'var', 'tls'), hosts: siteHosts })
    : undefined;
  const scheme = https ? 'https' : 'http';
  const siteOrigins = siteHosts.map((host) => `${scheme}://${host}:${port}`);

  const services: Service[] = [];
  // Beyond loopback (a workshop on the LAN), the embedded KMS's rules for other machines apply (scoped pages, the
  // access token, no http sources on private addresses) and its media sockets face the network.
  const reach = isLoopbackHost(values.host) ? 'loopback' : 'network';

  // One KMS URL: the labs use that KMS. Several: a pool, each attendee assigned one (server/workshop/kms-pool.ts).
  const kmsList = parseKmsList(process.env.KMS_URL, values.kms ?? []);
  const pooled = kmsList.length > 1;
  const externalKms = kmsList.length === 1 ? kmsList[0] : undefined;
  let kms: KmsServer | undefined;
  let coturn: CoturnService | undefined;
  const turnEnv = process.env.TURN_URL?.trim();
  const fixedTurn = turnEnv ? parseTurnEnv(turnEnv) : undefined;
  if (turnEnv && !fixedTurn) throw new Error('TURN_URL must look like user:password@ip:port?transport=udp|tcp');

  if (kmsList.length === 0) {
    const { logLevel, ...kmsConfig } = kmsConfigFrom(values, process.env, root);
    kms = new KmsServer(
      {
        ...kmsConfig,
        reach,
        // --turn-url / KMS_TURN_URL win; otherwise the embedded KMS relays through the TURN server of the labs, with a
        // credential minted for each endpoint.
        ...(kmsConfig.turnUrl ? {} : fixedTurn ? { turnUrl: fixedTurn.kmsTurnUrl } : { turnUrlProvider: () => coturn?.forLabs()?.kmsTurnUrl || undefined }),
        // The site's pages, and pages this machine serves on any port: an app exported from a lab, the first-app
        // example on python3 -m http.server (no page from elsewhere can carry a loopback origin).
        allowedOrigins: [...siteOrigins, ...STANDALONE_ORIGINS, ...(kmsConfig.allowedOrigins ?? [])],
        // The player lab plays this site's sample clip: its own origins stay readable whatever their address.
        trustedSources: siteOrigins,
        // In workshop mode HttpEndpoint URLs are announced on the site's https origin, which forwards them.
        ...(tls ? { httpAnnouncedBase: `https://${anyHost && lan[0] ? lan[0] : values.host}:${port}` } : {}),
      },
      createLogger('kms', parseLogLevel(logLevel, 'info')),
    );
  } else if (externalKms) {
    log(`KMS_URL is set: the labs use ${externalKms} and the embedded KMS is not started`);
  } else {
    log(`a pool of ${kmsList.length} KMS: ${kmsList.join(', ')}; the embedded KMS is not started`);
  }

  // TURN: TURN_URL names another server; otherwise Debian's coturn runs on this machine when it is installed (its
  // absence is reported to the labs, and nothing else depends on it). It relays only to the KMS's media addresses.
  if (!fixedTurn) {
    const embedded = kms;
    coturn = new CoturnService({
      // Attendees of a workshop reach the relay on the LAN address, not on loopback.
      host: anyHost && lan[0] ? lan[0] : '127.0.0.1',
      // One coturn per site: another `npm start` (labs:check's own site, the end-to-end tests) on another port keeps
      // its own configuration, secret and pid file, and never stops this one's turnserver as a leftover.
      stateDir: path.join(root, 'var', port === 3000 ? 'turn' : `turn-${port}`),
      minPort: 49160,
      maxPort: 49999,
      peers: () => relayTargets(embedded, kmsList, reach),
      log: (line) => console.log(`[coturn] ${line}`),
    });
    await coturn.start();
    services.push(coturn);
  }
  if (kms) services.push(kms);

  const liveTurn = (): { turn: TurnForLabs | null; turnStatus: CoturnStatus } =>
    fixedTurn ? { turn: fixedTurn, turnStatus: { available: true } } : { turn: coturn?.forLabs() ?? null, turnStatus: coturn?.status() ?? { available: false } };

  // In workshop mode the KMS is reached through the site's own https origin (wss://host:port/kurento): attendees
  // accept one certificate, and the KMS Origin allow-list names exactly that origin.
  const runtime = {
    kmsUrl: externalKms ?? '',
    iceServers: process.env.ICE_SERVERS ?? '',
    embeddedKms: kms ? (tls ? { port, path: kms.config.path, secure: true } : { port: kms.config.port, path: kms.config.path, secure: false }) : null,
    // Where the embedded KMS reads and writes files (recordings), and where the site lets browsers download them.
    media: kms ? { directory: kms.config.mediaDirectory, downloadBase: '/kms-media/' } : null,
  };

  // The three-tier application servers (Java tutorials' structure, in TypeScript) on the site's port.
  // Their pages are the site's; and, as for the embedded KMS, pages this machine serves on any port (a three-tier lab
  // downloaded as an app, whose app_uri names this site).
  // Workshop mode (https): the trainer dashboard. Attendees' pages report their lab runs; the trainer follows them at
  // /trainer with the trainer token printed below. Its state survives a restart (var/workshop*/state.json).
  // A pool of KMS without https uses the dashboard for its attendee cookie and its view of the pool only.
  const dashboard =
    tls || pooled
      ? new WorkshopDashboard({
          stateFile: path.join(root, 'var', port === 3000 ? 'workshop' : `workshop-${port}`, 'state.json'),
          origins: siteOrigins,
          log,
          reports: tls !== undefined,
          secureCookies: tls !== undefined,
        })
      : undefined;
  if (dashboard) services.push(dashboard);
  const pool =
    pooled && dashboard
      ? new KmsPool({
          urls: kmsList,
          log: (line) => console.log(`[kms-pool] ${line}`),
          onChange: (views) => dashboard.setPool(views),
          onNotice: (text) => dashboard.notice(text),
          onAssign: (attendee, url) => dashboard.setAttendeeKms(attendee, url),
          allowedOrigins: siteOrigins,
        })
      : undefined;
  if (pool) services.push(pool);

  const apps = new AppServers({
    kmsUrl: kms?.url ?? externalKms ?? kmsList[0] ?? '',
    log: createLogger('apps'),
    allowedOrigins: [...siteOrigins, ...STANDALONE_ORIGINS],
    // A pool: what a browser opens goes to its KMS (by its site cookie); the others of its room join it there.
    ...(pool && dashboard ? { kmsForRequest: (req: IncomingMessage) => pool.assign(dashboard.attendeeSecret(req)) } : {}),
    // The RTP gateway records into the embedded KMS's media folder, which the site serves at /kms-media/.
    ...(kms ? { recordings: { directory: kms.config.mediaDirectory, downloadBase: '/kms-media/' } } : {}),
  });
  services.push(apps);

  if (values.dev) {
    services.push(new DevSiteService(values.host, port, { KMS_URL: externalKms ?? '', ICE_SERVERS: runtime.iceServers }));
  } else {
    const site = new SiteService({
      root,
      buildDir: path.join(root, 'build'),
      host: values.host,
      port,
      log,
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      ...(anyHost && lan[0] ? { publicHost: lan[0] } : {}),
      allowedHosts: (values['allow-host'] ?? []).map((name) => name.toLowerCase()),
    });
    // Computed per request: the TURN state is the live one, and each page load gets its own time-limited credential.
    site.setRuntimeConfig((req, res) => {
      // In workshop mode each page learns that its lab runs are reported (and gets its attendee cookie).
      // The trainer's own browser is not an attendee (not on the dashboard, not counted on a KMS of the pool).
      const attendee = dashboard && !dashboard.isTrainer(req) ? dashboard.attendeeOf(req, res) : undefined;
      // A pool: the page's KMS is the site's /kurento, which forwards to the KMS assigned to this browser.
      const assigned = pool ? pool.assign(attendee?.secret) : undefined;
      const poolFields = pool ? { kmsUrl: `${tls ? 'wss' : 'ws'}://${req.headers.host ?? `127.0.0.1:${port}`}/kurento`, pool: { kms: assigned ?? null } } : {};
      return { ...runtime, ...liveTurn(), ...poolFields, ...(dashboard?.reports ? { workshop: { reports: true } } : {}) };
    });
    if (dashboard) {
      const workshop = dashboard;
      site.addHandler('/workshop/', (req, res) => void workshop.handle(req, res));
      site.addPageGuard(['/trainer', '/zh-Hans/trainer'], (req, res) => workshop.guardTrainerPage(req, res));
      // A browser gets its attendee cookie with its first page, before the page's own requests (which run in
      // parallel and would otherwise each be given one). The trainer's pages are not an attendee's.
      site.setPageHook((req, res) => {
        if (!/^\/(zh-Hans\/)?trainer\/?$/.test(new URL(req.url ?? '/', 'http://localhost').pathname) && !workshop.isTrainer(req)) workshop.attendeeOf(req, res);
      });
    }
    if (kms) site.addFolder('/kms-media/', kms.config.mediaDirectory);
    // HttpPostEndpoint URLs (/kurento-http/…) answer on the site too: in workshop mode they are announced there, on
    // the one https origin attendees reach.
    if (kms) {
      const embedded = kms;
      site.addHandler('/kurento-http/', (req, res) => {
        if (!embedded.handleHttp(req, res)) res.writeHead(404).end();
      });
    }
    for (const appPath of apps.paths) site.addUpgradeRoute(appPath, (req, socket, head) => void apps.handleUpgrade(req, socket, head));
    if (pool && dashboard) {
      const poolOf = pool;
      const workshop = dashboard;
      site.addUpgradeRoute('/kurento', (req, socket, head) =>
        poolOf.handleUpgrade(req, socket, head, workshop.attendeeSecret(req), isLoopbackHost((req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''))),
      );
    }
    if (kms && tls) {
      const embedded = kms;
      site.addUpgradeRoute(`/${embedded.config.path}`, (req, socket, head) => embedded.handleUpgrade(req, socket, head));
    }
    services.push(site);
  }

  await startAll(services);
  console.log('\nKurento Labs is running:');
  for (const service of services) {
    for (const { label, url } of service.urls()) console.log(`  ${label.padEnd(22)} ${url}`);
  }
  if (tls) {
    const open = anyHost ? lan.map((address) => `https://${address}:${port}/`) : [`https://${values.host}:${port}/`];
    console.log('\nWorkshop mode (https):');
    console.log(`  Attendees open        ${open.join('  or  ') || `https://<this machine's address>:${port}/`}`);
    console.log(`  KMS for the labs      wss://<same host>:${port}/kurento (same origin as the site)`);
    const lanSite = anyHost && lan[0] ? `https://${lan[0]}:${port}` : `https://${values.host}:${port}`;
    console.log(`  Trainer preflight     npm run labs:check -- --site ${lanSite}   (or open ${lanSite}/preflight)`);
    if (kms?.config.accessToken) {
      console.log(`  Workshop token        ${kms.config.accessToken}`);
      console.log(`    for trainers' scripts (kurento-client in Node): wss://<same host>:${port}/kurento?token=${kms.config.accessToken}`);
      console.log('    (attendees need none: their pages come from this site; pages of other machines see only their own objects)');
    }
    if (tls.origin !== 'given') {
      console.log(`  Certificate           ${tls.certPath} (self-signed, ${tls.origin === 'created' ? 'made now' : 'made on a previous start'})`);
      console.log('  To trust it: open the URL, choose "Advanced" → "Proceed" once per browser, or import the .crt file');
      console.log('  into the browser or system trust store (Chromium: Settings → Privacy and security → Security → Manage certificates).');
    }
  }
  if (dashboard) {
    const base = `${scheme}://${anyHost && lan[0] ? lan[0] : values.host}:${port}`;
    console.log(`\n  Trainer dashboard     ${base}/trainer?token=${dashboard.trainerToken}`);
    console.log(`    (简体中文: ${base}/zh-Hans/trainer?token=${dashboard.trainerToken})`);
    console.log(
      dashboard.reports
        ? "    attendees' lab progress, live, and a banner for them. This trainer token opens the dashboard only (it is not the workshop KMS token): keep it to yourself."
        : '    the KMS pool and the banner (lab progress is reported in workshop mode only: --https).',
    );
  }
  console.log('\nPress Ctrl+C to stop.');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping…`);
    void stopAll(services).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[kurento-labs] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
