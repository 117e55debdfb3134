import { useId, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import { explain, type Explanation } from '@site/labs/framework/explain';
import type { Locale } from '@site/labs/framework/types';
import { probeKms, type ProbeFailure, type ProbeResult } from '@site/src/kurento/probe';
import { checkKmsUrl, parseIceServers, type SettingSource, type SettingsWarning } from '@site/core/settings';
import { useLabSettings } from '@site/src/kurento/settings-store';
import ErrorBox from './ErrorBox';
import styles from './lab.module.css';

export function sourceLabel(source: SettingSource): string {
  switch (source) {
    case 'panel':
      return translate({ id: 'lab.settings.source.panel', message: 'saved in this browser' });
    case 'query':
      return translate({ id: 'lab.settings.source.query', message: 'from the page URL' });
    case 'start':
      return translate({ id: 'lab.settings.source.start', message: 'from npm start (KMS_URL / ICE_SERVERS)' });
    case 'build':
      return translate({ id: 'lab.settings.source.build', message: 'from the site build' });
    case 'default':
      return translate({ id: 'lab.settings.source.default', message: 'default: the embedded KMS on this host' });
  }
}

function warningText(warning: SettingsWarning): string {
  const { problem } = warning;
  const where = sourceLabel(warning.source);
  switch (problem.code) {
    case 'kms-url-empty':
      return translate({ id: 'lab.settings.warning.kmsEmpty', message: 'The KMS URL ({where}) is empty.' }, { where });
    case 'kms-url-invalid':
      return translate({ id: 'lab.settings.warning.kmsInvalid', message: 'Ignored the KMS URL {value} ({where}): it is not a URL.' }, { value: problem.value, where });
    case 'kms-url-scheme':
      return translate(
        { id: 'lab.settings.warning.kmsScheme', message: 'Ignored the KMS URL {value} ({where}): it must start with ws:// or wss://, not {scheme}://.' },
        { value: problem.value, where, scheme: problem.scheme },
      );
    case 'ice-json':
      return translate({ id: 'lab.settings.warning.iceJson', message: 'Ignored the ICE servers ({where}): not valid JSON.' }, { where });
    case 'ice-entry':
      return translate({ id: 'lab.settings.warning.iceEntry', message: 'Ignored the ICE servers ({where}): entry {index} is not an object.' }, { where, index: problem.index });
    case 'ice-urls':
      return translate(
        { id: 'lab.settings.warning.iceUrls', message: 'Ignored the ICE servers ({where}): entry {index} needs "urls" starting with stun:, stuns:, turn: or turns:.' },
        { where, index: problem.index },
      );
    case 'ice-turn-credentials':
      return translate(
        { id: 'lab.settings.warning.iceTurn', message: 'Ignored the ICE servers ({where}): entry {index} is a TURN server and needs "username" and "credential".' },
        { where, index: problem.index },
      );
  }
}

function ProbeOutcome({ result, url, locale }: { result: ProbeResult; url: string; locale: Locale }): ReactNode {
  if (result.ok) {
    return (
      <div className={styles.probeOk} data-testid="probe-result" data-ok="true">
        <p>
          <Translate id="lab.settings.probe.ok" values={{ ms: result.pingMs }}>
            {'KMS answered the JSON-RPC ping in {ms} ms.'}
          </Translate>
        </p>
        {result.info && (
          <>
            <p>
              <strong>{result.info.type} {result.info.version}</strong>
            </p>
            <ul className={styles.moduleList}>
              {result.info.modules.map((module) => (
                <li key={module.name}>
                  <code>{module.name}</code> {module.version}: {module.factories.length > 0 ? module.factories.join(', ') : '—'}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    );
  }
  const explanation = probeExplanation(url, result.failure, result.detail);
  return (
    <div className={styles.errorBox} data-testid="probe-result" data-ok="false" data-code={explanation.code}>
      <p className={styles.errorTitle}>{explanation.title[locale]}</p>
      <p>{explanation.fix[locale]}</p>
    </div>
  );
}

/** The plain-words explanation of a failed connection test. */
function probeExplanation(url: string, failure: ProbeFailure, detail: string | undefined): Explanation {
  switch (failure) {
    case 'mixed-content':
      return explain.mixedContent(url);
    case 'origin-refused':
      return explain.kmsOriginRefused(url, detail || window.location.origin);
    case 'refused':
      return explain.kmsRefused(url, detail);
    case 'wrong-path':
      return explain.kmsWrongPath(url);
    case 'not-a-kms':
      return explain.notAKms(url, detail);
    default:
      return explain.kmsUnreachable(url, detail);
  }
}

/**
 * The KMS settings shared by every lab: KMS URL and ICE servers (saved in this browser), where the current values
 * come from, and a connection test that pings the KMS and lists its modules and factories.
 */
export default function SettingsPanel({ locale }: { locale: Locale }): ReactNode {
  const { resolved, stored, save } = useLabSettings();
  const [kmsUrl, setKmsUrl] = useState(stored.kmsUrl ?? '');
  const [iceServers, setIceServers] = useState(stored.iceServers ?? '');
  // `origin` is set when the page is not a secure context: the KMS may answer, yet no lab gets a camera.
  const [probe, setProbe] = useState<{ result: ProbeResult; url: string; insecureOrigin?: string } | undefined>();
  const [testing, setTesting] = useState(false);
  const urlId = useId();
  const iceId = useId();
  const urlCheck = kmsUrl.trim() === '' ? undefined : checkKmsUrl(kmsUrl);
  const iceCheck = iceServers.trim() === '' ? undefined : parseIceServers(iceServers);
  const invalid = (urlCheck && !urlCheck.ok) || (iceCheck && !iceCheck.ok);

  const test = async (): Promise<void> => {
    const url = urlCheck?.ok ? urlCheck.url : resolved.kmsUrl;
    setTesting(true);
    const result = await probeKms(url, { info: true, timeoutMs: 3000 });
    setProbe({ result, url, insecureOrigin: window.isSecureContext ? undefined : window.location.origin });
    setTesting(false);
  };

  return (
    <section className={styles.settings} data-testid="kms-settings" aria-label={translate({ id: 'lab.settings.aria', message: 'KMS settings' })}>
      <p className={styles.settingsNow}>
        <Translate id="lab.settings.current">Labs use:</Translate> <code data-testid="kms-url-current">{resolved.kmsUrl}</code>{' '}
        <span className={styles.muted}>({sourceLabel(resolved.kmsUrlSource)})</span>
        <br />
        <Translate id="lab.settings.currentIce">ICE servers:</Translate>{' '}
        <code>{resolved.iceServers.length > 0 ? JSON.stringify(resolved.iceServers) : translate({ id: 'lab.settings.noIce', message: 'none (fine on one machine)' })}</code>{' '}
        <span className={styles.muted}>({sourceLabel(resolved.iceServersSource)})</span>
      </p>
      {resolved.warnings.map((warning) => (
        <p key={`${warning.source}-${warning.problem.code}`} className={styles.warning}>
          {warningText(warning)}
        </p>
      ))}
      <form
        className={styles.settingsForm}
        onSubmit={(event) => {
          event.preventDefault();
          if (!invalid) save({ kmsUrl, iceServers });
        }}
      >
        <label htmlFor={urlId}>
          <Translate id="lab.settings.kmsUrl">KMS URL</Translate>
        </label>
        <input
          id={urlId}
          type="text"
          value={kmsUrl}
          placeholder={resolved.kmsUrl}
          onChange={(event) => setKmsUrl(event.target.value)}
          aria-invalid={urlCheck !== undefined && !urlCheck.ok}
          data-testid="kms-url-input"
          spellCheck={false}
        />
        {urlCheck && !urlCheck.ok && (
          <p className={styles.fieldError}>{warningText({ source: 'panel', problem: urlCheck.problem })}</p>
        )}
        <label htmlFor={iceId}>
          <Translate id="lab.settings.iceServers">ICE servers (JSON list of RTCIceServer)</Translate>
        </label>
        <textarea
          id={iceId}
          rows={3}
          value={iceServers}
          placeholder='[{"urls":"stun:stun.example.org:3478"}]'
          onChange={(event) => setIceServers(event.target.value)}
          aria-invalid={iceCheck !== undefined && !iceCheck.ok}
          data-testid="ice-servers-input"
          spellCheck={false}
        />
        {iceCheck && !iceCheck.ok && <p className={styles.fieldError}>{warningText({ source: 'panel', problem: iceCheck.problem })}</p>}
        <div className={styles.buttons}>
          <button type="submit" className="button button--primary button--sm" disabled={invalid} data-testid="settings-save">
            <Translate id="lab.settings.save">Save for all labs</Translate>
          </button>
          <button
            type="button"
            className="button button--secondary button--sm"
            onClick={() => {
              setKmsUrl('');
              setIceServers('');
              save({});
            }}
            data-testid="settings-clear"
          >
            <Translate id="lab.settings.clear">Back to the defaults</Translate>
          </button>
          <button type="button" className="button button--outline button--sm" onClick={() => void test()} disabled={testing || invalid} data-testid="settings-test">
            {testing ? <Translate id="lab.settings.testing">Testing…</Translate> : <Translate id="lab.settings.test">Test connection</Translate>}
          </button>
        </div>
      </form>
      {probe && <ProbeOutcome result={probe.result} url={probe.url} locale={locale} />}
      {/* With the outcome: on a page that is not a secure context (plain http on a LAN address) no lab gets a camera. */}
      {probe?.insecureOrigin !== undefined && <ErrorBox explanation={explain.insecureContext(probe.insecureOrigin)} locale={locale} testId="probe-context" />}
    </section>
  );
}
