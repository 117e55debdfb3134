/**
 * The site's root (Docusaurus' Root wrapper): adds the workshop bar, which shows only when the site runs a workshop
 * (`npm start -- --https`): that the trainer sees the attendee's progress, their display name, and the trainer's banner.
 */
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { workshopInfo } from '@site/src/kurento/workshop';

const WorkshopBar = lazy(() => import(/* webpackChunkName: "workshop-bar" */ '@site/src/components/Workshop/WorkshopBar'));

export default function Root({ children }: { children: ReactNode }): ReactNode {
  const [workshop, setWorkshop] = useState(false);
  useEffect(() => {
    let alive = true;
    // The trainer's own page is not an attendee's.
    if (/^\/(zh-Hans\/)?trainer\/?$/.test(window.location.pathname)) return undefined;
    void workshopInfo().then((info) => {
      if (alive) setWorkshop(info !== null);
    });
    return () => {
      alive = false;
    };
  }, []);
  return (
    <>
      {workshop ? (
        <Suspense fallback={null}>
          <WorkshopBar />
        </Suspense>
      ) : null}
      {children}
    </>
  );
}
