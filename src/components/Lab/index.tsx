import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { Catalog } from '@site/src/plugins/lab-chapters';
import { LOAD_AHEAD_PX } from './load-ahead';
import styles from './styles.module.css';

// The lab machinery (and, in the lab's page, kurento-client and kurento-utils) loads only when a lab scrolls into
// view or is asked for: a chapter's first paint carries no lab code.
const LabLoader = lazy(() => import(/* webpackChunkName: "lab" */ '@site/src/components/LabKit/LabLoader'));

/** How far beyond the viewport a lab starts loading. */
const AHEAD = `${LOAD_AHEAD_PX}px 0px`;

/** Mounts `children` once the placeholder comes near the viewport, or when the learner presses its button. */
export function WhenVisible({ placeholder, children }: { placeholder: (load: () => void) => ReactNode; children: () => ReactNode }): ReactNode {
  const [visible, setVisible] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = anchor.current;
    if (visible || !element) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
    }, { rootMargin: AHEAD });
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);
  return <div ref={anchor}>{visible ? children() : placeholder(() => setVisible(true))}</div>;
}

/** `<Lab id="hello-world" />` in MDX: a live lab, rendered in the browser only, loaded when it comes into view. */
export default function Lab({ id }: { id: string }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const { labs } = usePluginData('kurento-labs-catalog') as Catalog;
  const entry = labs.find((lab) => lab.id === id);
  if (!entry) throw new Error(`<Lab id="${id}"/>: there is no lab with this id (see labs/index.ts)`);
  const placeholder = (load?: () => void): ReactNode => (
    <div className={styles.placeholder} role="status" data-testid={`lab-placeholder-${id}`}>
      <p className={styles.title}>
        <Translate id="lab.placeholder" values={{ title: entry.title[locale] }}>
          {'Live lab: {title}'}
        </Translate>
      </p>
      <p>{entry.summary[locale]}</p>
      {load && (
        <button type="button" className="button button--secondary button--sm" onClick={load}>
          <Translate id="lab.placeholder.load">Load the lab</Translate>
        </button>
      )}
    </div>
  );
  // The slot stays the same element while the placeholder gives way to the lab: tests and links scroll to it.
  return (
    <div data-testid={`lab-slot-${id}`}>
    <BrowserOnly fallback={placeholder()}>
      {() => (
        <WhenVisible placeholder={(load) => placeholder(load)}>
          {() => (
            <Suspense fallback={placeholder()}>
              <LabLoader id={id} />
            </Suspense>
          )}
        </WhenVisible>
      )}
    </BrowserOnly>
    </div>
  );
}
