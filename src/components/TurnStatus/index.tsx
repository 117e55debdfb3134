import type { ReactNode } from 'react';
import Translate from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { explain } from '@site/labs/framework/explain';
import type { Locale } from '@site/labs/framework/types';
import { useLabSettings } from '@site/src/kurento/settings-store';
import { sourceLabel } from '@site/src/components/LabKit/SettingsPanel';
import styles from './styles.module.css';

/**
 * Which TURN server the labs would use right now, or, when there is none, why and how to get one: shown on the labs
 * index and in the coturn chapter, so a missing coturn is seen before the TURN relay lab fails on it.
 */
export default function TurnStatus(): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale: Locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const { turn, runtime, ready } = useLabSettings();
  if (!ready) {
    return (
      <p className={styles.box} data-testid="turn-status" data-state="loading" aria-busy="true">
        <Translate id="turnStatus.loading">Looking for the TURN server of the labs…</Translate>
      </p>
    );
  }
  if (turn) {
    return (
      <p className={`${styles.box} ${styles.ok}`} data-testid="turn-status" data-state="available">
        <Translate
          id="turnStatus.available"
          values={{ url: <code>{turn.urls}</code>, user: <code>{turn.username}</code>, source: sourceLabel(turn.source) }}
        >
          {'✓ TURN for the labs: {url}, user {user} ({source}).'}
        </Translate>
      </p>
    );
  }
  if (!runtime) {
    // Static hosting or the dev server: nothing tells this page whether a TURN server runs.
    return (
      <p className={styles.box} data-testid="turn-status" data-state="unknown">
        <Translate id="turnStatus.unknown">
          No TURN server is configured for the labs. `npm start` runs coturn when it is installed; elsewhere, add one to the
          ICE servers in a lab's KMS settings.
        </Translate>
      </p>
    );
  }
  const missing = explain.turnMissing(runtime.turnStatus?.reason);
  return (
    <div className={`${styles.box} ${styles.missing}`} data-testid="turn-status" data-state="missing" role="status">
      <p className={styles.title}>{missing.title[locale]}</p>
      <p>{missing.fix[locale]}</p>
    </div>
  );
}
