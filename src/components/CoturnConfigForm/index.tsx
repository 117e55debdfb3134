import { useId, useMemo, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import {
  DEFAULT_COTURN_FORM,
  kmsLineProblem,
  renderCoturnOutputs,
  validateCoturnForm,
  type CoturnField,
  type CoturnFormValues,
  type CoturnIssue,
  type TurnTransport,
} from './coturn-text';
import { Checkbox, Output, TextField, styles as shared } from '../ConfigForm/fields';
import own from './styles.module.css';

const styles = { ...shared, ...own };

function issueMessage(issue: CoturnIssue): string {
  const value = { value: issue.params.value ?? '' };
  switch (issue.code) {
    case 'ipv4.hostname':
      return translate(
        { id: 'coturnForm.issue.ipv4.hostname', message: '“{value}” is a host name. coturn binds to addresses, and KMS does not resolve names in turnURL: write the IPv4 address.' },
        value,
      );
    case 'ipv4.ipv6':
      return translate({ id: 'coturnForm.issue.ipv4.ipv6', message: '“{value}” is not an IPv4 address. Write a dotted IPv4 address such as 192.168.1.10.' }, value);
    case 'ipv4.invalid':
      return translate({ id: 'coturnForm.issue.ipv4.invalid', message: '“{value}” is not a valid IPv4 address: four numbers from 0 to 255, separated by dots.' }, value);
    case 'port.invalid':
      return translate({ id: 'coturnForm.issue.port.invalid', message: '“{value}” is not a port: use a whole number from 1 to 65535.' }, value);
    case 'ports.order':
      return translate({ id: 'coturnForm.issue.ports.order', message: 'max-port ({max}) must be greater than min-port ({min}).' }, { max: issue.params.max ?? '', min: issue.params.min ?? '' });
    case 'required':
      return translate({ id: 'coturnForm.issue.required', message: 'Required: lt-cred-mech needs a user, a password and a realm.' });
    case 'credentials.separator':
      return translate({
        id: 'coturnForm.issue.credentials.separator',
        message: '“:”, “@” and spaces break the line user=name:password of coturn and the turnURL user:password@ip:port of KMS: use letters, digits and -_.',
      });
    case 'realm.invalid':
      return translate({ id: 'coturnForm.issue.realm.invalid', message: 'A realm has no spaces: usually your domain, for example kurento.org.' });
    case 'address.missing':
      return translate({ id: 'coturnForm.issue.address.missing', message: 'KMS needs the IPv4 address of coturn: fill in relay-ip or external-ip.' });
  }
}

/**
 * The coturn setup of the notes as a form: /etc/turnserver.conf, the turnURL line of KMS, /etc/default/coturn and the
 * turnadmin commands, written live, with the key `turnadmin -k` prints computed here (MD5 of user:realm:password).
 */
export default function CoturnConfigForm(): ReactNode {
  const [values, setValues] = useState<CoturnFormValues>(DEFAULT_COTURN_FORM);
  const issues = useMemo(() => validateCoturnForm(values), [values]);
  const outputs = useMemo(() => renderCoturnOutputs(values), [values]);
  const kmsProblem = useMemo(() => kmsLineProblem(values), [values]);
  const set =
    <K extends CoturnField>(name: K) =>
    (value: CoturnFormValues[K]): void =>
      setValues((previous) => ({ ...previous, [name]: value }));
  const on = (field: CoturnField): CoturnIssue[] => issues.filter((issue) => issue.field === field);
  const transportId = useId();

  return (
    <section className={styles.form} aria-label={translate({ id: 'coturnForm.aria.form', message: 'coturn configuration generator' })} data-testid="coturn-form">
      <p className={styles.intro}>
        <Translate id="coturnForm.intro">
          Fill in the fields: the configuration of coturn, the line KMS needs, and the turnadmin commands change as you
          type. Fields with an error are left out.
        </Translate>
      </p>
      <div className={styles.actions}>
        <button type="button" className="button button--secondary button--sm" onClick={() => setValues(DEFAULT_COTURN_FORM)}>
          <Translate id="coturnForm.button.reset">Back to the example</Translate>
        </button>
      </div>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="coturnForm.legend.network">Addresses and ports</Translate>
        </legend>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="relayIp"
            label={translate({ id: 'coturnForm.label.relayIp', message: 'Relay address' })}
            configKey="relay-ip"
            value={values.relayIp}
            onChange={set('relayIp')}
            issues={on('relayIp')}
            placeholder="192.168.1.10"
            hint={translate({ id: 'coturnForm.hint.relayIp', message: 'An IPv4 address of this machine: coturn relays media from it.' })}
          />
          <TextField
            describe={issueMessage}
            name="externalIp"
            label={translate({ id: 'coturnForm.label.externalIp', message: 'Public address' })}
            configKey="external-ip"
            value={values.externalIp}
            onChange={set('externalIp')}
            issues={on('externalIp')}
            placeholder="203.0.113.10"
            hint={translate({ id: 'coturnForm.hint.externalIp', message: 'Only behind NAT (a cloud server): the public IPv4 address peers reach coturn at.' })}
          />
        </div>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="listeningPort"
            label={translate({ id: 'coturnForm.label.listeningPort', message: 'Port' })}
            configKey="listening-port"
            value={values.listeningPort}
            onChange={set('listeningPort')}
            issues={on('listeningPort')}
            placeholder="3478"
            numeric
          />
          <TextField
            describe={issueMessage}
            name="minPort"
            label={translate({ id: 'coturnForm.label.minPort', message: 'Lowest relay port' })}
            configKey="min-port"
            value={values.minPort}
            onChange={set('minPort')}
            issues={on('minPort')}
            placeholder="49152"
            numeric
          />
          <TextField
            describe={issueMessage}
            name="maxPort"
            label={translate({ id: 'coturnForm.label.maxPort', message: 'Highest relay port' })}
            configKey="max-port"
            value={values.maxPort}
            onChange={set('maxPort')}
            issues={on('maxPort')}
            placeholder="65535"
            numeric
          />
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="coturnForm.legend.auth">Authentication</Translate>
        </legend>
        <Checkbox name="ltCredMech" checked={values.ltCredMech} onChange={set('ltCredMech')}>
          <Translate id="coturnForm.label.ltCredMech">Long-term credentials (user name and password)</Translate> <code>lt-cred-mech</code>
        </Checkbox>
        <Checkbox name="fingerprint" checked={values.fingerprint} onChange={set('fingerprint')}>
          <Translate id="coturnForm.label.fingerprint">FINGERPRINT in every STUN message (WebRTC expects it)</Translate> <code>fingerprint</code>
        </Checkbox>
        <div className={styles.row}>
          <TextField
            describe={issueMessage}
            name="realm"
            label={translate({ id: 'coturnForm.label.realm', message: 'Realm' })}
            configKey="realm"
            value={values.realm}
            onChange={set('realm')}
            issues={on('realm')}
            placeholder="kurento.org"
          />
          <TextField
            describe={issueMessage}
            name="user"
            label={translate({ id: 'coturnForm.label.user', message: 'User name' })}
            configKey="user"
            value={values.user}
            onChange={set('user')}
            issues={on('user')}
            placeholder="kurento"
          />
          <TextField
            describe={issueMessage}
            name="password"
            label={translate({ id: 'coturnForm.label.password', message: 'Password' })}
            configKey="user"
            value={values.password}
            onChange={set('password')}
            issues={on('password')}
          />
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>
          <Translate id="coturnForm.legend.other">Logging and KMS</Translate>
        </legend>
        <Checkbox name="noStdoutLog" checked={values.noStdoutLog} onChange={set('noStdoutLog')}>
          <Translate id="coturnForm.label.noStdoutLog">Log to the log file only, not to the terminal</Translate> <code>no-stdout-log</code>
        </Checkbox>
        <div className={styles.field} data-field="transport">
          <label htmlFor={transportId} className={styles.label}>
            <Translate id="coturnForm.label.transport">Transport KMS uses to reach coturn</Translate> <code>?transport=</code>
          </label>
          <select id={transportId} className={styles.input} value={values.transport} onChange={(event) => set('transport')(event.target.value as TurnTransport)}>
            <option value="udp">udp</option>
            <option value="tcp">tcp</option>
          </select>
        </div>
      </fieldset>

      <div className={styles.outputs}>
        <h3 className={styles.outputsHeading}>
          <Translate id="coturnForm.outputs.heading">Generated configuration</Translate>
        </h3>
        <p className={issues.length > 0 ? `${styles.summary} ${styles.summaryError}` : styles.summary} role="status" aria-live="polite">
          {issues.length > 0
            ? translate({ id: 'coturnForm.summary.errors', message: 'Problems to fix: {count}. The fields concerned are left out below.' }, { count: String(issues.length) })
            : translate({ id: 'coturnForm.summary.ok', message: 'No errors: copy the blocks below.' })}
        </p>
        <Output title="/etc/turnserver.conf" language="ini" text={outputs.turnserverConf} testId="coturn-conf" />
        <Output title="/etc/default/coturn" language="bash" text={outputs.defaultCoturn} testId="coturn-default" />
        <p className={styles.hint}>
          <Translate id="coturnForm.output.restart" values={{ command: <code>sudo systemctl restart coturn</code> }}>
            {'TURNSERVER_ENABLED=1 lets the Debian service start; after editing either file, run {command}.'}
          </Translate>
        </p>
        <Output
          title="/etc/kurento/modules/kurento/WebRtcEndpoint.conf.ini"
          language="ini"
          text={outputs.kmsIni}
          testId="coturn-kms"
          empty={kmsProblem ? issueMessage(kmsProblem) : translate({ id: 'coturnForm.output.kmsEmpty', message: 'KMS needs a user and a password to use coturn.' })}
        />
        <Output
          title={translate({ id: 'coturnForm.output.turnadmin', message: 'turnadmin: the user in the database, and its key' })}
          language="bash"
          text={outputs.turnadmin}
          testId="coturn-turnadmin"
          empty={translate({ id: 'coturnForm.output.turnadminEmpty', message: 'turnadmin needs a user, a password and a realm.' })}
        />
        {outputs.key !== '' && (
          <p className={styles.key} data-testid="coturn-key">
            <Translate id="coturnForm.key.label" values={{ command: <code>turnadmin -k</code>, key: <code>{outputs.key}</code> }}>
              {'{command} prints {key}: the MD5 of user:realm:password, which coturn stores instead of the password.'}
            </Translate>{' '}
            <Translate id="coturnForm.key.inConf" values={{ line: <code>{`user=${values.user}:${outputs.key}`}</code> }}>
              {'In turnserver.conf, {line} works like the plain password and does not reveal it.'}
            </Translate>
          </p>
        )}
      </div>
    </section>
  );
}
