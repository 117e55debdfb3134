import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_FORM,
  EXAMPLE_FORM,
  KMS_DOCKER_IMAGE,
  buildTurnUrl,
  diagnoseTurnUrl,
  dockerEnv,
  ipv4Problem,
  isIPv4,
  isPrivateIPv4,
  parsePort,
  parseTurnUrl,
  renderBaseRtpEndpointIni,
  renderDockerRun,
  renderNpmKms,
  renderWebRtcEndpointIni,
  resolveKmsSettings,
  shellQuote,
  validateKmsForm,
  type Issue,
  type KmsFormValues,
} from '../../src/components/KmsConfigForm/config-text';

const form = (values: Partial<KmsFormValues>): KmsFormValues => ({ ...EMPTY_FORM, ...values });
const codes = (issues: Issue[], level?: Issue['level']): string[] =>
  issues.filter((issue) => level === undefined || issue.level === level).map((issue) => `${issue.field}:${issue.code}`);

describe('small parsers', () => {
  test('IPv4 literals as KMS needs them', () => {
    assert.equal(isIPv4('192.168.1.10'), true);
    assert.equal(isIPv4('203.0.113.255'), true);
    assert.equal(isIPv4('256.1.1.1'), false);
    assert.equal(isIPv4('010.0.0.1'), false, 'leading zeros are not read as decimal by inet_pton');
    assert.equal(isIPv4('0.0.0.0'), false);
    assert.equal(isIPv4('192.168.1'), false);
    assert.equal(ipv4Problem('stun.l.google.com'), 'ipv4.hostname');
    assert.equal(ipv4Problem('2001:db8::1'), 'ipv4.ipv6');
    assert.equal(ipv4Problem('1.2.3.4.5'), 'ipv4.invalid');
    assert.equal(ipv4Problem('10.0.0.5'), undefined);
  });

  test('ports are whole numbers from 1 to 65535', () => {
    assert.equal(parsePort('3478'), 3478);
    assert.equal(parsePort(' 8888 '), 8888);
    assert.equal(parsePort('1'), 1);
    assert.equal(parsePort('65535'), 65535);
    assert.equal(parsePort('0'), undefined);
    assert.equal(parsePort('65536'), undefined);
    assert.equal(parsePort('34a'), undefined);
    assert.equal(parsePort('-1'), undefined);
    assert.equal(parsePort('3478.5'), undefined);
  });

  test('private ranges (172.168.x.x, from the original notes, is not one of them)', () => {
    for (const address of ['10.1.2.3', '172.16.0.1', '172.31.255.1', '192.168.1.10', '127.0.0.1', '100.64.0.1']) {
      assert.equal(isPrivateIPv4(address), true, address);
    }
    for (const address of ['172.168.10.106', '172.32.0.1', '8.8.8.8', '203.0.113.10']) {
      assert.equal(isPrivateIPv4(address), false, address);
    }
  });

  test('shell quoting only when needed', () => {
    assert.equal(shellQuote('192.168.1.10'), '192.168.1.10');
    assert.equal(shellQuote('eth0,eth1'), 'eth0,eth1');
    assert.equal(shellQuote('u:p@10.0.0.5:3478?transport=udp'), "'u:p@10.0.0.5:3478?transport=udp'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('turnURL, read with the expression of kmswebrtcsession.c', () => {
  test('the plain form, with and without transport', () => {
    assert.deepEqual(parseTurnUrl('kurento:S3cret@192.168.1.10:3478'), {
      user: 'kurento',
      password: 'S3cret',
      address: '192.168.1.10',
      port: 3478,
      transport: 'udp',
      transportGiven: false,
    });
    assert.equal(parseTurnUrl('kurento:S3cret@192.168.1.10:443?transport=tcp')?.transport, 'tcp');
    assert.equal(parseTurnUrl('kurento:S3cret@192.168.1.10:5349?transport=tls')?.transport, 'tls');
  });

  test('KMS refuses names, unknown transports, browser-style URLs', () => {
    assert.equal(parseTurnUrl('kurento:S3cret@turn.example.com:3478'), undefined);
    assert.equal(parseTurnUrl('kurento:S3cret@192.168.1.10:3478?transport=dtls'), undefined);
    assert.equal(parseTurnUrl('kurento:S3cret@192.168.1.10:3478?transport=UDP'), undefined);
    assert.equal(parseTurnUrl('turn:192.168.1.10:3478'), undefined);
    assert.equal(parseTurnUrl('kurento:@192.168.1.10:3478'), undefined, 'the password must not be empty');
  });

  test('the greedy user group: a colon in the password moves text into the user', () => {
    const read = parseTurnUrl('kurento:pa:ss@192.168.1.10:3478');
    assert.equal(read?.user, 'kurento:pa');
    assert.equal(read?.password, 'ss');
    // The same rule makes TURN REST API users ("expiry:name") work.
    const rest = parseTurnUrl('1767225600:kurento:S3cret@10.0.0.5:3478?transport=tcp');
    assert.equal(rest?.user, '1767225600:kurento');
    assert.equal(rest?.password, 'S3cret');
    // '@' in the credentials: KMS splits at the last '@' that is followed by ip:port.
    assert.equal(parseTurnUrl('kurento:p@ss@192.168.1.10:3478')?.password, 'p@ss');
  });

  test('buildTurnUrl writes the transport explicitly and round-trips', () => {
    const url = buildTurnUrl({ user: 'yb', password: '1', address: '192.168.10.106', port: 3478, transport: 'udp' });
    assert.equal(url, 'yb:1@192.168.10.106:3478?transport=udp');
    assert.equal(parseTurnUrl(url)?.user, 'yb');
  });

  test('diagnosis of rejected URLs', () => {
    assert.equal(diagnoseTurnUrl('turn:192.168.1.10:3478'), 'turnUrl.scheme');
    assert.equal(diagnoseTurnUrl('turn:192.168.1.10:3478?transport=udp'), 'turnUrl.scheme');
    assert.equal(diagnoseTurnUrl('192.168.1.10:3478'), 'turnUrl.noCredentials');
    assert.equal(diagnoseTurnUrl('kurento:S3cret@turn.example.com:3478'), 'turnUrl.hostname');
    assert.equal(diagnoseTurnUrl('kurento:S3cret@192.168.1.10'), 'turnUrl.port');
    assert.equal(diagnoseTurnUrl('kurento:S3cret@192.168.1.10:3478?transport=dtls'), 'turnUrl.transport');
  });
});

describe('validation of the form', () => {
  test('an empty form is valid and sets nothing', () => {
    const { settings, issues } = resolveKmsSettings(EMPTY_FORM);
    assert.deepEqual(settings, {});
    assert.deepEqual(issues, []);
  });

  test('the example has no errors', () => {
    assert.deepEqual(codes(validateKmsForm(EXAMPLE_FORM), 'error'), []);
  });

  test('stunServerAddress must be an IPv4 literal', () => {
    const { settings, issues } = resolveKmsSettings(form({ stunServerAddress: 'stun.l.google.com', stunServerPort: '19302' }));
    assert.deepEqual(codes(issues), ['stunServerAddress:ipv4.hostname']);
    assert.equal(issues[0]?.params.value, 'stun.l.google.com');
    assert.equal(settings.stunServerAddress, undefined);
  });

  test('STUN port: range, default, alone', () => {
    assert.deepEqual(codes(validateKmsForm(form({ stunServerAddress: '192.168.1.10', stunServerPort: '70000' }))), ['stunServerPort:port.invalid']);
    assert.equal(resolveKmsSettings(form({ stunServerAddress: '192.168.1.10', stunServerPort: '70000' })).settings.stunServerAddress, undefined);
    assert.equal(resolveKmsSettings(form({ stunServerAddress: '192.168.1.10' })).settings.stunServerPort, 3478);
    assert.deepEqual(codes(validateKmsForm(form({ stunServerPort: '3478' }))), ['stunServerPort:stun.portWithoutAddress']);
  });

  test('TURN parts: every part is required once one is given', () => {
    const issues = validateKmsForm(form({ turnUser: 'kurento' }));
    assert.deepEqual(codes(issues, 'error'), ['turnPassword:turn.required', 'turnAddress:turn.required']);
    assert.deepEqual(
      issues.map((issue) => issue.params.part),
      ['password', 'address'],
    );
  });

  test('TURN address: IPv4 only, port 1..65535', () => {
    const named = resolveKmsSettings(form({ turnUser: 'kurento', turnPassword: 'S3cret', turnAddress: 'turn.example.com' }));
    assert.deepEqual(codes(named.issues, 'error'), ['turnAddress:ipv4.hostname']);
    assert.equal(named.settings.turnUrl, undefined);
    const badPort = validateKmsForm(form({ turnUser: 'kurento', turnPassword: 'S3cret', turnAddress: '192.168.1.10', turnPort: '0' }));
    assert.deepEqual(codes(badPort, 'error'), ['turnPort:port.invalid']);
  });

  test('TURN password with ":" is an error that shows how KMS would read it', () => {
    const { settings, issues } = resolveKmsSettings(form({ turnUser: 'kurento', turnPassword: 'pa:ss', turnAddress: '192.168.1.10' }));
    const misread = issues.find((issue) => issue.code === 'turn.misread');
    assert.ok(misread);
    assert.equal(misread.level, 'error');
    assert.equal(misread.field, 'turnPassword');
    assert.deepEqual(misread.params, { user: 'kurento:pa', password: 'ss' });
    assert.equal(settings.turnUrl, undefined);
  });

  test('":" in the user or "@" anywhere: a warning, and KMS still reads the credentials right', () => {
    const rest = resolveKmsSettings(form({ turnUser: '1767225600:kurento', turnPassword: 'S3cret', turnAddress: '10.0.0.5' }));
    assert.deepEqual(codes(rest.issues), ['turnUser:turn.separator']);
    assert.equal(rest.settings.turnUrl, '1767225600:kurento:S3cret@10.0.0.5:3478?transport=udp');
    const at = resolveKmsSettings(form({ turnUser: 'kurento', turnPassword: 'p@ss', turnAddress: '10.0.0.5' }));
    assert.deepEqual(codes(at.issues), ['turnPassword:turn.separator']);
    assert.equal(parseTurnUrl(at.settings.turnUrl ?? '')?.password, 'p@ss');
  });

  test('TURN over TLS on 3478 gets a hint about 5349', () => {
    const issues = validateKmsForm(form({ turnUser: 'kurento', turnPassword: 'S3cret', turnAddress: '10.0.0.5', turnTransport: 'tls' }));
    assert.deepEqual(codes(issues), ['turnPort:turn.tlsPort']);
  });

  test('pasted turnURL: accepted as typed, or the precise reason', () => {
    const ok = resolveKmsSettings(form({ turnMode: 'url', turnUrl: ' kurento:S3cret@192.168.1.10:3478 ' }));
    assert.deepEqual(ok.issues, []);
    assert.equal(ok.settings.turnUrl, 'kurento:S3cret@192.168.1.10:3478');
    assert.deepEqual(codes(validateKmsForm(form({ turnMode: 'url', turnUrl: 'turn:192.168.1.10:3478' }))), ['turnUrl:turnUrl.scheme']);
    assert.deepEqual(codes(validateKmsForm(form({ turnMode: 'url', turnUrl: 'u:p@999.1.1.1:3478' }))), ['turnUrl:turnUrl.address']);
    assert.deepEqual(codes(validateKmsForm(form({ turnMode: 'url', turnUrl: 'u:p@10.0.0.5:70000' }))), ['turnUrl:turnUrl.port']);
    // The parts are ignored in URL mode, and the URL in parts mode.
    assert.equal(resolveKmsSettings(form({ turnMode: 'parts', turnUrl: 'garbage' })).issues.length, 0);
  });

  test('externalIPv4: IPv4, "auto", private addresses', () => {
    assert.deepEqual(codes(validateKmsForm(form({ externalIPv4: 'kms.example.com' }))), ['externalIPv4:ipv4.hostname']);
    const auto = resolveKmsSettings(form({ externalIPv4: 'AUTO' }));
    assert.equal(auto.settings.externalIPv4, 'auto');
    assert.deepEqual(codes(auto.issues), ['externalIPv4:external.auto']);
    assert.deepEqual(codes(validateKmsForm(form({ externalIPv4: '172.31.5.9' }))), ['externalIPv4:external.private']);
    assert.deepEqual(validateKmsForm(form({ externalIPv4: '203.0.113.10' })), []);
  });

  test('networkInterfaces: names, split like KMS on commas and spaces', () => {
    assert.equal(resolveKmsSettings(form({ networkInterfaces: 'eth0, ens5' })).settings.networkInterfaces, 'eth0,ens5');
    const link = validateKmsForm(form({ networkInterfaces: 'eth0@if12' }));
    assert.deepEqual(codes(link), ['networkInterfaces:interfaces.linkSuffix']);
    assert.equal(link[0]?.params.name, 'eth0');
    assert.deepEqual(codes(validateKmsForm(form({ networkInterfaces: '10.0.0.5' }))), ['networkInterfaces:interfaces.address']);
    assert.deepEqual(codes(validateKmsForm(form({ networkInterfaces: 'averyveryverylongname0' }))), ['networkInterfaces:interfaces.invalid']);
  });

  test('port range: order, privileged ports, one end only, parity', () => {
    const reversed = resolveKmsSettings(form({ minPort: '50000', maxPort: '40000' }));
    assert.deepEqual(codes(reversed.issues, 'error'), ['maxPort:ports.order']);
    assert.equal(reversed.settings.minPort, undefined);
    assert.deepEqual(codes(validateKmsForm(form({ minPort: '40000', maxPort: '40000' })), 'error'), ['maxPort:ports.order']);
    assert.deepEqual(codes(validateKmsForm(form({ minPort: '0', maxPort: '40000' })), 'error'), ['minPort:port.invalid']);
    assert.deepEqual(codes(validateKmsForm(form({ minPort: '500', maxPort: '40001' }))), ['minPort:ports.privileged']);
    assert.deepEqual(codes(validateKmsForm(form({ minPort: '40000' }))), ['maxPort:ports.onlyOne']);
    assert.deepEqual(codes(validateKmsForm(form({ minPort: '40001', maxPort: '40099' }))), ['minPort:ports.parity']);
    assert.deepEqual(validateKmsForm(form({ minPort: '40000', maxPort: '40099' })), []);
  });

  test('Docker Desktop: needs a range, and a small one', () => {
    assert.deepEqual(codes(validateKmsForm(form({ publishPorts: true }))), ['publishPorts:ports.publishNeedsRange']);
    const wide = validateKmsForm(form({ publishPorts: true, minPort: '40000', maxPort: '49999' }));
    assert.deepEqual(codes(wide), ['publishPorts:ports.publishWide']);
    assert.equal(wide[0]?.params.count, 10000);
    assert.deepEqual(validateKmsForm(form({ publishPorts: true, minPort: '40000', maxPort: '40049' })), []);
  });
});

describe('rendered text', () => {
  const example = resolveKmsSettings(EXAMPLE_FORM).settings;

  test('WebRtcEndpoint.conf.ini, in the order of the shipped file', () => {
    assert.equal(
      renderWebRtcEndpointIni(example).text,
      ['networkInterfaces=eth0', 'stunServerAddress=192.168.1.10', 'stunServerPort=3478', 'turnURL=kurento:S3cret-2025@192.168.1.10:3478?transport=udp'].join('\n'),
    );
    const more = resolveKmsSettings(form({ externalIPv4: '203.0.113.10', iceTcp: false })).settings;
    assert.deepEqual(renderWebRtcEndpointIni(more), { text: 'externalIPv4=203.0.113.10\niceTcp=0', notes: [] });
  });

  test('nothing to write gives an empty text', () => {
    assert.deepEqual(renderWebRtcEndpointIni({}), { text: '', notes: [] });
    assert.deepEqual(renderBaseRtpEndpointIni({}), { text: '', notes: [] });
  });

  test('externalIPv4=auto is never written to the ini file', () => {
    const auto = resolveKmsSettings(form({ externalIPv4: 'auto' })).settings;
    assert.deepEqual(renderWebRtcEndpointIni(auto), { text: '', notes: ['ini.externalAuto'] });
  });

  test('BaseRtpEndpoint.conf.ini', () => {
    assert.equal(renderBaseRtpEndpointIni(example).text, 'minPort=40000\nmaxPort=40099');
    assert.equal(renderBaseRtpEndpointIni({ maxPort: 50001 }).text, 'maxPort=50001');
  });

  test('Docker environment: STUN always as a pair, in the entrypoint order', () => {
    assert.deepEqual(dockerEnv(resolveKmsSettings(form({ stunServerAddress: '192.168.1.10' })).settings), [
      ['KMS_STUN_IP', '192.168.1.10'],
      ['KMS_STUN_PORT', '3478'],
    ]);
    assert.deepEqual(
      dockerEnv(example).map(([name]) => name),
      ['KMS_STUN_IP', 'KMS_STUN_PORT', 'KMS_TURN_URL', 'KMS_NETWORK_INTERFACES', 'KMS_MIN_PORT', 'KMS_MAX_PORT'],
    );
  });

  test('docker run with host networking', () => {
    assert.equal(renderDockerRun({}).text, `docker run -d --name kurento --network host \\\n    ${KMS_DOCKER_IMAGE}`);
    assert.equal(
      renderDockerRun(example).text,
      [
        'docker run -d --name kurento --network host \\',
        '    -e KMS_STUN_IP=192.168.1.10 \\',
        '    -e KMS_STUN_PORT=3478 \\',
        "    -e KMS_TURN_URL='kurento:S3cret-2025@192.168.1.10:3478?transport=udp' \\",
        '    -e KMS_NETWORK_INTERFACES=eth0 \\',
        '    -e KMS_MIN_PORT=40000 \\',
        '    -e KMS_MAX_PORT=40099 \\',
        '    kurento/kurento-media-server:7.3.0',
      ].join('\n'),
    );
    const more = resolveKmsSettings(form({ externalIPv4: 'auto', iceTcp: false })).settings;
    assert.match(renderDockerRun(more).text, /-e KMS_EXTERNAL_IPV4=auto \\\n {4}-e KMS_ICE_TCP=0 \\/);
  });

  test('docker run for Docker Desktop publishes 8888 and the RTP range', () => {
    const settings = resolveKmsSettings(form({ minPort: '40000', maxPort: '40049' })).settings;
    assert.equal(
      renderDockerRun(settings, { publishPorts: true }).text,
      [
        'docker run -d --name kurento \\',
        '    -p 8888:8888/tcp \\',
        '    -p 40000-40049:40000-40049/udp \\',
        '    -e KMS_MIN_PORT=40000 \\',
        '    -e KMS_MAX_PORT=40049 \\',
        '    kurento/kurento-media-server:7.3.0',
      ].join('\n'),
    );
    assert.deepEqual(renderDockerRun({}, { publishPorts: true }).notes, ['docker.publishNoRange']);
  });

  test('docker run warns about characters the entrypoint sed mangles', () => {
    const settings = resolveKmsSettings(form({ turnUser: 'kurento', turnPassword: 'a&b', turnAddress: '10.0.0.5' })).settings;
    const docker = renderDockerRun(settings);
    assert.deepEqual(docker.notes, ['docker.sedChars']);
    assert.match(docker.text, /-e KMS_TURN_URL='kurento:a&b@10\.0\.0\.5:3478\?transport=udp'/);
  });

  test('npm run kms flags of the embedded KMS', () => {
    assert.deepEqual(renderNpmKms({}), { text: 'npm run kms', notes: [] });
    assert.equal(
      renderNpmKms(example).text,
      [
        'npm run kms -- \\',
        '    --stun-address 192.168.1.10 \\',
        '    --stun-port 3478 \\',
        "    --turn-url 'kurento:S3cret-2025@192.168.1.10:3478?transport=udp' \\",
        '    --network-interfaces eth0 \\',
        '    --min-port 40000 \\',
        '    --max-port 40099',
      ].join('\n'),
    );
    assert.equal(renderNpmKms({ externalIPv4: '203.0.113.10' }).text, 'npm run kms -- \\\n    --external-ipv4 203.0.113.10');
  });

  test('npm run kms: what the embedded KMS cannot take becomes a note', () => {
    assert.deepEqual(renderNpmKms({ iceTcp: false }), { text: 'npm run kms', notes: ['npm.iceTcp'] });
    assert.deepEqual(renderNpmKms({ externalIPv4: 'auto' }), { text: 'npm run kms', notes: ['npm.externalAuto'] });
    assert.deepEqual(renderNpmKms({ minPort: 40000 }), { text: 'npm run kms', notes: ['npm.portsPair'] });
    assert.deepEqual(renderNpmKms({ minPort: 500, maxPort: 600 }), { text: 'npm run kms', notes: ['npm.portsLow'] });
    const tls = renderNpmKms({ turnUrl: 'kurento:S3cret@10.0.0.5:5349?transport=tls' });
    assert.deepEqual(tls.notes, ['npm.tls']);
  });

  test('fields with errors are left out of every output, the others stay', () => {
    const { settings } = resolveKmsSettings(form({ stunServerAddress: 'stun.example.com', externalIPv4: '203.0.113.10', minPort: '9', maxPort: '2' }));
    assert.equal(renderWebRtcEndpointIni(settings).text, 'externalIPv4=203.0.113.10');
    assert.equal(renderBaseRtpEndpointIni(settings).text, '');
    assert.doesNotMatch(renderDockerRun(settings).text, /KMS_STUN_IP|KMS_MIN_PORT/);
  });
});
