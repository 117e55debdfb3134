import { useId, useMemo, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import {
  EMPTY_FORM,
  EXAMPLE_FORM,
  TURN_TRANSPORTS,
  parseTurnUrl,
  renderBaseRtpEndpointIni,
  renderDockerRun,
  renderNpmKms,
  renderWebRtcEndpointIni,
  resolveKmsSettings,
  type FieldName,
  type Issue,
  type KmsFormValues,
  type NoteCode,
  type RenderedOutput,
  type TurnTransport,
} from './config-text';
import { Messages, Output, TextField, styles as shared } from '../ConfigForm/fields';
import own from './styles.module.css';

const styles = { ...shared, ...own };

/** The notes under an output: what the form left out, and why. */
function Notes({ output }: { output: RenderedOutput }): ReactNode {
  if (output.notes.length === 0) return null;
  return (
    <ul className={styles.notes}>
      {[...new Set(output.notes)].map((note) => (
        <li key={note} data-note={note}>
          {noteMessage(note)}
        </li>
      ))}
    </ul>
  );
}

/** The message shown next to a field, in the reader's language. */
function issueMessage(issue: Issue): string {
  const param = (name: string): string => String(issue.params[name] ?? '');
  const value = { value: param('value') };
  switch (issue.code) {
    case 'ipv4.hostname':
      return translate(
        { id: 'kmsConfigForm.issue.ipv4.hostname', message: '“{value}” is a host name, and KMS does not resolve names here: write the IPv4 address of the server (for example what `dig +short {value}` prints).' },
        value,
      );
    case 'ipv4.ipv6':
      return translate({ id: 'kmsConfigForm.issue.ipv4.ipv6', message: '“{value}” is not an IPv4 address. Write a dotted IPv4 address such as 192.168.1.10.' }, value);
    case 'ipv4.invalid':
      return translate(
        { id: 'kmsConfigForm.issue.ipv4.invalid', message: '“{value}” is not a valid IPv4 address: four numbers from 0 to 255, separated by dots, without leading zeros.' },
        value,
      );
    case 'port.invalid':
      return translate({ id: 'kmsConfigForm.issue.port.invalid', message: '“{value}” is not a port: use a whole number from 1 to 65535.' }, value);
    case 'stun.portWithoutAddress':
      return translate({ id: 'kmsConfigForm.issue.stun.portWithoutAddress', message: 'A STUN port alone does nothing: KMS uses stunServerPort only together with stunServerAddress.' });
    case 'turn.required':
      if (issue.params.part === 'user') return translate({ id: 'kmsConfigForm.issue.turn.required.user', message: 'TURN needs a user: KMS cannot use a turnURL without one.' });
      if (issue.params.part === 'password') return translate({ id: 'kmsConfigForm.issue.turn.required.password', message: 'TURN needs a password: KMS cannot use a turnURL without one.' });
      return translate({ id: 'kmsConfigForm.issue.turn.required.address', message: 'TURN needs the IPv4 address of the TURN server.' });
    case 'turn.misread':
      return translate(
        {
          id: 'kmsConfigForm.issue.turn.misread',
          message: 'KMS would read user “{user}” and password “{password}”: it splits at the last “:” before the “@”, so a “:” in the password moves text into the user. Choose a password without “:”.',
        },
        { user: param('user'), password: param('password') },
      );
    case 'turn.separator':
      return translate({
        id: 'kmsConfigForm.issue.turn.separator',
        message: '“:” and “@” are the separators of turnURL. KMS still reads these credentials correctly (it splits at the last “:” and the last “@”), but one misplaced character changes what it reads: letters, digits and -_. are the safe choice.',
      });
    case 'turn.whitespace':
      return translate({ id: 'kmsConfigForm.issue.turn.whitespace', message: 'Spaces in credentials are fragile: the ini reader drops them at the ends, and shells split words on them.' });
    case 'turn.tlsPort':
      return translate({ id: 'kmsConfigForm.issue.turn.tlsPort', message: 'TURN over TLS usually listens on port 5349 (coturn’s tls-listening-port), not 3478.' });
    case 'turnUrl.scheme':
      return translate({
        id: 'kmsConfigForm.issue.turnUrl.scheme',
        message: 'This is a browser-style TURN URL. The turnURL of KMS has no “turn:” prefix and carries the credentials: user:password@ip:port?transport=udp.',
      });
    case 'turnUrl.noCredentials':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.noCredentials', message: 'KMS needs the credentials inside the URL: user:password@ip:port.' });
    case 'turnUrl.hostname':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.hostname', message: 'The address after “@” must be an IPv4 address: KMS does not resolve host names.' });
    case 'turnUrl.transport':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.transport', message: 'KMS only knows ?transport=udp, ?transport=tcp and ?transport=tls, in lowercase.' });
    case 'turnUrl.port':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.port', message: 'The port after the address is missing, or is not a number from 1 to 65535.' });
    case 'turnUrl.address':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.address', message: 'The address after “@” is not a valid IPv4 address.' });
    case 'turnUrl.format':
      return translate({ id: 'kmsConfigForm.issue.turnUrl.format', message: 'KMS rejects this turnURL. The format is user:password@ip:port, optionally followed by ?transport=udp, tcp or tls.' });
    case 'external.private':
      return translate(
        {
          id: 'kmsConfigForm.issue.external.private',
          message: '{value} is a private address: right when every peer is on the same LAN, wrong for peers on the Internet, which need the public address.',
        },
        value,
      );
    case 'external.auto':
      return translate({
        id: 'kmsConfigForm.issue.external.auto',
        message: '“auto” is a feature of the Docker image: its entrypoint looks up the public IPv4 address when the container starts. The ini file and the embedded KMS need the address itself.',
      });
    case 'interfaces.address':
      return translate(
        { id: 'kmsConfigForm.issue.interfaces.address', message: '“{value}” is an address. networkInterfaces takes interface names such as eth0 or ens5 (see `ip -brief address`).' },
        value,
      );
    case 'interfaces.linkSuffix':
      return translate({ id: 'kmsConfigForm.issue.interfaces.linkSuffix', message: '“{value}” is how `ip` shows the link; the interface name is “{name}”.' }, { value: param('value'), name: param('name') });
    case 'interfaces.invalid':
      return translate({ id: 'kmsConfigForm.issue.interfaces.invalid', message: '“{value}” is not an interface name: at most 15 characters, without spaces or “/”.' }, value);
    case 'ports.order':
      return translate({ id: 'kmsConfigForm.issue.ports.order', message: 'maxPort ({max}) must be greater than minPort ({min}).' }, { max: param('max'), min: param('min') });
    case 'ports.privileged':
      return translate({
        id: 'kmsConfigForm.issue.ports.privileged',
        message: 'Ports below 1024 are privileged: the packaged service runs KMS as the user kurento, which cannot listen on them. KMS documents the range 1024–65535.',
      });
    case 'ports.onlyOne':
      return translate({ id: 'kmsConfigForm.issue.ports.onlyOne', message: 'Only one end of the range is set: KMS keeps its default (1024 or 65535) for the other.' });
    case 'ports.parity':
      return translate({
        id: 'kmsConfigForm.issue.ports.parity',
        message: 'KMS recommends an even minPort and an odd maxPort: RtpEndpoint puts RTP on an even port and RTCP on the next one.',
      });
    case 'ports.publishNeedsRange':
      return translate({
        id: 'kmsConfigForm.issue.ports.publishNeedsRange',
        message: 'Docker Desktop needs a small range to publish: set minPort and maxPort (for example 40000 and 40049).',
      });
    case 'ports.publishWide':
      return translate({ id: 'kmsConfigForm.issue.ports.publishWide', message: 'Publishing {count} ports makes Docker slow and memory-hungry; a few dozen are enough for tests.' }, { count: param('count') });
  }
}

function noteMessage(note: NoteCode): string {
  switch (note) {
    case 'ini.externalAuto':
      return translate({ id: 'kmsConfigForm.note.ini.externalAuto', message: 'externalIPv4=auto is left out: KMS itself does not understand “auto”. Write the public IPv4 address in the file.' });
    case 'docker.sedChars':
      return translate({
        id: 'kmsConfigForm.note.docker.sedChars',
        message: 'A value contains “&”, “|” or a backslash. The entrypoint of the image copies values into the ini file with sed, which mangles these characters: mount your own WebRtcEndpoint.conf.ini instead.',
      });
    case 'docker.publishNoRange':
      return translate({
        id: 'kmsConfigForm.note.docker.publishNoRange',
        message: 'Without minPort and maxPort no UDP port is published, and media cannot reach KMS inside Docker Desktop.',
      });
    case 'npm.iceTcp':
      return translate({ id: 'kmsConfigForm.note.npm.iceTcp', message: 'The embedded KMS never gathers ICE-TCP candidates, so iceTcp=0 needs no flag there.' });
    case 'npm.tls':
      return translate({ id: 'kmsConfigForm.note.npm.tls', message: 'The embedded KMS reaches TURN servers over udp and tcp; use one of those to test with it.' });
    case 'npm.externalAuto':
      return translate({ id: 'kmsConfigForm.note.npm.externalAuto', message: 'The embedded KMS has no “auto”: pass --external-ipv4 with the address itself.' });
    case 'npm.portsPair':
      return translate({ id: 'kmsConfigForm.note.npm.portsPair', message: 'The embedded KMS takes --min-port and --max-port together: set both ends to limit its ports.' });
    case 'npm.portsLow':
      return translate({ id: 'kmsConfigForm.note.npm.portsLow', message: 'The embedded KMS only takes ports from 1024 up, so the range is left out.' });
  }
}

/**
 * Writes the WebRTC and RTP settings of KMS as it would read them: WebRtcEndpoint.conf.ini and
 * BaseRtpEndpoint.conf.ini lines, the `docker run -e …` variables of the official image and the `npm run kms -- …`
 * flags of the embedded KMS, live, with a message next to every field KMS would reject or misread.
 */
export default function KmsConfigForm(): ReactNode {
  const [values, setValues] = useState<KmsFormValues>(EMPTY_FORM);
  const { settings, issues } = useMemo(() => resolveKmsSettings(values), [values]);
  const outputs = useMemo(
    () => ({
      webRtc: renderWebRtcEndpointIni(settings),
      baseRtp: renderBaseRtpEndpointIni(settings),
      docker: renderDockerRun(settings, { publishPorts: values.publishPorts }),
      npm: renderNpmKms(settings),
    }),
    [settings, values.publishPorts],
  );
  const set =
    <K extends FieldName>(name: K) =>
    (value: KmsFormValues[K]): void =>
      setValues((previous) => ({ ...previous, [name]: value }));
  const on = (field: FieldName): Issue[] => issues.filter((issue) => issue.field === field);
  const errorCount = issues.filter((issue) => issue.level === 'error').length;
  const baseId = useId();
  const transportId = `${baseId}-transport`;
  const iceTcpId = `${baseId}-icetcp`;
  const publishId = `${baseId}-publish`;
  const publishMessagesId = `${baseId}-publish-messages`;
  const parsedTurn = values.turnMode === 'url' && values.turnUrl.trim() !== '' ? parseTurnUrl(values.turnUrl.trim()) : undefined;

  return (
    <section className={styles.form} aria-label={translate({ id: 'kmsConfigForm.aria.form', message: 'KMS configuration generator' })}>
      <p className={styles.intro}>
        <Translate id="kmsConfigForm.intro">
          Every field is optional: fill in only what you need. The files and commands below change as you type, and
          leave out any field marked with an error.
        </Translate>
      </p>
      <div className={styles.actions}>
        <button type="button" className="button button--secondary button--sm" onClick={() => setValues(EXAMPLE_FORM)}>
          <Translate id="kmsConfigForm.button.example">Fill in an example</Translate>
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={() => setValues(EMPTY_FORM)}>
          <Translate id="kmsConfigForm.button.clear">Clear the form</Translate>
        </button>
      </div>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="kmsConfigForm.legend.stun">STUN server</Translate>
        </legend>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="stunServerAddress"
            label={translate({ id: 'kmsConfigForm.label.stunServerAddress', message: 'IPv4 address' })}
            configKey="stunServerAddress"
            value={values.stunServerAddress}
            onChange={set('stunServerAddress')}
            issues={on('stunServerAddress')}
            placeholder="192.168.1.10"
            wide
          />
          <TextField
            describe={issueMessage}
            name="stunServerPort"
            label={translate({ id: 'kmsConfigForm.label.stunServerPort', message: 'Port' })}
            configKey="stunServerPort"
            value={values.stunServerPort}
            onChange={set('stunServerPort')}
            issues={on('stunServerPort')}
            placeholder="3478"
            numeric
          />
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="kmsConfigForm.legend.turn">TURN server</Translate> <code>turnURL</code>
        </legend>
        <div className={styles.modes} role="radiogroup" aria-label={translate({ id: 'kmsConfigForm.aria.turnMode', message: 'How to enter the TURN server' })}>
          <label className={styles.choice}>
            <input type="radio" name={`${baseId}-turn-mode`} checked={values.turnMode === 'parts'} onChange={() => set('turnMode')('parts')} />{' '}
            <Translate id="kmsConfigForm.turnMode.parts">Build it from its parts</Translate>
          </label>
          <label className={styles.choice}>
            <input type="radio" name={`${baseId}-turn-mode`} checked={values.turnMode === 'url'} onChange={() => set('turnMode')('url')} />{' '}
            <Translate id="kmsConfigForm.turnMode.url">Paste a full turnURL</Translate>
          </label>
        </div>
        {values.turnMode === 'parts' ? (
          <div className={styles.row}>
            <TextField
              describe={issueMessage}
              name="turnUser"
              label={translate({ id: 'kmsConfigForm.label.turnUser', message: 'User' })}
              value={values.turnUser}
              onChange={set('turnUser')}
              issues={on('turnUser')}
              placeholder="kurento"
            />
            <TextField
              describe={issueMessage}
              name="turnPassword"
              label={translate({ id: 'kmsConfigForm.label.turnPassword', message: 'Password' })}
              value={values.turnPassword}
              onChange={set('turnPassword')}
              issues={on('turnPassword')}
            />
            <TextField
              describe={issueMessage}
              name="turnAddress"
              label={translate({ id: 'kmsConfigForm.label.turnAddress', message: 'IPv4 address' })}
              value={values.turnAddress}
              onChange={set('turnAddress')}
              issues={on('turnAddress')}
              placeholder="192.168.1.10"
            />
            <TextField
              describe={issueMessage}
              name="turnPort"
              label={translate({ id: 'kmsConfigForm.label.turnPort', message: 'Port' })}
              value={values.turnPort}
              onChange={set('turnPort')}
              issues={on('turnPort')}
              placeholder="3478"
              numeric
            />
            <div className={styles.field} data-field="turnTransport">
              <label htmlFor={transportId} className={styles.label}>
                <Translate id="kmsConfigForm.label.turnTransport">Transport</Translate>
              </label>
              <select
                id={transportId}
                className={styles.input}
                value={values.turnTransport}
                onChange={(event) => set('turnTransport')(event.target.value as TurnTransport)}
              >
                {TURN_TRANSPORTS.map((transport) => (
                  <option key={transport} value={transport}>
                    {transport}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : (
          <>
            <TextField
              describe={issueMessage}
              name="turnUrl"
              label={translate({ id: 'kmsConfigForm.label.turnUrl', message: 'Full URL, as in the ini file' })}
              configKey="turnURL"
              value={values.turnUrl}
              onChange={set('turnUrl')}
              issues={on('turnUrl')}
              placeholder="kurento:S3cret-2025@192.168.1.10:3478?transport=udp"
              wide
            />
            {parsedTurn && (
              <p className={styles.parsed} data-testid="turn-parsed">
                <Translate id="kmsConfigForm.turnUrl.reads">KMS reads:</Translate>{' '}
                {translate({ id: 'kmsConfigForm.label.turnUser', message: 'User' })} <code>{parsedTurn.user}</code> ·{' '}
                {translate({ id: 'kmsConfigForm.label.turnPassword', message: 'Password' })} <code>{parsedTurn.password}</code> ·{' '}
                {translate({ id: 'kmsConfigForm.label.turnAddress', message: 'IPv4 address' })} <code>{parsedTurn.address}</code> ·{' '}
                {translate({ id: 'kmsConfigForm.label.turnPort', message: 'Port' })} <code>{parsedTurn.port}</code> ·{' '}
                <Translate id="kmsConfigForm.label.turnTransport">Transport</Translate> <code>{parsedTurn.transport}</code>
                {!parsedTurn.transportGiven && (
                  <>
                    {' '}
                    <Translate id="kmsConfigForm.turnUrl.defaultTransport">(the default)</Translate>
                  </>
                )}
              </p>
            )}
          </>
        )}
      </fieldset>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="kmsConfigForm.legend.network">Addresses and interfaces</Translate>
        </legend>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="externalIPv4"
            label={translate({ id: 'kmsConfigForm.label.externalIPv4', message: 'Public IPv4 address' })}
            configKey="externalIPv4"
            value={values.externalIPv4}
            onChange={set('externalIPv4')}
            issues={on('externalIPv4')}
            placeholder="203.0.113.10"
            hint={translate({ id: 'kmsConfigForm.hint.externalIPv4', message: 'Replaces the address of every host candidate of KMS. An IPv4 address, or auto (Docker image only).' })}
            wide
          />
          <TextField
            describe={issueMessage}
            name="networkInterfaces"
            label={translate({ id: 'kmsConfigForm.label.networkInterfaces', message: 'Interfaces' })}
            configKey="networkInterfaces"
            value={values.networkInterfaces}
            onChange={set('networkInterfaces')}
            issues={on('networkInterfaces')}
            placeholder="eth0"
            hint={translate({ id: 'kmsConfigForm.hint.networkInterfaces', message: 'Names separated by commas, for example eth0 or ens5,eth1.' })}
            wide
          />
        </div>
        <div className={styles.checkbox}>
          <input id={iceTcpId} type="checkbox" checked={values.iceTcp} onChange={(event) => set('iceTcp')(event.target.checked)} />
          <label htmlFor={iceTcpId}>
            <Translate id="kmsConfigForm.label.iceTcp">Gather ICE-TCP candidates (KMS default: on)</Translate> <code>iceTcp</code>
          </label>
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="kmsConfigForm.legend.ports">RTP port range</Translate>
        </legend>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="minPort"
            label={translate({ id: 'kmsConfigForm.label.minPort', message: 'Lowest port' })}
            configKey="minPort"
            value={values.minPort}
            onChange={set('minPort')}
            issues={on('minPort')}
            placeholder="1024"
            numeric
          />
          <TextField
            describe={issueMessage}
            name="maxPort"
            label={translate({ id: 'kmsConfigForm.label.maxPort', message: 'Highest port' })}
            configKey="maxPort"
            value={values.maxPort}
            onChange={set('maxPort')}
            issues={on('maxPort')}
            placeholder="65535"
            numeric
          />
        </div>
        <div className={styles.checkbox} data-field="publishPorts">
          <input
            id={publishId}
            type="checkbox"
            checked={values.publishPorts}
            onChange={(event) => set('publishPorts')(event.target.checked)}
            aria-describedby={on('publishPorts').length > 0 ? publishMessagesId : undefined}
          />
          <label htmlFor={publishId}>
            <Translate id="kmsConfigForm.label.publishPorts" values={{ flag: <code>--network host</code> }}>
              {'Docker Desktop (macOS, Windows): publish the ports instead of using {flag}'}
            </Translate>
          </label>
        </div>
        <Messages id={publishMessagesId} issues={on('publishPorts')} describe={issueMessage} />
      </fieldset>

      <div className={styles.outputs}>
        <h3 className={styles.outputsHeading}>
          <Translate id="kmsConfigForm.outputs.heading">Generated configuration</Translate>
        </h3>
        <p className={errorCount > 0 ? `${styles.summary} ${styles.summaryError}` : `${styles.summary} ${styles.summaryOk}`} role="status" aria-live="polite">
          {errorCount > 0
            ? translate(
                { id: 'kmsConfigForm.summary.errors', message: 'Problems to fix: {count}. The fields concerned are left out of the output below.' },
                { count: String(errorCount) },
              )
            : translate({ id: 'kmsConfigForm.summary.ok', message: 'No errors: the output below is what KMS will read.' })}
        </p>
        <Output
          title="/etc/kurento/modules/kurento/WebRtcEndpoint.conf.ini"
          language="ini"
          text={outputs.webRtc.text}
          empty={translate({ id: 'kmsConfigForm.output.emptyIni', message: 'Nothing to add: this file keeps the defaults of KMS.' })}>
          <Notes output={outputs.webRtc} />
        </Output>
        <Output
          title="/etc/kurento/modules/kurento/BaseRtpEndpoint.conf.ini"
          language="ini"
          text={outputs.baseRtp.text}
          empty={translate({ id: 'kmsConfigForm.output.emptyIni', message: 'Nothing to add: this file keeps the defaults of KMS.' })}>
          <Notes output={outputs.baseRtp} />
        </Output>
        <p className={styles.hint}>
          <Translate id="kmsConfigForm.output.restart" values={{ command: <code>sudo systemctl restart kurento-media-server</code> }}>
            {'KMS reads these files only when it starts: after editing them, run {command}.'}
          </Translate>
        </p>
        <Output title={translate({ id: 'kmsConfigForm.output.docker', message: 'Docker: the official image' })} language="bash" text={outputs.docker.text}>
          <Notes output={outputs.docker} />
        </Output>
        <Output title={translate({ id: 'kmsConfigForm.output.npm', message: 'The embedded KMS of this site' })} language="bash" text={outputs.npm.text}>
          <Notes output={outputs.npm} />
        </Output>
      </div>
    </section>
  );
}
