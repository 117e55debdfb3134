import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import { useDocById, useDocsSidebar } from '@docusaurus/plugin-content-docs/client';
import type { PropSidebarItem } from '@docusaurus/plugin-content-docs';
import type { Catalog } from '@site/src/plugins/lab-chapters';
import type { Locale } from '@site/labs/framework/types';

/** One chapter of the sidebar: its title, linked, and its front matter description. */
function Chapter({ id, label, href }: { id: string; label: string; href: string }): ReactNode {
  const doc = useDocById(id);
  return (
    <li data-testid={`reading-order-${id}`}>
      <Link to={href}>
        <strong>{label}</strong>
      </Link>
      {doc?.description ? `: ${doc.description}` : null}
    </li>
  );
}

function chapters(items: readonly PropSidebarItem[]): Array<{ id: string; label: string; href: string }> {
  return items.flatMap((item) => {
    if (item.type === 'category') return chapters(item.items);
    if (item.type === 'link' && item.docId) return [{ id: item.docId, label: item.label, href: item.href }];
    return [];
  });
}

/**
 * The reading order of the site, read from the sidebar (sidebars.ts, with the category and chapter names of the current
 * locale) so it can never disagree with it: one numbered list per sidebar category, numbered through.
 */
export function ReadingOrder(): ReactNode {
  const sidebar = useDocsSidebar();
  if (!sidebar) return null;
  let start = 1;
  return (
    <div data-testid="reading-order">
      {sidebar.items.map((category) => {
        if (category.type !== 'category') return null;
        const list = chapters(category.items);
        const first = start;
        start += list.length;
        return (
          <section key={category.label}>
            <p>
              <em>{category.label}</em>
            </p>
            <ol start={first}>
              {list.map((chapter) => (
                <Chapter key={chapter.id} {...chapter} />
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}

/** The chapter title of a route such as /docs/first-app-javascript. */
function ChapterTitle({ route }: { route: string }): ReactNode {
  const doc = useDocById(route.replace(/^\/docs\//, ''));
  return doc?.title ?? route;
}

/**
 * Every lab of the site, from the lab registry (labs/index.ts, through the kurento-labs-catalog plugin) and the
 * chapters that embed them: name, chapter and what it shows, in the registry's order.
 */
export function LabList(): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale: Locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const { embeds, labs } = usePluginData('kurento-labs-catalog') as Catalog;
  // In reading order: by the sidebar position of the chapter that embeds each lab, then as the registry lists them.
  const sidebar = useDocsSidebar();
  const order = chapters(sidebar?.items ?? []).map((chapter) => `/docs/${chapter.id}`);
  const position = (id: string): number => {
    const index = order.indexOf(embeds.labs[id] ?? '');
    return index < 0 ? order.length : index;
  };
  const sorted = labs.map((lab, index) => ({ lab, index })).sort((a, b) => position(a.lab.id) - position(b.lab.id) || a.index - b.index);
  return (
    <ul data-testid="lab-list">
      {sorted.map(({ lab }) => {
        const chapter = embeds.labs[lab.id];
        return (
          <li key={lab.id} data-testid={`lab-list-${lab.id}`}>
            {chapter ? (
              <Link to={`${chapter}#lab-${lab.id}`}>
                <strong>{lab.title[locale]}</strong>
              </Link>
            ) : (
              <strong>{lab.title[locale]}</strong>
            )}
            {chapter ? (
              <>
                {' '}
                (<ChapterTitle route={chapter} />)
              </>
            ) : null}
            : {lab.summary[locale]}
          </li>
        );
      })}
    </ul>
  );
}
